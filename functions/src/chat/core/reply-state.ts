// The life of a reply document, and who may work on it. Firestore triggers are delivered at
// least once, a function instance can die mid-stream, and a user may regenerate or stop a
// reply at any moment, so every status change is checked against this table, and every take
// (a first answer, a retake after a crash, a regeneration) is decided by `decideTake` in
// chat/core/take.ts, inside the transaction that writes it.

export const REPLY_STATUSES = [
  "generating",
  "complete",
  "blocked",
  "failed",
  "stopped",
  "limit_reached",
  "rate_limited",
] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

// A reply document is first written by the claim, already decided: `generating`, or one of
// the refusals (`failed`, `limit_reached`, `rate_limited`); see chat/core/take.ts.
const TRANSITIONS: Record<ReplyStatus, readonly ReplyStatus[]> = {
  // generating -> generating is a retake after a crash. Input moderation runs while the
  // model starts, so a blocked input also ends a generating reply.
  generating: ["generating", "complete", "blocked", "failed", "stopped"],
  // A delivered, stopped, failed or blocked reply may be generated again (regenerate).
  complete: ["generating"],
  blocked: ["generating"],
  failed: ["generating"],
  stopped: ["generating"],
  // A refused message is not answered later: the user sends a new one.
  limit_reached: [],
  rate_limited: [],
};

/** The statuses a reply rests in: no worker is on it. */
export const FINAL_STATUSES: readonly ReplyStatus[] = REPLY_STATUSES.filter(
  (status) => status !== "generating",
);

/** Final statuses a regeneration may start from. */
export const REGENERABLE_STATUSES: readonly ReplyStatus[] = FINAL_STATUSES.filter((status) =>
  TRANSITIONS[status].includes("generating"),
);

export function isFinal(status: ReplyStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function canTransition(from: ReplyStatus, to: ReplyStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: ReplyStatus): readonly ReplyStatus[] {
  return TRANSITIONS[from];
}

/** A reply is generated at most this many times per take (first try included) before it fails. */
export const MAX_TAKES = 3;

/** How long a generating worker owns a reply without renewing its lease. */
export const DEFAULT_LEASE_MS = 90_000;

/** A streaming worker renews its lease this often, well inside the lease. */
export const DEFAULT_LEASE_RENEW_MS = 30_000;

/** The lease to write with a take or a renewal. */
export function leaseExpiry(nowMs: number, leaseMs: number = DEFAULT_LEASE_MS): number {
  return nowMs + leaseMs;
}
