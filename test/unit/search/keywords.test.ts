import { describe, expect, it } from "vitest";
import { queryKeywords, searchKeywords } from "../../../functions/src/contract/search";
import { deliveredSomething } from "../../../functions/src/chat/finalize";
import { characterStatsFromShards, popularityScore } from "../../../functions/src/characters/stats";

describe("search keywords", () => {
  it("lower-cases, folds accents, drops short and common words, de-duplicates", () => {
    expect(searchKeywords("The Café and the CAFE, a lighthouse!")).toEqual(["cafe", "lighthouse"]);
    expect(searchKeywords("")).toEqual([]);
  });

  it("caps the number of keywords so documents stay small", () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(" ");
    expect(searchKeywords(text)).toHaveLength(60);
    expect(queryKeywords(text)).toHaveLength(10);
  });
});

describe("quota refund rule", () => {
  it("charges only replies that delivered something", () => {
    expect(deliveredSomething({ status: "complete", text: "hi" })).toBe(true);
    expect(deliveredSomething({ status: "stopped", text: "partial" })).toBe(true);
    expect(deliveredSomething({ status: "stopped", text: "  " })).toBe(false);
    expect(deliveredSomething({ status: "failed", text: "" })).toBe(false);
    expect(deliveredSomething({ status: "blocked", text: "" })).toBe(false);
  });
});

describe("character stats", () => {
  const now = Date.UTC(2026, 10, 22);
  it("sums shards and averages ratings", () => {
    const stats = characterStatsFromShards(
      [
        {
          conversations: 2,
          messages: 10,
          ratingCount: 1,
          ratingSum: 5,
          lastActiveAtMs: now - 1000,
        },
        { conversations: 1, messages: 5, ratingCount: 2, ratingSum: 6, lastActiveAtMs: now - 5000 },
      ],
      now,
    );
    expect(stats).toMatchObject({
      conversations: 3,
      messages: 15,
      ratingCount: 3,
      ratingSum: 11,
      ratingAverage: 3.67,
      lastActiveAt: now - 1000,
    });
  });

  it("ranks activity higher, and lets it fade with a 7-day half-life", () => {
    const base = {
      conversations: 100,
      messages: 1000,
      ratingCount: 10,
      ratingSum: 45,
      ratingAverage: 4.5,
    };
    const fresh = popularityScore({ ...base, lastActiveAt: now }, now);
    const weekOld = popularityScore({ ...base, lastActiveAt: now - 7 * 86_400_000 }, now);
    expect(weekOld).toBeCloseTo(fresh / 2, 2);
    const quiet = popularityScore(
      { ...base, conversations: 1, messages: 2, lastActiveAt: now },
      now,
    );
    expect(quiet).toBeLessThan(fresh);
  });
});
