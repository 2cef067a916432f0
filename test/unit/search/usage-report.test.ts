import { describe, expect, it } from "vitest";
import { dayRange, usageReport } from "../../../functions/src/chat/usage-report";

const row = (day: string, scope: string, id: string, replies: number, costUsd: number) => ({
  day,
  scope,
  id,
  replies,
  promptTokens: replies * 100,
  completionTokens: replies * 50,
  cachedTokens: 0,
  costUsd,
});

describe("AI usage report", () => {
  it("sums shards per day, user and character, and ranks by cost", () => {
    const report = usageReport([
      row("2026-11-21", "all", "all", 2, 0.002),
      row("2026-11-21", "all", "all", 1, 0.001),
      row("2026-11-22", "all", "all", 4, 0.004),
      row("2026-11-21", "user", "alice", 3, 0.003),
      row("2026-11-22", "user", "bob", 4, 0.004),
      row("2026-11-22", "character", "luna", 4, 0.004),
      row("2026-11-21", "character", "luna", 3, 0.003),
    ]);
    expect(report.total).toMatchObject({ replies: 7, promptTokens: 700, costUsd: 0.007 });
    expect(report.days["2026-11-21"]?.replies).toBe(3);
    expect(report.users.map((u) => u.id)).toEqual(["bob", "alice"]);
    expect(report.characters).toEqual([
      { id: "luna", totals: expect.objectContaining({ replies: 7 }) },
    ]);
  });

  it("accepts day ranges of up to 31 days, in order", () => {
    expect(dayRange("2026-02-27", "2026-03-01")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
    ]);
    expect(dayRange("2026-03-01", "2026-02-27")).toBeNull();
    expect(dayRange("2026-01-01", "2026-03-01")).toBeNull();
    expect(dayRange("not-a-day", "2026-03-01")).toBeNull();
  });
});
