// Applies one payment action in one transaction: the payment record, the user's premium and
// (for webhook events) the processed-marker of the event are committed together or not at
// all, so an event has its effect exactly once however often and however concurrently it
// is delivered.
import { Timestamp } from "firebase-admin/firestore";
import { db } from "../shared/firebase";
import { profileRef, userDoc } from "../identity/profiles";
import type { PaymentStatus } from "../contract/payments";
import { decidePayment, type PaymentAction, type PremiumEffect } from "./events";
import { notifyPaymentChange } from "../notifications/payments";
import { paymentDoc, paymentRef, paymentState, stripeEventRef, uidForCustomer } from "./store";

export type ApplyOutcome =
  | { kind: "duplicate" }
  | { kind: "unknown-user"; uid: string | null; customerId: string | null }
  | {
      kind: "applied";
      /** False when the action changed nothing (the success page applied it first, a stale event). */
      changed: boolean;
      uid: string | null;
      status: PaymentStatus;
      effect: PremiumEffect;
      premiumUntilMs: number | null;
    };

export interface ApplyOptions {
  /** The webhook event carrying the action; omitted when the success page reconciles. */
  event?: { id: string; type: string };
  defaultDays: number;
  receiptUrl?: string | null;
  nowMs?: number;
}

/** Whether the event has been processed already (a cheap check before any Stripe call). */
export async function eventProcessed(eventId: string): Promise<boolean> {
  return (await stripeEventRef(eventId).get()).exists;
}

export async function applyPaymentAction(
  action: PaymentAction,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  // Ten identical deliveries at once contend for the same documents; each retry finds the
  // marker of the one that committed.
  return db().runTransaction(
    async (tx): Promise<ApplyOutcome> => {
      const nowMs = options.nowMs ?? Date.now();
      if (options.event && (await tx.get(stripeEventRef(options.event.id))).exists) {
        return { kind: "duplicate" };
      }
      const ref = paymentRef(action.paymentIntentId);
      const stored = (await tx.get(ref)).data();
      const previous = stored ? paymentState(stored) : null;

      let uid = previous?.uid ?? null;
      if (action.kind === "checkout" && uid === null) {
        uid =
          action.uid ?? (action.customerId ? await uidForCustomer(tx, action.customerId) : null);
      }
      // A malformed profile throws here (StoredDataError), before anything is written.
      const profile = uid === null ? undefined : (await tx.get(profileRef(uid))).data();
      if (action.kind === "checkout" && !profile) {
        // Not one of our users (or one deleted since): nothing to grant, nothing to write.
        return { kind: "unknown-user", uid, customerId: action.customerId };
      }

      const decision = decidePayment(
        previous,
        action.kind === "checkout" ? { ...action, uid } : action,
        {
          nowMs,
          currentUntilMs: profile?.premiumUntil?.toMillis() ?? null,
          defaultDays: options.defaultDays,
          receiptUrl: options.receiptUrl ?? null,
        },
      );
      const now = Timestamp.fromMillis(nowMs);
      if (decision.changed) tx.set(ref, paymentDoc(decision.record, stored?.createdAt ?? now, now));
      if (profile && decision.record.uid !== null && decision.effect !== "none") {
        const premiumUntil =
          decision.premiumUntilMs === null ? null : Timestamp.fromMillis(decision.premiumUntilMs);
        tx.update(userDoc(decision.record.uid), { premiumUntil, updatedAt: now });
      }
      if (options.event) {
        tx.create(stripeEventRef(options.event.id), {
          type: options.event.type,
          paymentIntentId: action.paymentIntentId,
          uid: decision.record.uid,
          effect: decision.effect,
          processedAt: now,
        });
      }
      // Premium activated, payment failed, refunded or disputed: tell the payer (no reads).
      notifyPaymentChange(tx, {
        uid: decision.record.uid,
        profile,
        paymentIntentId: action.paymentIntentId,
        before: previous?.status ?? null,
        after: decision.record.status,
        effect: decision.effect,
        premiumUntilMs: decision.premiumUntilMs,
        amount: decision.record.amount,
        currency: decision.record.currency,
      });
      return {
        kind: "applied",
        changed: decision.changed,
        uid: decision.record.uid,
        status: decision.record.status,
        effect: decision.effect,
        premiumUntilMs: profile ? decision.premiumUntilMs : null,
      };
    },
    { maxAttempts: 10 },
  );
}
