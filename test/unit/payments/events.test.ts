import { describe, expect, it } from "vitest";
import {
  decideCompletedSession,
  decideEvent,
  decidePayment,
  EventShapeError,
  HANDLED_EVENT_TYPES,
  isHandledEventType,
  metadataDays,
  type PaymentAction,
  type PaymentState,
  type PremiumEffect,
} from "../../../functions/src/payments/events";
import { PAYMENT_STATUSES, type PaymentStatus } from "../../../functions/src/contract/payments";
import { DAY_MS } from "../../../functions/src/payments/premium";

const NOW = Date.UTC(2030, 5, 1);

function session(overrides: Record<string, unknown> = {}) {
  return {
    id: "cs_test_1",
    object: "checkout.session",
    mode: "payment",
    status: "complete",
    payment_status: "paid",
    payment_intent: "pi_1",
    customer: "cus_1",
    client_reference_id: "user-1",
    metadata: { uid: "user-1", purpose: "premium", days: "15" },
    amount_total: 700,
    currency: "usd",
    ...overrides,
  };
}

function charge(overrides: Record<string, unknown> = {}) {
  return {
    id: "ch_1",
    object: "charge",
    payment_intent: "pi_1",
    amount: 700,
    amount_refunded: 700,
    refunded: true,
    currency: "usd",
    receipt_url: "https://pay.example/receipt/1",
    ...overrides,
  };
}

function dispute(overrides: Record<string, unknown> = {}) {
  return {
    id: "dp_1",
    object: "dispute",
    charge: "ch_1",
    payment_intent: "pi_1",
    amount: 700,
    currency: "usd",
    ...overrides,
  };
}

const event = (type: string, object: unknown, id = "evt_1") => ({
  id,
  object: "event",
  type,
  data: { object },
});

describe("event types", () => {
  it("acts on exactly the documented types", () => {
    expect([...HANDLED_EVENT_TYPES].sort()).toEqual([
      "charge.dispute.created",
      "charge.refunded",
      "checkout.session.async_payment_failed",
      "checkout.session.async_payment_succeeded",
      "checkout.session.completed",
    ]);
    expect(isHandledEventType("payment_intent.succeeded")).toBe(false);
  });

  it("acknowledges every other type without reading its object", () => {
    for (const type of [
      "payment_intent.succeeded",
      "customer.created",
      "checkout.session.expired",
      "charge.dispute.closed",
    ]) {
      expect(decideEvent(event(type, { anything: true }))).toEqual({
        act: false,
        eventId: "evt_1",
        type,
        reason: "event type not handled",
      });
    }
  });

  it("refuses something that is not an event envelope", () => {
    for (const bad of [
      null,
      "text",
      {},
      { id: "evt", type: "x" },
      { id: "", type: "x", data: { object: {} } },
    ]) {
      expect(() => decideEvent(bad)).toThrow(EventShapeError);
    }
  });
});

