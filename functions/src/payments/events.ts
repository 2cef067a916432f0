// Which Stripe events change anything, and how a payment record moves between states.
// Pure: zod only, no Firebase imports, times in epoch milliseconds.
//
// Events we act on (everything else is acknowledged and ignored):
// - checkout.session.completed: a premium Checkout session finished. payment_status 'paid'
//   grants; 'unpaid' (a delayed payment method such as a bank debit) records a pending
//   payment that grants nothing yet; 'no_payment_required' is ignored.
// - checkout.session.async_payment_succeeded / async_payment_failed: the delayed payment
//   settled (grants) or failed (records the failure, grants nothing).
// - charge.refunded: a FULL refund (charge.refunded === true) revokes the days the payment
//   bought. A partial refund only records the refunded amount and keeps premium: it is
//   treated as a goodwill credit; an admin can still shorten premium with setPremium.
// - charge.dispute.created: a dispute revokes at once, without waiting for its outcome,
//   because the money is withdrawn when the dispute opens. A dispute later won does not
//   restore the days automatically (charge.dispute.closed is ignored); an admin can.
//
// Out-of-order delivery converges because a payment's status only moves up this order:
//   pending < failed < paid < refunded | disputed (the first revocation wins)
// so the final status is the highest one seen, whatever order the events came in. Time is
// granted only when a record enters 'paid', and removed only when it leaves 'paid' for a
// revocation: a refund that arrives before its completion leaves a 'refunded' record, and
// the completion arriving afterwards grants nothing.
import { z } from "zod";
import type { PaymentStatus } from "../contract/payments";
import { grantPremium, MAX_PREMIUM_DAYS, MIN_PREMIUM_DAYS, revokePremium } from "./premium";

export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "charge.refunded",
  "charge.dispute.created",
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

export function isHandledEventType(type: string): type is HandledEventType {
  return HANDLED_EVENT_TYPES.some((handled) => handled === type);
}

/** Metadata this backend puts on its Checkout sessions and payment intents. */
export const PREMIUM_PURPOSE = "premium";

const STATUS_RANK: Record<PaymentStatus, number> = {
  pending: 0,
  failed: 1,
  paid: 2,
  refunded: 3,
  disputed: 3,
};

export function isRevoked(status: PaymentStatus): boolean {
  return status === "refunded" || status === "disputed";
}

// ---- events -> actions ---------------------------------------------------------------------

export type CheckoutOutcome = "paid" | "pending" | "failed";

export type PaymentAction =
  | {
      kind: "checkout";
      outcome: CheckoutOutcome;
      paymentIntentId: string;
      sessionId: string;
      /** The uid this backend put on the session (metadata, then client_reference_id). */
      uid: string | null;
      customerId: string | null;
      amount: number | null;
      currency: string | null;
      /** Days promised when the session was created; null means "use the current setting". */
      days: number | null;
    }
  | {
      kind: "refund";
      full: boolean;
      paymentIntentId: string;
      amount: number;
      amountRefunded: number;
      currency: string;
      receiptUrl: string | null;
    }
  | {
      kind: "dispute";
      paymentIntentId: string;
      amount: number;
      currency: string;
    };

export type EventDecision =
  | { act: true; eventId: string; type: HandledEventType; action: PaymentAction }
  | { act: false; eventId: string; type: string; reason: string };

/** A handled event whose object is not what Stripe documents: not safe to acknowledge. */
export class EventShapeError extends Error {
  constructor(
    readonly eventId: string,
    readonly type: string,
    readonly detail: string,
  ) {
    super(`event ${eventId} (${type}) does not have the expected shape: ${detail}`);
  }
}

const idOf = z.union([z.string(), z.object({ id: z.string() }).transform((value) => value.id)]);

const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  data: z.object({ object: z.unknown() }),
});

const sessionSchema = z.object({
  object: z.literal("checkout.session"),
  id: z.string().min(1),
  mode: z.string(),
  payment_status: z.string(),
  payment_intent: idOf.nullish(),
  customer: idOf.nullish(),
  client_reference_id: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
});

const chargeSchema = z.object({
  object: z.literal("charge"),
  id: z.string().min(1),
  payment_intent: idOf.nullish(),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  refunded: z.boolean(),
  currency: z.string(),
  receipt_url: z.string().nullish(),
});

