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
      row("2026-11-21", "user", "alice", 3, 0.003),
      row("2026-11-22", "user", "bob", 4, 0.004),
      row("2026-11-22", "character", "luna", 4, 0.004),
      row("2026-11-21", "character", "luna", 2, 0.002),
      row("2026-11-21", "character", "luna", 1, 0.001),
      row("2026-11-22", "character", "orion", 1, 0.01),
    ]);
    expect(report.total).toMatchObject({ replies: 8, promptTokens: 800, costUsd: 0.017 });
    expect(report.days["2026-11-21"]?.replies).toBe(3);
    expect(report.days["2026-11-22"]?.replies).toBe(5);
    expect(report.users.map((u) => u.id)).toEqual(["bob", "alice"]);
    expect(report.characters).toEqual([
      { id: "orion", totals: expect.objectContaining({ replies: 1 }) },
      { id: "luna", totals: expect.objectContaining({ replies: 7 }) },
    ]);
  });

  it("counts every shard there is, however many the setting says now", () => {
    // A day written with 3 shards, then with 40: all of them count.
    const rows = Array.from({ length: 40 }, (_, shard) =>
      row("2026-11-23", "character", "luna", shard < 3 ? 10 : 1, 0),
    );
    expect(usageReport(rows).characters[0]?.totals.replies).toBe(3 * 10 + 37);
    expect(usageReport(rows).total.replies).toBe(67);
  });

  it("does not count days recorded with global documents twice", () => {
    // Before the totals came from the character documents, every reply also incremented an
    // "all" document; those days hold both, and the totals stay the same.
    const report = usageReport([
      row("2026-11-20", "all", "all", 5, 0.005),
      row("2026-11-20", "character", "luna", 3, 0.003),
      row("2026-11-20", "character", "orion", 2, 0.002),
      row("2026-11-20", "user", "alice", 5, 0.005),
    ]);
    expect(report.total).toMatchObject({ replies: 5, costUsd: 0.005 });
    expect(report.days["2026-11-20"]?.replies).toBe(5);
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
