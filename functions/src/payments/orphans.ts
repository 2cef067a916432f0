// Money is never taken silently: a paid premium Checkout whose account no longer exists is
// recorded in orphanedPayments/{paymentIntentId} (admins read it) and refunded in full
// through Stripe, once, however often and however concurrently its event is delivered.
//
// 1. A transaction records the orphan (nextOrphanStep). When no refund is due it also writes
//    the event's processed-marker, and the event is done.
// 2. Otherwise Stripe is asked for the refund with one idempotency key per payment, so
//    duplicate deliveries get the same refund back; a refund Stripe already made
//    (`charge_already_refunded`) counts as made.
// 3. A second transaction records the refund and the marker. Any failure before that throws:
//    the webhook answers 500 and Stripe delivers the event again, which repeats 1-3.
import { Timestamp } from "firebase-admin/firestore";
import { logger } from "firebase-functions/v2";
import Stripe from "stripe";
import { adminAuth, db } from "../shared/firebase";
import type { PaymentAction } from "./events";
import { nextOrphanStep, orphanRefundIdempotencyKey } from "./orphan-policy";
import { orphanedPaymentRef, stripeEventRef, type OrphanedPaymentDoc } from "./store";

type CheckoutAction = Extract<PaymentAction, { kind: "checkout" }>;

export type OrphanOutcome = "orphan-refunded" | "orphan-recorded" | "duplicate";

/** A checkout for a profile that is missing while its Auth account exists: not an orphan. */
export class ProfileMissingError extends Error {}

async function accountExists(uid: string): Promise<boolean> {
  return adminAuth()
    .getUser(uid)
    .then(() => true)
    .catch((error: unknown) => {
      if (error instanceof Error && "code" in error && error.code === "auth/user-not-found") {
        return false;
      }
      throw error;
    });
}

function isAlreadyRefunded(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.code === "charge_already_refunded";
}

function orphanFields(
  stored: OrphanedPaymentDoc | undefined,
  action: CheckoutAction,
  now: Timestamp,
): OrphanedPaymentDoc {
  return {
    paymentIntentId: action.paymentIntentId,
    sessionId: stored?.sessionId ?? action.sessionId,
    uid: stored?.uid ?? action.uid,
    customerId: stored?.customerId ?? action.customerId,
    amount: action.amount ?? stored?.amount ?? null,
    currency: action.currency ?? stored?.currency ?? null,
    reason: "account_not_found",
    status: stored?.status ?? "awaiting_payment",
    refundId: stored?.refundId ?? null,
    amountRefunded: stored?.amountRefunded ?? null,
    lastError: stored?.lastError ?? null,
    createdAt: stored?.createdAt ?? now,
    updatedAt: now,
    refundedAt: stored?.refundedAt ?? null,
  };
}

export async function settleOrphanedCheckout(
  stripe: Stripe,
  action: CheckoutAction,
  event: { id: string; type: string },
): Promise<OrphanOutcome> {
  if (action.uid !== null && (await accountExists(action.uid))) {
    throw new ProfileMissingError(
      `checkout ${action.sessionId} is for ${action.uid}, whose account exists without a profile`,
    );
  }
  const ref = orphanedPaymentRef(action.paymentIntentId);
  const markerRef = stripeEventRef(event.id);
  const marker = (effect: string, now: Timestamp) => ({
    type: event.type,
    paymentIntentId: action.paymentIntentId,
    uid: null,
    effect,
    processedAt: now,
  });

  const step = await db().runTransaction(async (tx) => {
    if ((await tx.get(markerRef)).exists) return null;
    const stored = (await tx.get(ref)).data();
    const next = nextOrphanStep(stored?.status ?? null, action.outcome);
    const now = Timestamp.now();
    tx.set(ref, { ...orphanFields(stored, action, now), status: next.status });
    if (!next.refund) tx.create(markerRef, marker("orphan-recorded", now));
    return next;
  });
  if (step === null) return "duplicate";
  if (!step.refund) return "orphan-recorded";

  let refund: Stripe.Refund | null = null;
  try {
    refund = await stripe.refunds.create(
      {
        payment_intent: action.paymentIntentId,
        metadata: { reason: "account_not_found", uid: action.uid ?? "" },
      },
      { idempotencyKey: orphanRefundIdempotencyKey(action.paymentIntentId) },
    );
  } catch (error) {
    if (!isAlreadyRefunded(error)) {
      const lastError = error instanceof Error ? error.message.slice(0, 500) : String(error);
      await ref
        .update({ lastError, updatedAt: Timestamp.now() })
        .catch(() => logger.warn("could not note the failed refund", { ref: ref.path }));
      throw error;
    }
  }

  await db().runTransaction(async (tx) => {
    const [stored, processed] = await Promise.all([tx.get(ref), tx.get(markerRef)]);
    const now = Timestamp.now();
    tx.set(ref, {
      ...orphanFields(stored.data(), action, now),
      status: "refunded",
      refundId: refund?.id ?? stored.data()?.refundId ?? null,
      amountRefunded: refund?.amount ?? stored.data()?.amountRefunded ?? null,
      lastError: null,
      refundedAt: stored.data()?.refundedAt ?? now,
    });
    if (!processed.exists) tx.create(markerRef, marker("orphan-refunded", now));
  });
  logger.warn("refunded a payment for an account that no longer exists", {
    paymentIntentId: action.paymentIntentId,
    uid: action.uid,
    refundId: refund?.id ?? null,
    eventId: event.id,
  });
  return "orphan-refunded";
}
