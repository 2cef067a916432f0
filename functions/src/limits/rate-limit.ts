// Rate limits stored in Firestore (users/{uid}/rateLimits/{bucket}), checked in a
// transaction, so every instance sees the same count.
import type { Transaction } from "firebase-admin/firestore";
import { rateLimitWindowSchema } from "../contract/usage";
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";
import { RATE_LIMITS, slidingWindow, type RateBucket, type WindowDecision } from "./policy";
import { fail } from "../shared/callable";

export function rateLimitRef(uid: string, bucket: RateBucket) {
  return db().doc(paths.rateLimit(uid, bucket));
}

/** Reads the window (a transaction read) and returns the decision plus its write. */
export async function checkRateLimitIn(
  tx: Transaction,
  uid: string,
  bucket: RateBucket,
  nowMs: number,
): Promise<{ decision: WindowDecision; commit: () => void }> {
  const ref = rateLimitRef(uid, bucket);
  const snapshot = await tx.get(ref);
  const stored = rateLimitWindowSchema.safeParse(snapshot.data() ?? {});
  const decision = slidingWindow(
    stored.success ? stored.data.hits : [],
    nowMs,
    RATE_LIMITS[bucket],
  );
  return {
    decision,
    commit: () => {
      if (decision.allowed) tx.set(ref, { hits: decision.hits, updatedAt: new Date(nowMs) });
    },
  };
}

/** For callables: throws `resource-exhausted` with the retry time when over the limit. */
export async function enforceRateLimit(
  uid: string,
  bucket: RateBucket,
  nowMs = Date.now(),
): Promise<void> {
  const decision = await db().runTransaction(async (tx) => {
    const check = await checkRateLimitIn(tx, uid, bucket, nowMs);
    check.commit();
    return check.decision;
  });
  if (!decision.allowed) {
    const retryAfterSeconds = Math.ceil(decision.retryAfterMs / 1000);
    fail("rate_limited", `Too many requests; try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
      retryAt: new Date(nowMs + decision.retryAfterMs).toISOString(),
    });
  }
}
