// Summaries of a list of timings.

export interface Summary {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function summarise(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    median: median ?? NaN,
    p95: nearestRank(sorted, 95),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}
