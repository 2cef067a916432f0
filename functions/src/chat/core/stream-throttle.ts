// When to write the growing reply text to its document while the model streams.
//
// Firestore's guidance is about one sustained write per second per document, so: the first
// write goes out as soon as there is any text (the user sees the reply start at once), later
// ones at most once per interval and only when the text changed, and the final text is always
// written. The caller passes the clock, which keeps this testable and deterministic.

export const DEFAULT_STREAM_WRITE_INTERVAL_MS = 1_000;

export class StreamWriteThrottle {
  private lastWriteAtMs: number | null = null;
  private lastWrittenText = "";

  constructor(private readonly intervalMs: number = DEFAULT_STREAM_WRITE_INTERVAL_MS) {}

  /** True when the caller should write `text` now; the write is then counted as done. */
  shouldWrite(text: string, nowMs: number): boolean {
    if (text === "" || text === this.lastWrittenText) return false;
    if (this.lastWriteAtMs !== null && nowMs - this.lastWriteAtMs < this.intervalMs) return false;
    this.record(text, nowMs);
    return true;
  }

  /** The final write always happens: it also carries the final status. */
  finalWrite(text: string, nowMs: number): true {
    this.record(text, nowMs);
    return true;
  }

  /** Whether newer text than the last write is waiting (for a timer-driven flush). */
  hasUnwritten(text: string): boolean {
    return text !== "" && text !== this.lastWrittenText;
  }

  /** Milliseconds until a write would be allowed again (0: now). */
  msUntilNextWrite(nowMs: number): number {
    if (this.lastWriteAtMs === null) return 0;
    return Math.max(0, this.lastWriteAtMs + this.intervalMs - nowMs);
  }

  private record(text: string, nowMs: number): void {
    this.lastWriteAtMs = nowMs;
    this.lastWrittenText = text;
  }
}