const disputeSchema = z.object({
  object: z.literal("dispute"),
  id: z.string().min(1),
  charge: idOf,
  payment_intent: idOf.nullish(),
  amount: z.number().int(),
  currency: z.string(),
});

/** Days from metadata, when present and within bounds. */
export function metadataDays(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,4}$/.test(value)) return null;
  const days = Number(value);
  return days >= MIN_PREMIUM_DAYS && days <= MAX_PREMIUM_DAYS ? days : null;
}

function parseObject<S extends z.ZodType>(
  schema: S,
  value: unknown,
  eventId: string,
  type: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new EventShapeError(
    eventId,
    type,
    issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid",
  );
}

function checkoutDecision(eventId: string, type: HandledEventType, object: unknown): EventDecision {
  const session = parseObject(sessionSchema, object, eventId, type);
  const skip = (reason: string): EventDecision => ({ act: false, eventId, type, reason });
  const metadata = session.metadata ?? {};
  if (session.mode !== "payment") return skip(`checkout mode is ${session.mode}, not payment`);
  if (metadata.purpose !== PREMIUM_PURPOSE) return skip("not a premium checkout of this backend");
  let outcome: CheckoutOutcome;
  if (type === "checkout.session.async_payment_succeeded") outcome = "paid";
  else if (type === "checkout.session.async_payment_failed") outcome = "failed";
  else if (session.payment_status === "paid") outcome = "paid";
  else if (session.payment_status === "unpaid") outcome = "pending";
  else return skip(`payment_status is ${session.payment_status}`);
  if (!session.payment_intent) return skip("the session has no payment intent");
  return {
    act: true,
    eventId,
    type,
    action: {
      kind: "checkout",
      outcome,
      paymentIntentId: session.payment_intent,
      sessionId: session.id,
      uid: metadata.uid || session.client_reference_id || null,
      customerId: session.customer ?? null,
      amount: session.amount_total ?? null,
      currency: session.currency ?? null,
      days: metadataDays(metadata.days),
    },
  };
}

/** The same decision for a completed session retrieved from the API (the success page). */
export function decideCompletedSession(session: unknown): EventDecision {
  return checkoutDecision("(retrieved session)", "checkout.session.completed", session);
}

/** Decides what an event means for us. Throws EventShapeError for a malformed handled event. */
export function decideEvent(event: unknown): EventDecision {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) throw new EventShapeError("?", "?", "not a Stripe event envelope");
  const { id: eventId, type } = envelope.data;
  const object = envelope.data.data.object;
  if (!isHandledEventType(type))
    return { act: false, eventId, type, reason: "event type not handled" };
  switch (type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
      return checkoutDecision(eventId, type, object);
    case "charge.refunded": {
      const charge = parseObject(chargeSchema, object, eventId, type);
      if (!charge.payment_intent) {
        return { act: false, eventId, type, reason: "the charge has no payment intent" };
      }
      return {
        act: true,
        eventId,
        type,
        action: {
          kind: "refund",
          full: charge.refunded || charge.amount_refunded >= charge.amount,
          paymentIntentId: charge.payment_intent,
          amount: charge.amount,
          amountRefunded: charge.amount_refunded,
          currency: charge.currency,
          receiptUrl: charge.receipt_url ?? null,
        },
      };
    }
    case "charge.dispute.created": {
      const dispute = parseObject(disputeSchema, object, eventId, type);
      if (!dispute.payment_intent) {
        return { act: false, eventId, type, reason: "the dispute has no payment intent" };
      }
      return {
        act: true,
        eventId,
        type,
        action: {
          kind: "dispute",
          paymentIntentId: dispute.payment_intent,
          amount: dispute.amount,
          currency: dispute.currency,
        },
      };
    }
  }
}

// ---- the payment record state machine -----------------------------------------------------

/** The stored payment, with times as milliseconds (the store converts to Timestamps). */
export interface PaymentState {
  /** Null only on a record made by a refund or dispute that arrived before its checkout. */
  uid: string | null;
  sessionId: string | null;
  customerId: string | null;
  amount: number | null;
  currency: string | null;
  amountRefunded: number;
  status: PaymentStatus;
  periodDays: number | null;
  /** The time this payment added when it was granted (kept after a revocation, as history). */
  grantedMs: number;
  periodStartMs: number | null;
  periodEndMs: number | null;
  receiptUrl: string | null;
}

