// The payment collections, typed: stripeCustomers/{uid}, payments/{paymentIntentId} (its
// schema is in contract/payments.ts, clients read it) and stripeEvents/{eventId}. Only
// functions write them (see firestore.rules).
import { Timestamp, type Transaction } from "firebase-admin/firestore";
import { z } from "zod";
import { zodConverter } from "../shared/converter";
import { db } from "../shared/firebase";
import { timestampSchema, type TimestampLike } from "../contract/timestamp";
import { paths } from "../contract/paths";
import { paymentSchema, type Payment } from "../contract/payments";
import type { PaymentState } from "./events";

/** One Stripe customer per user. customerId is null while the first checkout creates it. */
export const stripeCustomerSchema = z.object({
  customerId: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type StripeCustomerDoc = z.infer<typeof stripeCustomerSchema>;

export const stripeEventSchema = z.object({
  type: z.string(),
  paymentIntentId: z.string().nullable(),
  uid: z.string().nullable(),
  effect: z.string(),
  processedAt: timestampSchema,
});
export type StripeEventDoc = z.infer<typeof stripeEventSchema>;

export function stripeCustomerRef(uid: string) {
  return db()
    .collection("stripeCustomers")
    .doc(uid)
    .withConverter(zodConverter(stripeCustomerSchema));
}

export function paymentRef(paymentIntentId: string) {
  return db().doc(paths.payment(paymentIntentId)).withConverter(zodConverter(paymentSchema));
}

export function stripeEventRef(eventId: string) {
  return db()
    .collection("stripeEvents")
    .doc(eventId)
    .withConverter(zodConverter(stripeEventSchema));
}

/** The user a Stripe customer belongs to, read inside the transaction. */
export async function uidForCustomer(tx: Transaction, customerId: string): Promise<string | null> {
  const matches = await tx.get(
    db().collection("stripeCustomers").where("customerId", "==", customerId).limit(1),
  );
  return matches.docs[0]?.id ?? null;
}

const toMs = (value: TimestampLike | null) => (value === null ? null : value.toMillis());
const toTimestamp = (ms: number | null) => (ms === null ? null : Timestamp.fromMillis(ms));

export function paymentState(doc: Payment): PaymentState {
  return {
    uid: doc.uid,
    sessionId: doc.sessionId,
    customerId: doc.customerId,
    amount: doc.amount,
    currency: doc.currency,
    amountRefunded: doc.amountRefunded,
    status: doc.status,
    periodDays: doc.periodDays,
    grantedMs: doc.grantedMs,
    periodStartMs: toMs(doc.periodStart),
    periodEndMs: toMs(doc.periodEnd),
    receiptUrl: doc.receiptUrl,
  };
}

export function paymentDoc(
  state: PaymentState,
  createdAt: TimestampLike,
  updatedAt: TimestampLike,
): Payment {
  return {
    uid: state.uid,
    sessionId: state.sessionId,
    customerId: state.customerId,
    amount: state.amount,
    currency: state.currency,
    amountRefunded: state.amountRefunded,
    status: state.status,
    periodDays: state.periodDays,
    grantedMs: state.grantedMs,
    periodStart: toTimestamp(state.periodStartMs),
    periodEnd: toTimestamp(state.periodEndMs),
    receiptUrl: state.receiptUrl,
    createdAt,
    updatedAt,
  };
}
