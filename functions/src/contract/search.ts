// Words a message can be found by: lower-cased, accents folded, de-duplicated, capped, so a
// search is one indexed `array-contains` query however long the conversation is. Pure.
//
// A client sends its message's `keywords` with it (the client library does), so the reply's
// claim need not write them; the claim computes them again and writes them only when a
// client sent none or others.
export const MAX_KEYWORDS = 60;
const MIN_LENGTH = 2;
const STOP = new Set(
  "the and for you your are was with that this have not but what all can her his him she they them our out its from just".split(
    " ",
  ),
);

export function normalizeWord(word: string): string {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

export function searchKeywords(text: string): string[] {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = new Set<string>();
  for (const word of words) {
    const normal = normalizeWord(word);
    if (normal.length < MIN_LENGTH || normal.length > 40 || STOP.has(normal)) continue;
    unique.add(normal);
    if (unique.size >= MAX_KEYWORDS) break;
  }
  return [...unique];
}

/** The query's words; a message matches when it has all of them. */
export function queryKeywords(query: string): string[] {
  return searchKeywords(query).slice(0, 10);
}

/** Whether `sent` are exactly the keywords of `text` (in any order). */
export function keywordsMatch(sent: readonly string[] | undefined, text: string): boolean {
  if (!sent) return false;
  const expected = searchKeywords(text);
  return sent.length === expected.length && expected.every((word) => sent.includes(word));
}
