// Knowledge-base (lorebook) entries: which ones the recent conversation activates, and which
// of those fit the character's knowledge budget.
import { z } from "zod";
import type { AiSettings, KnowledgeEntry } from "../../contract/characters";

/** How many recent turns, besides the new message, are scanned for keys. */
export const DEFAULT_KNOWLEDGE_SCAN_DEPTH = 4;

// Imported character cards carry their lorebook's own scan depth; honour it when sane.
const scanDepthSchema = z.object({ scan_depth: z.number().int().min(0).max(100) });

export function knowledgeScanDepth(ai: AiSettings): number {
  const parsed = scanDepthSchema.safeParse(ai.lorebook);
  return parsed.success ? parsed.data.scan_depth : DEFAULT_KNOWLEDGE_SCAN_DEPTH;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Case-insensitive, whole-word-ish: the key must not sit inside a longer word ("cat" does not
 * fire on "concatenate"), but punctuation, spaces and text edges all count as boundaries.
 */
export function keyMatches(key: string, text: string): boolean {
  const trimmed = key.trim();
  if (trimmed === "") return false;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_])${escapeRegExp(trimmed)}(?![\\p{L}\\p{N}_])`,
    "iu",
  );
  return pattern.test(text);
}

/** Enabled entries that are constant or whose keys appear in any of the scanned texts. */
export function activateKnowledge(
  entries: readonly KnowledgeEntry[],
  scannedTexts: readonly string[],
): KnowledgeEntry[] {
  return entries.filter(
    (entry) =>
      entry.enabled &&
      (entry.constant ||
        entry.keys.some((key) => scannedTexts.some((text) => keyMatches(key, text)))),
  );
}

function byInsertionOrder(a: KnowledgeEntry, b: KnowledgeEntry): number {
  return a.insertionOrder - b.insertionOrder || a.id.localeCompare(b.id);
}

function byPriority(a: KnowledgeEntry, b: KnowledgeEntry): number {
  return b.priority - a.priority || byInsertionOrder(a, b);
}

/**
 * Greedy by priority (highest first; an entry too large for what is left is skipped so that
 * smaller, lower-priority ones can still fit), returned in insertion order, the order the
 * card's author wants them read in. `cost` is the token cost of one entry.
 */
export function selectKnowledge(
  active: readonly KnowledgeEntry[],
  budgetTokens: number,
  cost: (entry: KnowledgeEntry) => number,
): KnowledgeEntry[] {
  let left = budgetTokens;
  const chosen: KnowledgeEntry[] = [];
  for (const entry of [...active].sort(byPriority)) {
    const tokens = cost(entry);
    if (tokens <= left) {
      chosen.push(entry);
      left -= tokens;
    }
  }
  return chosen.sort(byInsertionOrder);
}

/** Without its lowest-priority entry: the first thing given up when the prompt is too long. */
export function withoutLowestPriority(entries: readonly KnowledgeEntry[]): KnowledgeEntry[] {
  if (entries.length === 0) return [];
  const lowest = [...entries].sort(byPriority)[entries.length - 1];
  return entries.filter((entry) => entry !== lowest);
}
