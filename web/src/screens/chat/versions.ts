// The alternatives of a regenerated reply in a stable order, so swiping left and right walks
// through them. The server keeps the shown text in `text` and the others in `versions`, and
// selecting one swaps it with the shown text, which reorders `versions`; this keeps the
// order in which the texts were first seen instead. Pure.

export interface Alternatives {
  /** Every text, in the order first seen. */
  order: string[];
  /** Index of the shown text in `order`. */
  position: number;
}

export function alternativesOf(
  previousOrder: readonly string[],
  versions: readonly { text: string }[],
  shown: string,
): Alternatives {
  const present = [...versions.map((version) => version.text), shown];
  const order = previousOrder.filter((text) => present.includes(text));
  for (const text of present) if (!order.includes(text)) order.push(text);
  return { order, position: order.indexOf(shown) };
}

/** The index into `versions` to select to show `order[target]`, or null. */
export function versionIndexFor(
  alternatives: Alternatives,
  versions: readonly { text: string }[],
  target: number,
): number | null {
  const text = alternatives.order[target];
  if (text === undefined || target === alternatives.position) return null;
  const index = versions.findIndex((version) => version.text === text);
  return index >= 0 ? index : null;
}
