// The alternatives of a regenerated reply in a stable order, so swiping left and right walks
// through them. The server keeps the shown text in `text` and the others in `versions`;
// selecting one swaps it with the shown text, which reorders `versions`. This keeps the order
// in which the alternatives were first seen, and which of them is shown (two alternatives
// may have the same text). Pure.

export interface Alternatives {
  /** Every alternative's text, in the order first seen (duplicates allowed). */
  order: readonly string[];
  /** Index of the shown alternative in `order`. */
  position: number;
}

function countsOf(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return counts;
}

/**
 * The alternatives after the reply changed: entries still present keep their place, new ones
 * are appended, and the shown one is the previous position when its text is still shown
 * (a swipe between equal texts), else the last entry with the shown text.
 */
export function nextAlternatives(
  previous: Alternatives | null,
  versions: readonly { text: string }[],
  shown: string,
): Alternatives {
  const present = countsOf([...versions.map((version) => version.text), shown]);
  const order: string[] = [];
  for (const text of previous?.order ?? []) {
    const left = present.get(text) ?? 0;
    if (left > 0) {
      order.push(text);
      present.set(text, left - 1);
    }
  }
  const appended: string[] = [];
  for (const text of [...versions.map((version) => version.text), shown]) {
    const left = present.get(text) ?? 0;
    if (left > 0) {
      appended.push(text);
      present.set(text, left - 1);
    }
  }
  order.push(...appended);
  const kept =
    previous !== null &&
    appended.length === 0 &&
    order.length === previous.order.length &&
    order[previous.position] === shown;
  return { order, position: kept ? previous.position : order.lastIndexOf(shown) };
}

/**
 * How to show `order[target]`: the index into `versions` to select, or null when nothing must
 * be asked of the server (the target's text is the one shown already).
 */
export function versionIndexFor(
  alternatives: Alternatives,
  versions: readonly { text: string }[],
  shown: string,
  target: number,
): number | null {
  const text = alternatives.order[target];
  if (text === undefined || text === shown) return null;
  const index = versions.findIndex((version) => version.text === text);
  return index >= 0 ? index : null;
}

export function sameAlternatives(a: Alternatives | null, b: Alternatives): boolean {
  return (
    a !== null &&
    a.position === b.position &&
    a.order.length === b.order.length &&
    a.order.every((text, index) => text === b.order[index])
  );
}