describe("checkout events", () => {
  it("a completed, paid premium session is a paid checkout for the uid in its metadata", () => {
    expect(decideEvent(event("checkout.session.completed", session()))).toEqual({
      act: true,
      eventId: "evt_1",
      type: "checkout.session.completed",
      action: {
        kind: "checkout",
        outcome: "paid",
        paymentIntentId: "pi_1",
        sessionId: "cs_test_1",
        uid: "user-1",
        customerId: "cus_1",
        amount: 700,
        currency: "usd",
        days: 15,
      },
    });
  });

  it("an unpaid completion (delayed payment method) is pending; async results settle it", () => {
    const outcome = (type: string, overrides: Record<string, unknown> = {}) => {
      const decision = decideEvent(event(type, session(overrides)));
      return decision.act && decision.action.kind === "checkout"
        ? decision.action.outcome
        : decision;
    };
    expect(outcome("checkout.session.completed", { payment_status: "unpaid" })).toBe("pending");
    expect(outcome("checkout.session.async_payment_succeeded")).toBe("paid");
    expect(outcome("checkout.session.async_payment_failed", { payment_status: "unpaid" })).toBe(
      "failed",
    );
  });

  it("ignores sessions that are not premium payments of this backend", () => {
    const reasons = [
      session({ mode: "subscription" }),
      session({ metadata: { uid: "user-1" } }),
      session({ metadata: null }),
      session({ payment_status: "no_payment_required" }),
      session({ payment_intent: null }),
    ].map((object) => {
      const decision = decideEvent(event("checkout.session.completed", object));
      return decision.act ? "acted" : decision.reason;
    });
    expect(reasons).toEqual([
      "checkout mode is subscription, not payment",
      "not a premium checkout of this backend",
      "not a premium checkout of this backend",
      "payment_status is no_payment_required",
      "the session has no payment intent",
    ]);
  });

  it("reads expanded objects, falls back to client_reference_id, and leaves unknown days to the setting", () => {
    const decision = decideEvent(
      event(
        "checkout.session.completed",
        session({
          payment_intent: { id: "pi_9", object: "payment_intent" },
          customer: { id: "cus_9", object: "customer" },
          metadata: { purpose: "premium", days: "forever" },
          client_reference_id: "user-9",
        }),
      ),
    );
    expect(decision).toMatchObject({
      act: true,
      action: { paymentIntentId: "pi_9", customerId: "cus_9", uid: "user-9", days: null },
    });
    const noOwner = decideEvent(
      event(
        "checkout.session.completed",
        session({ metadata: { purpose: "premium" }, client_reference_id: null }),
      ),
    );
    expect(noOwner).toMatchObject({ act: true, action: { uid: null } });
  });

  it("a retrieved completed session decides like its completion event", () => {
    const fromEvent = decideEvent(event("checkout.session.completed", session()));
    const fromSession = decideCompletedSession(session());
    expect(fromEvent.act && fromSession.act && fromSession.action).toEqual(
      fromEvent.act && fromEvent.action,
    );
  });

  it("a handled event with a malformed object is an error, not an acknowledgement", () => {
    const bad = [
      event("checkout.session.completed", { object: "checkout.session" }),
      event("checkout.session.completed", session({ object: "charge" })),
      event("charge.refunded", charge({ amount: "700" })),
      event("charge.dispute.created", dispute({ charge: 7 })),
    ];
    for (const each of bad) expect(() => decideEvent(each)).toThrow(EventShapeError);
  });
});

describe("metadataDays", () => {
  it("accepts whole days within bounds only", () => {
    expect(metadataDays("15")).toBe(15);
    expect(metadataDays("1")).toBe(1);
    expect(metadataDays("366")).toBe(366);
    for (const value of [undefined, "", "0", "367", "-1", "1.5", "15 ", "abc", "99999"]) {
      expect(metadataDays(value)).toBeNull();
    }
  });
});

describe("refund and dispute events", () => {
  it("a full refund revokes; a partial refund only records the amount", () => {
    expect(decideEvent(event("charge.refunded", charge()))).toMatchObject({
      act: true,
      action: {
        kind: "refund",
        full: true,
        paymentIntentId: "pi_1",
        amountRefunded: 700,
        receiptUrl: "https://pay.example/receipt/1",
      },
    });
    expect(
      decideEvent(event("charge.refunded", charge({ refunded: false, amount_refunded: 200 }))),
    ).toMatchObject({
      act: true,
      action: { kind: "refund", full: false, amountRefunded: 200 },
    });
  });

  it("a dispute opening is a revocation", () => {
    expect(
      decideEvent(event("charge.dispute.created", dispute({ payment_intent: { id: "pi_1" } }))),
    ).toEqual({
      act: true,
      eventId: "evt_1",
      type: "charge.dispute.created",
      action: { kind: "dispute", paymentIntentId: "pi_1", amount: 700, currency: "usd" },
    });
  });

  it("charges and disputes without a payment intent are not ours", () => {
    expect(decideEvent(event("charge.refunded", charge({ payment_intent: null })))).toMatchObject({
      act: false,
    });
    expect(
      decideEvent(event("charge.dispute.created", dispute({ payment_intent: null }))),
    ).toMatchObject({ act: false });
  });
});

// ---- the state machine -----------------------------------------------------------------------

type CheckoutAction = Extract<PaymentAction, { kind: "checkout" }>;
const checkout = (
  outcome: "paid" | "pending" | "failed",
  days: number | null = 15,
): CheckoutAction => ({
  kind: "checkout",
  outcome,
  paymentIntentId: "pi_1",
  sessionId: "cs_test_1",
  uid: "user-1",
  customerId: "cus_1",
  amount: 700,
  currency: "usd",
  days,
});
const refund = (full: boolean, amountRefunded = full ? 700 : 200): PaymentAction => ({
  kind: "refund",
  full,
  paymentIntentId: "pi_1",
  amount: 700,
  amountRefunded,
  currency: "usd",
  receiptUrl: "https://pay.example/receipt/1",
});
const disputeAction: PaymentAction = {
  kind: "dispute",
  paymentIntentId: "pi_1",
  amount: 700,
  currency: "usd",
};

