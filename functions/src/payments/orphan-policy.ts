// A premium Checkout paid for an account that no longer exists (deleted between checkout and
// payment): what the orphaned payment's record says, and whether to refund. Pure: no
// Firebase imports.
//
// The record only moves forward: awaiting_payment (a delayed method is still settling) or
// not_charged (it failed) until money is taken; then refund_pending until Stripe has made
// the refund; then refunded, which nothing changes again. So a redelivered or out-of-order
// event never asks for a second refund.
import type { CheckoutOutcome } from "./events";

export const ORPHAN_STATUSES = [
  "awaiting_payment",
  "not_charged",
  "refund_pending",
  "refunded",
] as const;
export type OrphanStatus = (typeof ORPHAN_STATUSES)[number];

export interface OrphanStep {
  status: OrphanStatus;
  /** Ask Stripe to refund the payment in full. */
  refund: boolean;
}

export function nextOrphanStep(current: OrphanStatus | null, outcome: CheckoutOutcome): OrphanStep {
  if (current === "refunded") return { status: "refunded", refund: false };
  if (outcome === "paid" || current === "refund_pending") {
    return { status: "refund_pending", refund: true };
  }
  if (outcome === "failed") return { status: "not_charged", refund: false };
  return { status: current ?? "awaiting_payment", refund: false };
}

/**
 * One key per payment: every attempt to refund it (redeliveries, concurrent deliveries) is
 * the same request to Stripe, which answers them all with the one refund it made. Stripe
 * keeps keys for 24 hours; after that the stored `refunded` status stops a second request.
 */
export function orphanRefundIdempotencyKey(paymentIntentId: string): string {
  return `aichat-orphan-refund-${paymentIntentId}`;
}
