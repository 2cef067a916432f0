// Who may work on a reply, and for how long. Firestore triggers are delivered at least once,
// a function instance can die mid-stream, and a user may regenerate or stop a reply at any
// moment: every take (a first answer, a retake after a crash, a regeneration) is decided by
// `decideTake` (core/take.ts) inside the transaction that writes it, against the reply's
// status machine in contract/chat.ts, and a worker holds its take with a lease it renews.

/** A take is tried at most this many times (first try included) before the reply fails. */
export const MAX_TAKES = 3;

/** How long a generating worker owns a reply without renewing its lease. */
export const DEFAULT_LEASE_MS = 90_000;

/** A streaming worker renews its lease this often, well inside the lease. */
export const DEFAULT_LEASE_RENEW_MS = 30_000;

/** The lease to write with a take or a renewal. */
export function leaseExpiry(nowMs: number, leaseMs: number = DEFAULT_LEASE_MS): number {
  return nowMs + leaseMs;
}
