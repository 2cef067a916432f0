// Sums daily AI usage documents into totals per day, per user and per character. Pure.
import type { UsageReport, UsageRow, UsageTotals } from "../contract/ai";

const ZERO: UsageTotals = {
  replies: 0,
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  costUsd: 0,
};

function add(into: UsageTotals, row: UsageTotals): UsageTotals {
  return {
    replies: into.replies + row.replies,
    promptTokens: into.promptTokens + row.promptTokens,
    completionTokens: into.completionTokens + row.completionTokens,
    cachedTokens: into.cachedTokens + row.cachedTokens,
    costUsd: Math.round((into.costUsd + row.costUsd) * 1e6) / 1e6,
  };
}

/** Shards of the same day and scope are summed; users and characters sorted by cost. */
export function usageReport(rows: readonly UsageRow[], top = 20): UsageReport {
  let total = ZERO;
  const days: Record<string, UsageTotals> = {};
  const users = new Map<string, UsageTotals>();
  const characters = new Map<string, UsageTotals>();
  for (const row of rows) {
    if (row.scope === "all") {
      total = add(total, row);
      days[row.day] = add(days[row.day] ?? ZERO, row);
    } else if (row.scope === "user") {
      users.set(row.id, add(users.get(row.id) ?? ZERO, row));
    } else if (row.scope === "character") {
      characters.set(row.id, add(characters.get(row.id) ?? ZERO, row));
    }
  }
  const ranked = (map: Map<string, UsageTotals>) =>
    [...map.entries()]
      .map(([id, totals]) => ({ id, totals }))
      .sort((a, b) => b.totals.costUsd - a.totals.costUsd || b.totals.replies - a.totals.replies)
      .slice(0, top);
  return { total, days, users: ranked(users), characters: ranked(characters) };
}

/** The days from `from` to `to` inclusive (YYYY-MM-DD), at most `max` of them. */
export function dayRange(from: string, to: string, max = 31): string[] | null {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return null;
  const count = Math.round((end - start) / 86_400_000) + 1;
  if (count > max) return null;
  return Array.from({ length: count }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}