export interface PaymentContext {
  nowMs: number;
  /** The user's current expiry (null when none, or when the user is unknown). */
  currentUntilMs: number | null;
  /** Days for a grant when the session did not say (PREMIUM_DAYS). */
  defaultDays: number;
  /** A receipt URL learned outside the event (the charge), if any. */
  receiptUrl?: string | null;
}

export type PremiumEffect = "granted" | "revoked" | "none";

export interface PaymentDecision {
  record: PaymentState;
  effect: PremiumEffect;
  /** The user's expiry after this event (equal to currentUntilMs when effect is none). */
  premiumUntilMs: number | null;
  /** False when the event changes nothing in the record (a stale or repeated event). */
  changed: boolean;
}

function emptyRecord(): PaymentState {
  return {
    uid: null,
    sessionId: null,
    customerId: null,
    amount: null,
    currency: null,
    amountRefunded: 0,
    status: "pending",
    periodDays: null,
    grantedMs: 0,
    periodStartMs: null,
    periodEndMs: null,
    receiptUrl: null,
  };
}

function targetStatus(action: PaymentAction): PaymentStatus | null {
  switch (action.kind) {
    case "checkout":
      return action.outcome;
    case "refund":
      return action.full ? "refunded" : null;
    case "dispute":
      return "disputed";
  }
}

function sameState(a: PaymentState, b: PaymentState): boolean {
  // Both are built by spreading the same shape, so their keys come in the same order.
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The next payment record and premium expiry for one action. `previous` is the stored
 * record (null when none). A checkout action must carry the resolved uid in `action.uid`.
 */
export function decidePayment(
  previous: PaymentState | null,
  action: PaymentAction,
  context: PaymentContext,
): PaymentDecision {
  const before = previous ?? emptyRecord();
  const record: PaymentState = { ...before };
  if (action.kind === "checkout" && before.uid === null && action.uid === null) {
    throw new Error("a checkout action needs the uid it was resolved to");
  }

  // Facts about the payment: fill what is unknown, never erase what is known.
  if (action.kind === "checkout") {
    record.uid = before.uid ?? action.uid;
    record.sessionId = before.sessionId ?? action.sessionId;
    record.customerId = before.customerId ?? action.customerId;
    record.amount = action.amount ?? before.amount;
    record.currency = action.currency ?? before.currency;
    record.periodDays = before.periodDays ?? action.days ?? context.defaultDays;
  } else {
    record.amount = before.amount ?? action.amount;
    record.currency = before.currency ?? action.currency;
    if (action.kind === "refund") {
      record.amountRefunded = Math.max(before.amountRefunded, action.amountRefunded);
      record.receiptUrl = action.receiptUrl ?? before.receiptUrl;
    }
  }
  if (context.receiptUrl) record.receiptUrl = context.receiptUrl;

  // Status moves only up the order; a revocation keeps the first revocation's name.
  const target = targetStatus(action);
  const startStatus: PaymentStatus | null = previous ? previous.status : null;
  if (target !== null && (startStatus === null || STATUS_RANK[target] > STATUS_RANK[startStatus])) {
    record.status = target;
  }

  let effect: PremiumEffect = "none";
  let premiumUntilMs = context.currentUntilMs;
  if (record.status === "paid" && startStatus !== "paid" && record.uid !== null) {
    const grant = grantPremium(
      context.currentUntilMs,
      context.nowMs,
      record.periodDays ?? context.defaultDays,
    );
    record.grantedMs = grant.grantedMs;
    record.periodStartMs = grant.periodStartMs;
    record.periodEndMs = grant.periodEndMs;
    premiumUntilMs = grant.periodEndMs;
    effect = "granted";
  } else if (startStatus === "paid" && isRevoked(record.status)) {
    premiumUntilMs = revokePremium(context.currentUntilMs, before.grantedMs, context.nowMs);
    effect = "revoked";
  }
  return {
    record,
    effect,
    premiumUntilMs,
    changed: previous === null || !sameState(before, record),
  };
}