const ACTIONS = {
  paid: checkout("paid"),
  pending: checkout("pending"),
  failed: checkout("failed"),
  fullRefund: refund(true),
  partialRefund: refund(false),
  dispute: disputeAction,
} as const;
type ActionName = keyof typeof ACTIONS;
const ACTION_NAMES: ActionName[] = [
  "paid",
  "pending",
  "failed",
  "fullRefund",
  "partialRefund",
  "dispute",
];

function stored(status: PaymentStatus): PaymentState {
  const granted = status === "paid" || status === "refunded" || status === "disputed";
  return {
    uid: "user-1",
    sessionId: "cs_test_1",
    customerId: "cus_1",
    amount: 700,
    currency: "usd",
    amountRefunded: 0,
    status,
    periodDays: 15,
    grantedMs: granted ? 15 * DAY_MS : 0,
    periodStartMs: granted ? NOW - DAY_MS : null,
    periodEndMs: granted ? NOW + 14 * DAY_MS : null,
    receiptUrl: null,
  };
}

describe("decidePayment: every status x every action", () => {
  // [resulting status, effect on premium]
  const table: Record<
    PaymentStatus | "none",
    Record<ActionName, [PaymentStatus, PremiumEffect]>
  > = {
    none: {
      paid: ["paid", "granted"],
      pending: ["pending", "none"],
      failed: ["failed", "none"],
      fullRefund: ["refunded", "none"],
      partialRefund: ["pending", "none"],
      dispute: ["disputed", "none"],
    },
    pending: {
      paid: ["paid", "granted"],
      pending: ["pending", "none"],
      failed: ["failed", "none"],
      fullRefund: ["refunded", "none"],
      partialRefund: ["pending", "none"],
      dispute: ["disputed", "none"],
    },
    failed: {
      paid: ["paid", "granted"],
      pending: ["failed", "none"],
      failed: ["failed", "none"],
      fullRefund: ["refunded", "none"],
      partialRefund: ["failed", "none"],
      dispute: ["disputed", "none"],
    },
    paid: {
      paid: ["paid", "none"],
      pending: ["paid", "none"],
      failed: ["paid", "none"],
      fullRefund: ["refunded", "revoked"],
      partialRefund: ["paid", "none"],
      dispute: ["disputed", "revoked"],
    },
    refunded: {
      paid: ["refunded", "none"],
      pending: ["refunded", "none"],
      failed: ["refunded", "none"],
      fullRefund: ["refunded", "none"],
      partialRefund: ["refunded", "none"],
      dispute: ["refunded", "none"],
    },
    disputed: {
      paid: ["disputed", "none"],
      pending: ["disputed", "none"],
      failed: ["disputed", "none"],
      fullRefund: ["disputed", "none"],
      partialRefund: ["disputed", "none"],
      dispute: ["disputed", "none"],
    },
  };
  const current = NOW + 20 * DAY_MS;

  const froms: (PaymentStatus | "none")[] = ["none", ...PAYMENT_STATUSES];
  for (const from of froms) {
    for (const name of ACTION_NAMES) {
      const [status, effect] = table[from][name];
      it(`${from} + ${name} -> ${status}, ${effect}`, () => {
        const previous = from === "none" ? null : stored(from);
        const decision = decidePayment(previous, ACTIONS[name], {
          nowMs: NOW,
          currentUntilMs: current,
          defaultDays: 15,
        });
        expect(decision.record.status).toBe(status);
        expect(decision.effect).toBe(effect);
        const expectedUntil =
          effect === "granted"
            ? current + 15 * DAY_MS
            : effect === "revoked"
              ? current - 15 * DAY_MS
              : current;
        expect(decision.premiumUntilMs).toBe(expectedUntil);
      });
    }
  }
});

