import { describe, expect, it } from "vitest";
import { Timestamp } from "../../../functions/src/shared/firebase";
import {
  STATS_REFRESH_MS,
  VIEW_COUNT_REFRESH_MS,
  countedRatingDelta,
  deltaAsShard,
  isNoChange,
  pickShard,
  ratingDelta,
  shardCountsFrom,
  starsOf,
  statsRefreshDue,
  sumViewShards,
  viewCountRefreshDue,
} from "../../../functions/src/characters/counters";
import {
  characterStatsFromShards,
  type ShardCounts,
} from "../../../functions/src/characters/stats";
import { characterStatsSchema, EMPTY_STATS } from "../../../functions/src/contract/characters";

const rating = (stars: number) => ({ uid: "u1", stars });

describe("rating deltas", () => {
  it("adds a new rating, moves a changed one, removes a deleted one", () => {
    expect(ratingDelta(undefined, rating(4))).toEqual({ ratingCount: 1, ratingSum: 4 });
    expect(ratingDelta(rating(5), rating(2))).toEqual({ ratingCount: 0, ratingSum: -3 });
    expect(ratingDelta(rating(3), undefined)).toEqual({ ratingCount: -1, ratingSum: -3 });
    expect(isNoChange(ratingDelta(rating(3), rating(3)))).toBe(true);
  });

  it("counts no rating written under a draft, but takes out one removed there", () => {
    expect(countedRatingDelta(false, undefined, rating(5))).toEqual({
      ratingCount: 0,
      ratingSum: 0,
    });
    expect(countedRatingDelta(false, rating(5), rating(1))).toEqual({
      ratingCount: 0,
      ratingSum: 0,
    });
    expect(countedRatingDelta(false, rating(4), undefined)).toEqual({
      ratingCount: -1,
      ratingSum: -4,
    });
    expect(countedRatingDelta(true, rating(5), rating(1))).toEqual(
      ratingDelta(rating(5), rating(1)),
    );
  });

  it("treats a malformed rating as no rating", () => {
    for (const bad of [{ stars: 6 }, { stars: 0 }, { stars: 2.5 }, { stars: "5" }, {}, null, "5"]) {
      expect(starsOf(bad), JSON.stringify(bad)).toBeNull();
      expect(ratingDelta(undefined, bad)).toEqual({ ratingCount: 0, ratingSum: 0 });
    }
    expect(ratingDelta({ stars: 9 }, rating(5))).toEqual({ ratingCount: 1, ratingSum: 5 });
  });

  it("any sequence of writes adds up to the ratings that remain", () => {
    const shards: ShardCounts[] = [];
    const writes: [unknown, unknown][] = [
      [undefined, rating(5)], // a: 5
      [undefined, rating(1)], // b: 1
      [rating(5), rating(2)], // a: 2
      [rating(1), undefined], // b removed
      [undefined, rating(4)], // c: 4
    ];
    for (const [before, after] of writes) shards.push(deltaAsShard(ratingDelta(before, after)));
    const stats = characterStatsFromShards(shards, 0);
    expect(stats.ratingCount).toBe(2);
    expect(stats.ratingSum).toBe(6);
    expect(stats.ratingAverage).toBe(3);
  });
});

describe("shards", () => {
  it("reads stored counters, with missing or malformed ones as zero", () => {
    expect(
      shardCountsFrom({
        messages: 3,
        ratingCount: 2,
        ratingSum: 9,
        lastActiveAtMs: 42,
        followers: 4,
        followersChangedAtMs: 40,
      }),
    ).toEqual({
      conversations: 0,
      messages: 3,
      ratingCount: 2,
      ratingSum: 9,
      lastActiveAtMs: 42,
      followers: 4,
    });
    expect(shardCountsFrom({ messages: "many", lastActiveAtMs: 0 })).toMatchObject({
      messages: 0,
      lastActiveAtMs: null,
    });
    expect(shardCountsFrom(undefined)).toEqual({
      conversations: 0,
      messages: 0,
      ratingCount: 0,
      ratingSum: 0,
      lastActiveAtMs: null,
      followers: 0,
    });
    // A shard may go negative (a rating added on one shard, removed on another).
    expect(shardCountsFrom({ ratingCount: -1, ratingSum: -4 })).toMatchObject({
      ratingCount: -1,
      ratingSum: -4,
    });
  });

  it("sums followers over shards, never below zero, and reads stats stored before follows as 0 followers", () => {
    const shard = (followers: number) => ({ ...shardCountsFrom({}), followers });
    // A follow counted on one shard and its unfollow on another: -1 there, +1 here.
    expect(characterStatsFromShards([shard(3), shard(-1), shard(2)], 0).followers).toBe(4);
    expect(characterStatsFromShards([shard(-2)], 0).followers).toBe(0);
    const { followers: _followers, ...older } = EMPTY_STATS;
    expect(characterStatsSchema.parse(older).followers).toBe(0);
  });

  it("refreshes a character's stats from the follow trigger at most once a minute", () => {
    const at = (ms: number) => Timestamp.fromMillis(ms);
    expect(statsRefreshDue(undefined, 1_000_000)).toBe(true);
    expect(statsRefreshDue(at(1_000_000 - STATS_REFRESH_MS + 1), 1_000_000)).toBe(false);
    expect(statsRefreshDue(at(1_000_000 - STATS_REFRESH_MS), 1_000_000)).toBe(true);
    // A clock that went backwards does not freeze the stats.
    expect(statsRefreshDue(at(2_000_000), 1_000_000)).toBe(true);
  });

  it("sums view shards", () => {
    expect(sumViewShards([{ count: 2 }, { count: 3, updatedAtMs: 1 }, {}, { count: "x" }])).toBe(5);
    expect(sumViewShards([])).toBe(0);
  });

  it("picks a shard in range", () => {
    expect(pickShard(10, 0)).toBe(0);
    expect(pickShard(10, 0.999999)).toBe(9);
    expect(pickShard(10, 0.55)).toBe(5);
    expect(pickShard(10, 1)).toBe(9);
  });
});

describe("view count refresh", () => {
  const now = 1_000_000_000;
  it("refreshes a never-refreshed item, then at most once per interval", () => {
    expect(viewCountRefreshDue(null, now)).toBe(true);
    expect(viewCountRefreshDue(undefined, now)).toBe(true);
    expect(viewCountRefreshDue(now - 1000, now)).toBe(false);
    expect(viewCountRefreshDue(now - VIEW_COUNT_REFRESH_MS + 1, now)).toBe(false);
    expect(viewCountRefreshDue(now - VIEW_COUNT_REFRESH_MS, now)).toBe(true);
  });

  it("refreshes when the stored time is in the future (a clock was wrong)", () => {
    expect(viewCountRefreshDue(now + 5000, now)).toBe(true);
  });
});
