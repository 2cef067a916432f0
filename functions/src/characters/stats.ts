// Character stats from counter shards, and the popularity score. Pure.
import type { CharacterStats } from "../contract/characters";

export interface ShardCounts {
  conversations: number;
  messages: number;
  ratingCount: number;
  ratingSum: number;
  lastActiveAtMs: number | null;
  /** Follows counted on this shard (absent on shards written before follows existed). */
  followers?: number;
}

/** Days after which recent activity has half the weight it had. */
export const POPULARITY_HALF_LIFE_DAYS = 7;

/**
 * popularity = (ln(1 + conversations) * 10 + ln(1 + messages) * 2 + bayesianRating * 4)
 *              * 0.5 ^ (daysSinceLastActive / 7)
 * where bayesianRating = (ratingSum + 3 * 5) / (ratingCount + 5) pulls characters with few
 * ratings toward a neutral 3 stars. Logarithms keep one huge character from dwarfing all.
 */
export function popularityScore(
  stats: Omit<CharacterStats, "popularity" | "followers">,
  nowMs: number,
): number {
  const bayesianRating = (stats.ratingSum + 3 * 5) / (stats.ratingCount + 5);
  const base =
    Math.log1p(stats.conversations) * 10 + Math.log1p(stats.messages) * 2 + bayesianRating * 4;
  if (stats.lastActiveAt === null) return round(base * 0.5);
  const days = Math.max(0, nowMs - stats.lastActiveAt) / 86_400_000;
  return round(base * Math.pow(0.5, days / POPULARITY_HALF_LIFE_DAYS));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function characterStatsFromShards(
  shards: readonly ShardCounts[],
  nowMs: number,
): CharacterStats {
  const sum = (pick: (shard: ShardCounts) => number) =>
    shards.reduce((total, shard) => total + pick(shard), 0);
  const ratingCount = Math.max(
    0,
    sum((shard) => shard.ratingCount),
  );
  const ratingSum = Math.max(
    0,
    sum((shard) => shard.ratingSum),
  );
  const lastActive = shards.reduce<number | null>(
    (latest, shard) =>
      shard.lastActiveAtMs !== null && (latest === null || shard.lastActiveAtMs > latest)
        ? shard.lastActiveAtMs
        : latest,
    null,
  );
  const withoutPopularity = {
    conversations: Math.max(
      0,
      sum((shard) => shard.conversations),
    ),
    messages: Math.max(
      0,
      sum((shard) => shard.messages),
    ),
    ratingCount,
    ratingSum,
    ratingAverage: ratingCount > 0 ? Math.round((ratingSum / ratingCount) * 100) / 100 : 0,
    lastActiveAt: lastActive,
    followers: Math.max(
      0,
      sum((shard) => shard.followers ?? 0),
    ),
  };
  return { ...withoutPopularity, popularity: popularityScore(withoutPopularity, nowMs) };
}