describe("decidePayment: records", () => {
  const context = { nowMs: NOW, currentUntilMs: null, defaultDays: 15 };

  it("a grant records its period and what it added", () => {
    const decision = decidePayment(null, checkout("paid"), {
      ...context,
      receiptUrl: "https://pay.example/r",
    });
    expect(decision.record).toEqual({
      uid: "user-1",
      sessionId: "cs_test_1",
      customerId: "cus_1",
      amount: 700,
      currency: "usd",
      amountRefunded: 0,
      status: "paid",
      periodDays: 15,
      grantedMs: 15 * DAY_MS,
      periodStartMs: NOW,
      periodEndMs: NOW + 15 * DAY_MS,
      receiptUrl: "https://pay.example/r",
    });
    expect(decision.changed).toBe(true);
  });

  it("uses the days promised at checkout, else the current setting", () => {
    expect(decidePayment(null, checkout("paid", 30), context).record.grantedMs).toBe(30 * DAY_MS);
    expect(
      decidePayment(null, checkout("paid", null), { ...context, defaultDays: 7 }).record.periodDays,
    ).toBe(7);
    const pending = decidePayment(null, checkout("pending", 20), context).record;
    expect(decidePayment(pending, checkout("paid", null), context).record.grantedMs).toBe(
      20 * DAY_MS,
    );
  });

  it("a repeated action changes nothing", () => {
    const first = decidePayment(null, checkout("paid"), context);
    const again = decidePayment(first.record, checkout("paid"), {
      ...context,
      currentUntilMs: first.premiumUntilMs,
    });
    expect(again).toEqual({
      record: first.record,
      effect: "none",
      premiumUntilMs: first.premiumUntilMs,
      changed: false,
    });
  });

  it("a refund before its checkout leaves an ownerless record; the checkout fills the owner and grants nothing", () => {
    const early = decidePayment(null, refund(true), context);
    expect(early.record).toMatchObject({
      uid: null,
      sessionId: null,
      status: "refunded",
      grantedMs: 0,
      amountRefunded: 700,
    });
    const late = decidePayment(early.record, checkout("paid"), context);
    expect(late.record).toMatchObject({
      uid: "user-1",
      sessionId: "cs_test_1",
      status: "refunded",
      grantedMs: 0,
    });
    expect(late.effect).toBe("none");
    expect(late.premiumUntilMs).toBeNull();
  });

  it("partial refunds accumulate the refunded amount and keep premium", () => {
    const paid = decidePayment(null, checkout("paid"), context);
    const partial = decidePayment(paid.record, refund(false, 200), context);
    expect(partial.record).toMatchObject({ status: "paid", amountRefunded: 200 });
    const stale = decidePayment(partial.record, refund(false, 100), context);
    expect(stale.record.amountRefunded).toBe(200);
  });

  it("a checkout needs an owner", () => {
    expect(() => decidePayment(null, { ...checkout("paid"), uid: null }, context)).toThrow(/uid/);
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

describe("decidePayment: out-of-order delivery converges", () => {
  const scenarios: { events: ActionName[]; status: PaymentStatus; netDays: number }[] = [
    { events: ["paid", "fullRefund"], status: "refunded", netDays: 0 },
    { events: ["paid", "dispute"], status: "disputed", netDays: 0 },
    { events: ["pending", "paid", "fullRefund"], status: "refunded", netDays: 0 },
    { events: ["pending", "failed"], status: "failed", netDays: 0 },
    { events: ["pending", "paid"], status: "paid", netDays: 15 },
    { events: ["paid", "partialRefund"], status: "paid", netDays: 15 },
    { events: ["pending", "paid", "partialRefund", "fullRefund"], status: "refunded", netDays: 0 },
  ];
  const initialUntil = NOW + 3 * DAY_MS;

  for (const scenario of scenarios) {
    it(`${scenario.events.join(", ")} in any order -> ${scenario.status}, ${scenario.netDays} days`, () => {
      for (const order of permutations(scenario.events)) {
        let record: PaymentState | null = null;
        let until: number | null = initialUntil;
        for (const name of order) {
          const decision = decidePayment(record, ACTIONS[name], {
            nowMs: NOW,
            currentUntilMs: until,
            defaultDays: 15,
          });
          record = decision.record;
          until = decision.premiumUntilMs;
        }
        expect(record?.status, order.join(", ")).toBe(scenario.status);
        expect(until, order.join(", ")).toBe(initialUntil + scenario.netDays * DAY_MS);
      }
    });
  }

  it("refund and dispute of the same payment revoke once, whichever comes first", () => {
    for (const order of permutations<ActionName>(["paid", "fullRefund", "dispute"])) {
      let record: PaymentState | null = null;
      let until: number | null = initialUntil;
      let revocations = 0;
      for (const name of order) {
        const decision = decidePayment(record, ACTIONS[name], {
          nowMs: NOW,
          currentUntilMs: until,
          defaultDays: 15,
        });
        if (decision.effect === "revoked") revocations++;
        record = decision.record;
        until = decision.premiumUntilMs;
      }
      expect(revocations).toBeLessThanOrEqual(1);
      expect(until).toBe(initialUntil);
    }
  });
});
