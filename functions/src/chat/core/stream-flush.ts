// When the growing reply text may be written to its document while the model streams, and
// when the next piece of it must be moderated first.
//
// Two rules meet here. Firestore's guidance is about one sustained write per second per
// document, so the first text goes out as soon as it may, later updates at most once per
// interval. And no text that moderation would block may ever reach the document, so a
// listener only sees text moderation has passed: the input first (checked while the model
// starts), then each prefix of the reply before it is written. One moderation runs at a
// time, timed to finish about when the next write is due, so a reply costs about one
// moderation call per write. When the stream ends and its whole text has passed, the
// finalizing transaction writes it with the final status (no separate text write).
//
// Pure: the caller feeds events and the clock and carries out the steps.

export const DEFAULT_FLUSH_INTERVAL_MS = 1_000;
/** Start moderating this long before a write is due (about one moderation round trip). */
export const DEFAULT_MODERATION_LEAD_MS = 300;

export type OutputModeration =
  /** Each prefix is moderated before it is written (nothing flagged is ever visible). */
  | "prefix"
  /** Text is written as it arrives; the complete reply is moderated at the end. */
  | "final"
  /** No moderation at all (the offline responder). */
  | "none";

export interface FlushState {
  /** Whether the user's input has passed moderation (generation may start before it has). */
  inputCleared: boolean;
  /** All text received so far. */
  received: string;
  /** The stream has ended; `received` is the whole reply. */
  ended: boolean;
  /** The longest prefix moderation has passed. */
  cleared: string;
  /** The text being moderated now, if a check is running. */
  moderating: string | null;
  /** The text last written to the document. */
  written: string;
  lastWriteAtMs: number | null;
}

export const INITIAL_FLUSH_STATE: FlushState = {
  inputCleared: false,
  received: "",
  ended: false,
  cleared: "",
  moderating: null,
  written: "",
  lastWriteAtMs: null,
};

export interface FlushPolicy {
  output: OutputModeration;
  intervalMs: number;
  moderationLeadMs: number;
}

export type FlushStep =
  | { step: "moderate"; text: string }
  | { step: "write"; text: string }
  /** Wait for the next event (text, end, a verdict), or until `untilMs` if not null. */
  | { step: "wait"; untilMs: number | null }
  /** The whole reply has passed: hand it to the finalizing transaction. */
  | { step: "finish"; text: string };

/** The text a listener may see now. */
export function visibleText(state: FlushState, policy: FlushPolicy): string {
  if (!state.inputCleared) return "";
  return policy.output === "prefix" ? state.cleared : state.received;
}

export function nextFlushStep(state: FlushState, policy: FlushPolicy, nowMs: number): FlushStep {
  if (!state.inputCleared) return { step: "wait", untilMs: null };
  const dueAtMs = state.lastWriteAtMs === null ? nowMs : state.lastWriteAtMs + policy.intervalMs;
  const moderates = policy.output !== "none";
  const needsCheck = (text: string) => moderates && text !== "" && text !== state.cleared;

  if (state.ended) {
    // The final text is checked once more (in full) before it is handed over.
    if (state.moderating !== null) return { step: "wait", untilMs: null };
    if (needsCheck(state.received)) return { step: "moderate", text: state.received };
    return { step: "finish", text: state.received };
  }

  const visible = visibleText(state, policy);
  const unwritten = visible !== "" && visible !== state.written;
  if (unwritten && nowMs >= dueAtMs) return { step: "write", text: visible };
  // Moderate the newest text when the next write is (nearly) due, so the check finishes in
  // time for it, and not while passed text still waits for its write: one check per write.
  const checkable =
    policy.output === "prefix" &&
    state.moderating === null &&
    !unwritten &&
    needsCheck(state.received);
  const checkAtMs = dueAtMs - policy.moderationLeadMs;
  if (checkable && nowMs >= checkAtMs) return { step: "moderate", text: state.received };
  if (unwritten) return { step: "wait", untilMs: dueAtMs };
  if (checkable) return { step: "wait", untilMs: checkAtMs };
  return { step: "wait", untilMs: null };
}

export function afterModerationStarted(state: FlushState, text: string): FlushState {
  return { ...state, moderating: text };
}

/** A retried provider call starts its text over: listeners never see two tries glued. */
export function afterRestart(state: FlushState): FlushState {
  return { ...state, received: "", cleared: "", moderating: null, ended: false };
}

/** The state after a moderation check of `text` passed. */
export function afterCleared(state: FlushState, text: string): FlushState {
  // A check of an older prefix never shrinks what has passed.
  const cleared = text.length >= state.cleared.length ? text : state.cleared;
  return { ...state, cleared, moderating: state.moderating === text ? null : state.moderating };
}

export function afterWrite(state: FlushState, text: string, nowMs: number): FlushState {
  return { ...state, written: text, lastWriteAtMs: nowMs };
}
