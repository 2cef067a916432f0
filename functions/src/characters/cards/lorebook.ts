// A card's `character_book` <-> our knowledge base (`ai.knowledgeBase`) and lorebook fields
// (`ai.lorebook`). Entry fields we do not map are kept by their card name in the entry's
// `extensions`, so an export writes them back as they came. Pure: no Firebase imports.
import type { z } from "zod";
import type { KnowledgeEntry, knowledgeEntrySchema } from "../../contract/characters";
import type { CardBook, CardEntry } from "./card-schema";
import { isEmptyObject } from "./plain";

const MAPPED_ENTRY_FIELDS = new Set([
  "keys",
  "content",
  "enabled",
  "insertion_order",
  "priority",
  "constant",
  "name",
  "id",
]);

/**
 * Values every export writes when nothing else is known (an empty `extensions`,
 * `use_regex: false`); storing them would make a re-imported character differ from the one
 * exported.
 */
function isExportDefault(key: string, value: unknown): boolean {
  return (
    value === undefined ||
    (key === "extensions" && (value === null || isEmptyObject(value))) ||
    (key === "use_regex" && value === false)
  );
}

function keptFields(source: Record<string, unknown>, mapped: ReadonlySet<string>) {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (!mapped.has(key) && !isExportDefault(key, value)) kept[key] = value;
  }
  return kept;
}

export function entryFromCard(
  entry: CardEntry,
  index: number,
): z.input<typeof knowledgeEntrySchema> {
  return {
    // Entries need an id of ours; one from the entry's position stays the same on re-import.
    id: entry.id == null ? `entry-${index}` : String(entry.id),
    keys: entry.keys ?? [],
    content: entry.content,
    enabled: entry.enabled ?? undefined,
    constant: entry.constant ?? undefined,
    insertionOrder: entry.insertion_order ?? undefined,
    priority: entry.priority ?? undefined,
    name: entry.name ?? undefined,
    extensions: keptFields(entry, MAPPED_ENTRY_FIELDS),
  };
}

/** Book-level fields (name, scan_depth, ...), everything but the entries. */
export function lorebookFromCard(book: CardBook): Record<string, unknown> {
  return keptFields(book, new Set(["entries"]));
}

/** Ids that are whole numbers go back as numbers, as V2 writes them. */
function cardEntryId(id: string): number | string {
  const asNumber = Number(id);
  return /^(0|-?[1-9]\d*)$/.test(id) && Number.isSafeInteger(asNumber) ? asNumber : id;
}

export function entryToCard(entry: KnowledgeEntry, version: 2 | 3): Record<string, unknown> {
  return {
    extensions: {},
    // V3 requires `use_regex`; our entries match plain keywords.
    ...(version === 3 ? { use_regex: false } : {}),
    ...entry.extensions,
    // Mapped fields come last so nothing kept can shadow them.
    id: cardEntryId(entry.id),
    keys: entry.keys,
    content: entry.content,
    enabled: entry.enabled,
    insertion_order: entry.insertionOrder,
    priority: entry.priority,
    constant: entry.constant,
    name: entry.name,
  };
}

/** Undefined when the character has neither knowledge entries nor lorebook fields. */
export function bookToCard(
  entries: readonly KnowledgeEntry[],
  lorebook: Record<string, unknown>,
  version: 2 | 3,
): Record<string, unknown> | undefined {
  if (entries.length === 0 && Object.keys(lorebook).length === 0) return undefined;
  return {
    extensions: {},
    ...lorebook,
    entries: entries.map((entry) => entryToCard(entry, version)),
  };
}
