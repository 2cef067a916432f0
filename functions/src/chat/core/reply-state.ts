// The life of a reply document, and who may work on it. Firestore triggers are delivered at
// least once and a function instance can die mid-stream, so every delivery first decides,
// inside a transaction, whether to start, take over or leave the reply alone. The statuses
// and their transitions are in contract/chat.ts.
import { isTerminal, type ReplyStatus } from "../../contract/chat";

/** A reply is generated at most this many times (first take included) before it is failed. */
export const MAX_TAKES = 3;

/** How long a generating worker owns a reply without renewing; longer than one model call. */
export const DEFAULT_LEASE_MS = 90_000;

export interface ExistingReply {
  status: ReplyStatus;
  leaseExpiresAtMs?: number;
  /** Takes so far; a missing value on a generating reply counts as one. */
  attempt?: number;
}

export type ClaimDecision =
  /** `leaseExpiresAtMs` is the lease to write with status `generating`. */
  | { action: "start"; attempt: 1; leaseExpiresAtMs: number }
  | { action: "retake"; attempt: number; leaseExpiresAtMs: number }
  | { action: "skip"; reason: "finished" | "lease_active" }
  /** Every take died mid-way: the caller writes status `failed`. */
  | { action: "fail"; reason: "takes_exhausted"; attempt: number };

export function decideClaim(
  existing: ExistingReply | null,
  nowMs: number,
  leaseMs: number = DEFAULT_LEASE_MS,
): ClaimDecision {
  const leaseExpiresAtMs = leaseExpiry(nowMs, leaseMs);
  if (existing === null || existing.status === "pending") {
    return { action: "start", attempt: 1, leaseExpiresAtMs };
  }
  if (isTerminal(existing.status)) return { action: "skip", reason: "finished" };
  // generating: a worker that set no lease cannot be waited for, so its lease counts as expired.
  const currentLease = existing.leaseExpiresAtMs ?? Number.NEGATIVE_INFINITY;
  if (currentLease > nowMs) return { action: "skip", reason: "lease_active" };
  const attempt = (existing.attempt ?? 1) + 1;
  if (attempt > MAX_TAKES) return { action: "fail", reason: "takes_exhausted", attempt };
  return { action: "retake", attempt, leaseExpiresAtMs };
}

/** The lease to write with a start, a retake or a renewal. */
export function leaseExpiry(nowMs: number, leaseMs: number = DEFAULT_LEASE_MS): number {
  return nowMs + leaseMs;
}
