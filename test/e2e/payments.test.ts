// Premium with Stripe, end to end: the real client SDK calls the callables in the functions
// emulator, which talk to the local Stripe double through the real `stripe` SDK; webhook
// events come from the double and are signed with the SDK as Stripe would sign them.
import {
  collection,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  Timestamp,
  updateDoc,
  where,
} from "firebase/firestore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "../../functions/node_modules/zod/index.js";
import { Stripe } from "../../functions/src/payments/stripe-client";
import { callError, db, signUpAdmin, waitUntil } from "../helpers/admin";
import { closeAllClientApps, newClientApp, signUp, type ClientApp } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";
import { functionUrl } from "../helpers/env";
import { fakeStripeControl, type FakeEvent } from "../doubles/fake-stripe";

const DAY_MS = 86_400_000;
const WEBHOOK_SECRET = "whsec_test_local_double";
const SUCCESS_URL = "http://localhost:5173/premium/done?session_id={CHECKOUT_SESSION_ID}";
const CANCEL_URL = "http://localhost:5173/premium";

function stripeDouble() {
  const port = process.env.FAKE_STRIPE_PORT;
  if (!port) throw new Error("FAKE_STRIPE_PORT is not set: run emulator tests with `npm test`.");
  return fakeStripeControl(`http://127.0.0.1:${port}`);
}
const stripe = stripeDouble();

type User = ClientApp & { user: { uid: string }; email: string };

beforeEach(async () => {
  await clearFirestore();
  await clearAuth();
});
afterEach(async () => {
  await closeAllClientApps();
});

// ---- helpers -----------------------------------------------------------------------------------

interface Delivery {
  /** The body to send; defaults to the event's JSON. */
  body?: string;
  /** The Stripe-Signature header; null sends none; defaults to a valid signature of the body. */
  signature?: string | null;
}

function sign(payload: string, secret = WEBHOOK_SECRET): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret });
}

async function deliver(event: unknown, delivery: Delivery = {}): Promise<number> {
  const body = delivery.body ?? JSON.stringify(event);
  const signature = delivery.signature === undefined ? sign(body) : delivery.signature;
  const response = await fetch(functionUrl("stripeWebhook"), {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(signature === null ? {} : { "Stripe-Signature": signature }),
    },
    body,
  });
  await response.text();
  return response.status;
}

/** Delivers the event and returns the status with the `outcome` the webhook answered. */
async function deliverWithOutcome(event: unknown): Promise<{ status: number; outcome: unknown }> {
  const body = JSON.stringify(event);
  const response = await fetch(functionUrl("stripeWebhook"), {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": sign(body) },
    body,
  });
  const answer: unknown = await response.json();
  const outcome =
    typeof answer === "object" && answer !== null && "outcome" in answer ? answer.outcome : null;
  return { status: response.status, outcome };
}

const paymentIntentOf = (event: FakeEvent) => z.string().parse(event.data.object.payment_intent);

/** Refunds Stripe made for the payment intent, and the idempotency keys they were asked with. */
async function refundsOf(paymentIntentId: string) {
  const state = await stripe.state();
  return {
    refunds: state.refunds.filter((refund) => refund.payment_intent === paymentIntentId),
    keys: state.requests
      .filter(
        (request) =>
          request.method === "POST" &&
          request.path === "/v1/refunds" &&
          JSON.stringify(request.body).includes(paymentIntentId),
      )
      .map((request) => request.idempotencyKey),
  };
}

/** A signed-up user whose profile the auth trigger has created. */
async function newUser(prefix: string): Promise<User> {
  const user = await signUp(prefix);
  const profile = db().collection("users").doc(user.user.uid);
  await waitUntil(async () => (await profile.get()).exists, 30_000, `profile of ${prefix}`);
  return user;
}

async function checkout(user: User): Promise<{ url: string; sessionId: string }> {
  return user.call<{ url: string; sessionId: string }>("createCheckoutSession", {
    successUrl: SUCCESS_URL,
    cancelUrl: CANCEL_URL,
  });
}

/** Checkout, payment at Stripe, and the completion event delivered to the webhook. */
async function buy(
  user: User,
): Promise<{ event: FakeEvent; paymentIntentId: string; sessionId: string }> {
  const { sessionId } = await checkout(user);
  const event = await stripe.completeSession(sessionId);
  expect(await deliver(event)).toBe(200);
  return { event, paymentIntentId: paymentIntentOf(event), sessionId };
}

/** A Firestore timestamp field as milliseconds (null when null or absent). */
function millis(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Timestamp) return value.toMillis();
  throw new Error(`expected a timestamp, got ${JSON.stringify(value)}`);
}

/** premiumUntil as the signed-in user reads it from their own profile. */
async function premiumUntilMs(user: User): Promise<number | null> {
  return millis((await getDoc(doc(user.db, "users", user.user.uid))).get("premiumUntil"));
}

async function counts(): Promise<{ payments: number; events: number; customers: number }> {
  const [payments, events, customers] = await Promise.all([
    db().collection("payments").count().get(),
    db().collection("stripeEvents").count().get(),
    db().collection("stripeCustomers").count().get(),
  ]);
  return {
    payments: payments.data().count,
    events: events.data().count,
    customers: customers.data().count,
  };
}

async function profileData(uid: string) {
  return (await db().collection("users").doc(uid).get()).data();
}

function expectAbout(actualMs: number | null, expectedMs: number, toleranceMs = 120_000): void {
  expect(actualMs).not.toBeNull();
  expect(Math.abs((actualMs ?? 0) - expectedMs)).toBeLessThan(toleranceMs);
}

// ---- tests ---------------------------------------------------------------------------------------

describe("configuration", () => {
  it("anyone, signed in or not, can read the offer", async () => {
    const anonymous = newClientApp();
    await expect(anonymous.call("getPaymentsConfig")).resolves.toEqual({
      enabled: true,
      publishableKey: "pk_test_local_double",
      priceCents: 700,
      currency: "usd",
      days: 15,
    });
  });

  it("signed-out callers cannot start a checkout, open the portal or verify a session", async () => {
    const anonymous = newClientApp();
    for (const [name, data] of [
      ["createCheckoutSession", { successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL }],
      ["createPortalSession", { returnUrl: CANCEL_URL }],
      ["verifyCheckoutSession", { sessionId: "cs_test_x" }],
    ] as const) {
      expect(await callError(anonymous.call(name, data))).toMatchObject({
        code: "functions/unauthenticated",
      });
    }
  });
});

describe("buying premium", () => {
  it("a purchase activates premium for 15 days, with a payment the owner can read", async () => {
    const user = await newUser("buyer");
    const uid = user.user.uid;
    const { url, sessionId } = await checkout(user);
    expect(url).toMatch(/\/checkout\/pay\/cs_test_/);

    // What Stripe was asked for: one customer for this user, a $7 one-time payment, and the
    // uid on both the session and its payment intent.
    const before = await stripe.state();
    const session = before.sessions.find((each) => each.id === sessionId);
    const customer = before.customers.find((each) => each.metadata.uid === uid);
    expect(customer?.email).toBe(user.email);
    expect(session).toMatchObject({
      customer: customer?.id,
      client_reference_id: uid,
      amount_total: 700,
      currency: "usd",
      success_url: SUCCESS_URL,
      cancel_url: CANCEL_URL,
      metadata: { uid, purpose: "premium", days: "15" },
    });
    expect((await db().collection("stripeCustomers").doc(uid).get()).get("customerId")).toBe(
      customer?.id,
    );
    expect(await premiumUntilMs(user)).toBeNull();

    const event = await stripe.completeSession(sessionId);
    const startedAt = Date.now();
    expect(await deliver(event)).toBe(200);
    const paymentIntentId = paymentIntentOf(event);
    const intent = (await stripe.state()).paymentIntents.find(
      (each) => each.id === paymentIntentId,
    );
    expect(intent?.metadata).toMatchObject({ uid, purpose: "premium" });

    const until = await premiumUntilMs(user);
    expectAbout(until, startedAt + 15 * DAY_MS);
    const payment = await getDoc(doc(user.db, "payments", paymentIntentId));
    expect(payment.data()).toMatchObject({
      uid,
      sessionId,
      customerId: customer?.id,
      amount: 700,
      currency: "usd",
      status: "paid",
      periodDays: 15,
      grantedMs: 15 * DAY_MS,
      receiptUrl: expect.stringContaining(paymentIntentId),
    });
    expect(millis(payment.get("periodEnd"))).toBe(until);
    const history = await getDocs(query(collection(user.db, "payments"), where("uid", "==", uid)));
    expect(history.docs.map((each) => each.id)).toEqual([paymentIntentId]);

    await expect(user.call("verifyCheckoutSession", { sessionId })).resolves.toEqual({
      status: "paid",
      premiumUntil: new Date(until ?? 0).toISOString(),
    });
  });

  it("two purchases stack to 30 days", async () => {
    const user = await newUser("stacker");
    const first = await buy(user);
    const afterFirst = await premiumUntilMs(user);
    const second = await buy(user);
    const afterSecond = await premiumUntilMs(user);
    expect(afterSecond).toBe((afterFirst ?? 0) + 15 * DAY_MS);
    expectAbout(afterSecond, Date.now() + 30 * DAY_MS);
    const payments = await getDocs(
      query(collection(user.db, "payments"), where("uid", "==", user.user.uid)),
    );
    expect(payments.docs.map((each) => each.id).sort()).toEqual(
      [first.paymentIntentId, second.paymentIntentId].sort(),
    );
    // Both purchases went to the same Stripe customer.
    const sessions = (await stripe.state()).sessions.filter(
      (each) => each.metadata.uid === user.user.uid,
    );
    expect(new Set(sessions.map((each) => each.customer)).size).toBe(1);
  });

  it("a delayed payment method grants nothing until it settles", async () => {
    const user = await newUser("async");
    const { sessionId } = await checkout(user);
    expect(await deliver(await stripe.completeSession(sessionId, "unpaid"))).toBe(200);
    expect(await premiumUntilMs(user)).toBeNull();
    await expect(user.call("verifyCheckoutSession", { sessionId })).resolves.toEqual({
      status: "pending",
      premiumUntil: null,
    });
    expect(await deliver(await stripe.settleAsync(sessionId, true))).toBe(200);
    expectAbout(await premiumUntilMs(user), Date.now() + 15 * DAY_MS);

    const other = await newUser("async-fail");
    const failing = await checkout(other);
    const pending = await stripe.completeSession(failing.sessionId, "unpaid");
    expect(await deliver(pending)).toBe(200);
    expect(await deliver(await stripe.settleAsync(failing.sessionId, false))).toBe(200);
    expect(await premiumUntilMs(other)).toBeNull();
    expect((await getDoc(doc(other.db, "payments", paymentIntentOf(pending)))).get("status")).toBe(
      "failed",
    );
  });

  it("the success page sees premium even before the webhook, and the webhook then adds nothing", async () => {
    const user = await newUser("early");
    const { sessionId } = await checkout(user);
    await expect(user.call("verifyCheckoutSession", { sessionId })).resolves.toEqual({
      status: "open",
      premiumUntil: null,
    });
    const event = await stripe.completeSession(sessionId);
    const verified = await user.call<{ status: string; premiumUntil: string }>(
      "verifyCheckoutSession",
      { sessionId },
    );
    expect(verified.status).toBe("paid");
    expect(await deliver(event)).toBe(200);
    expect(await premiumUntilMs(user)).toBe(Date.parse(verified.premiumUntil));
    expect(await counts()).toMatchObject({ payments: 1, events: 1 });
  });

  it("a session is verified only by its own user; unknown sessions are not-found", async () => {
    const owner = await newUser("owner");
    const stranger = await newUser("stranger");
    const { sessionId } = await checkout(owner);
    expect(await callError(stranger.call("verifyCheckoutSession", { sessionId }))).toMatchObject({
      code: "functions/permission-denied",
    });
    expect(
      await callError(owner.call("verifyCheckoutSession", { sessionId: "cs_test_nothing_here" })),
    ).toMatchObject({
      code: "functions/not-found",
    });
    expect(
      await callError(owner.call("verifyCheckoutSession", { sessionId: "../../v1/customers" })),
    ).toMatchObject({
      code: "functions/invalid-argument",
    });
  });

  it("five concurrent checkouts create one Stripe customer", async () => {
    const user = await newUser("racer");
    const sessions = await Promise.all(Array.from({ length: 5 }, () => checkout(user)));
    expect(new Set(sessions.map((each) => each.sessionId)).size).toBe(5);
    const state = await stripe.state();
    const customers = state.customers.filter((each) => each.metadata.uid === user.user.uid);
    expect(customers).toHaveLength(1);
    const used = state.sessions
      .filter((each) => each.metadata.uid === user.user.uid)
      .map((each) => each.customer);
    expect(used).toEqual(Array.from({ length: 5 }, () => customers[0]?.id));
    expect(
      (await db().collection("stripeCustomers").doc(user.user.uid).get()).get("customerId"),
    ).toBe(customers[0]?.id);
  });

  it("checkout is rate limited: a sixth session within 15 minutes is refused", async () => {
    const user = await newUser("eager");
    for (let i = 0; i < 5; i++) await checkout(user);
    const error = await callError(checkout(user));
    expect(error.code).toBe("functions/resource-exhausted");
    const sessions = (await stripe.state()).sessions.filter(
      (each) => each.metadata.uid === user.user.uid,
    );
    expect(sessions).toHaveLength(5);
  });

  it("refuses return URLs outside the allow-list, before anything reaches Stripe", async () => {
    const user = await newUser("redirect");
    const cases: [Record<string, unknown>, string][] = [
      [
        { successUrl: "https://evil.example.net/?s={CHECKOUT_SESSION_ID}", cancelUrl: CANCEL_URL },
        "successUrl",
      ],
      [{ successUrl: "http://localhost:5173/done", cancelUrl: CANCEL_URL }, "successUrl"],
      [{ successUrl: SUCCESS_URL, cancelUrl: "javascript:alert(1)" }, "cancelUrl"],
      [{ successUrl: SUCCESS_URL }, "cancelUrl"],
      [{ successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL, priceCents: 1 }, "priceCents"],
    ];
    for (const [input, field] of cases) {
      const error = await callError(user.call("createCheckoutSession", input));
      expect(error.code).toBe("functions/invalid-argument");
      expect(error.message).toContain(field);
    }
    expect(
      (await stripe.state()).customers.filter((each) => each.metadata.uid === user.user.uid),
    ).toHaveLength(0);
    expect(await counts()).toMatchObject({ customers: 0 });
  });

  it("the customer portal opens for a user with payments, returning to an allowed URL", async () => {
    const user = await newUser("portal");
    expect(
      await callError(user.call("createPortalSession", { returnUrl: CANCEL_URL })),
    ).toMatchObject({
      code: "functions/failed-precondition",
    });
    await buy(user);
    const { url } = await user.call<{ url: string }>("createPortalSession", {
      returnUrl: CANCEL_URL,
    });
    expect(url).toMatch(/\/portal\/cus_test_/);
    expect((await stripe.state()).portalSessions.at(-1)).toMatchObject({ return_url: CANCEL_URL });
    expect(
      await callError(user.call("createPortalSession", { returnUrl: "https://evil.example.net/" })),
    ).toMatchObject({
      code: "functions/invalid-argument",
    });
  });
});

describe("webhook delivery", () => {
  it("the same event delivered 10 times in a row, then 10 at once, extends premium once", async () => {
    const user = await newUser("dupes");
    const { sessionId } = await checkout(user);
    const event = await stripe.completeSession(sessionId);
    const sequential: number[] = [];
    for (let i = 0; i < 10; i++) sequential.push(await deliver(event));
    expect(sequential).toEqual(Array.from({ length: 10 }, () => 200));
    const once = await premiumUntilMs(user);
    expectAbout(once, Date.now() + 15 * DAY_MS);

    const second = await stripe.completeSession((await checkout(user)).sessionId);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => deliver(second)));
    expect(concurrent).toEqual(Array.from({ length: 10 }, () => 200));
    expect(await premiumUntilMs(user)).toBe((once ?? 0) + 15 * DAY_MS);
    expect(await counts()).toMatchObject({ payments: 2, events: 2 });
  });

  it("a missing or wrong signature, or a body changed after signing, is 400 and writes nothing", async () => {
    const user = await newUser("forger");
    const { sessionId } = await checkout(user);
    const event = await stripe.completeSession(sessionId);
    const body = JSON.stringify(event);
    const before = await profileData(user.user.uid);
    expect(await deliver(event, { signature: null })).toBe(400);
    expect(await deliver(event, { signature: sign(body, "whsec_someone_else") })).toBe(400);
    expect(await deliver(event, { signature: "t=1,v1=deadbeef" })).toBe(400);
    const tampered = body.replace('"amount_total":700', '"amount_total":1');
    expect(tampered).not.toBe(body);
    expect(await deliver(event, { body: tampered, signature: sign(body) })).toBe(400);
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(await deliver(event, { signature: stale })).toBe(400);
    expect(await counts()).toMatchObject({ payments: 0, events: 0 });
    expect(await profileData(user.user.uid)).toEqual(before);
  });

  it("event types we do not handle are acknowledged and change nothing", async () => {
    const user = await newUser("ignored");
    const { sessionId } = await checkout(user);
    const before = await profileData(user.user.uid);
    expect(await deliver(await stripe.expireSession(sessionId))).toBe(200);
    const made = {
      ...(await stripe.expireSession((await checkout(user)).sessionId)),
      id: "evt_made_up",
      type: "customer.created",
    };
    expect(await deliver(made)).toBe(200);
    expect(await counts()).toMatchObject({ payments: 0, events: 0 });
    expect(await profileData(user.user.uid)).toEqual(before);
  });

  it("a paid checkout for an unknown customer or user is refunded, and touches no user", async () => {
    const user = await newUser("stranger-events");
    const { sessionId } = await checkout(user);
    const event = await stripe.completeSession(sessionId);
    const object = event.data.object;
    const foreignCustomer = {
      ...event,
      id: "evt_unknown_customer",
      data: {
        ...event.data,
        object: {
          ...object,
          customer: "cus_nobody",
          client_reference_id: null,
          metadata: { purpose: "premium" },
        },
      },
    };
    const deletedUser = {
      ...event,
      id: "evt_unknown_user",
      data: {
        ...event.data,
        object: {
          ...object,
          client_reference_id: null,
          metadata: { purpose: "premium", uid: "no-such-user" },
        },
      },
    };
    const before = await profileData(user.user.uid);
    expect(await deliverWithOutcome(foreignCustomer)).toEqual({
      status: 200,
      outcome: "orphan-refunded",
    });
    // The same payment again, under another event: recorded, never refunded twice.
    expect(await deliverWithOutcome(deletedUser)).toEqual({
      status: 200,
      outcome: "orphan-recorded",
    });
    expect((await refundsOf(paymentIntentOf(event))).refunds).toHaveLength(1);
    const markers = await db()
      .collection("stripeEvents")
      .where("paymentIntentId", "==", paymentIntentOf(event))
      .get();
    expect(markers.docs.map((marker) => marker.id).sort()).toEqual([
      "evt_unknown_customer",
      "evt_unknown_user",
    ]);
    expect(await counts()).toMatchObject({ payments: 0 });
    expect(await profileData(user.user.uid)).toEqual(before);
  });

  it("a failure while processing answers 500, writes nothing, and the retry succeeds", async () => {
    const user = await newUser("retry");
    const { sessionId } = await checkout(user);
    const event = await stripe.completeSession(sessionId);
    // A profile the functions cannot read (premiumUntil is not a timestamp) stops the
    // transaction after it has read the event marker and the payment, before any write.
    await db().collection("users").doc(user.user.uid).update({ premiumUntil: "corrupted" });
    expect(await deliver(event)).toBe(500);
    expect(await counts()).toMatchObject({ payments: 0, events: 0 });
    expect((await profileData(user.user.uid))?.premiumUntil).toBe("corrupted");

    await db().collection("users").doc(user.user.uid).update({ premiumUntil: null });
    expect(await deliver(event)).toBe(200);
    expectAbout(await premiumUntilMs(user), Date.now() + 15 * DAY_MS);
    expect(await counts()).toMatchObject({ payments: 1, events: 1 });
  });
});

describe("money is never taken silently", () => {
  /** A user starts a checkout, deletes their account, then pays at Stripe. */
  async function paidAfterDeletion(prefix: string) {
    const user = await newUser(prefix);
    const uid = user.user.uid;
    const { sessionId } = await checkout(user);
    await user.call("deleteAccount", { confirm: "DELETE" });
    const event = await stripe.completeSession(sessionId);
    return { uid, event, paymentIntentId: paymentIntentOf(event) };
  }

  it("a payment for an account deleted before it was paid is refunded in full, once, and admins see it", async () => {
    const { uid, event, paymentIntentId } = await paidAfterDeletion("leaver");
    expect(await deliverWithOutcome(event)).toEqual({ status: 200, outcome: "orphan-refunded" });

    const { refunds, keys } = await refundsOf(paymentIntentId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 700, metadata: { reason: "account_not_found" } });
    expect(new Set(keys)).toEqual(new Set([`aichat-orphan-refund-${paymentIntentId}`]));
    const orphan = await db().collection("orphanedPayments").doc(paymentIntentId).get();
    expect(orphan.data()).toMatchObject({
      paymentIntentId,
      uid,
      amount: 700,
      currency: "usd",
      reason: "account_not_found",
      status: "refunded",
      refundId: refunds[0]?.id,
      amountRefunded: 700,
      lastError: null,
    });
    // Nothing was granted or recreated for the deleted account.
    expect((await db().collection("users").doc(uid).get()).exists).toBe(false);
    expect((await db().collection("payments").doc(paymentIntentId).get()).exists).toBe(false);

    // Redelivered, one by one and all at once: the refund is not made again.
    expect(await deliverWithOutcome(event)).toEqual({ status: 200, outcome: "duplicate" });
    const burst = await Promise.all(Array.from({ length: 3 }, () => deliverWithOutcome(event)));
    expect(burst.every((each) => each.status === 200)).toBe(true);
    expect((await refundsOf(paymentIntentId)).refunds).toHaveLength(1);

    // Admins read orphaned payments; no one else does.
    const admin = await signUpAdmin();
    const seen = await getDocs(collection(admin.db, "orphanedPayments"));
    expect(seen.docs.map((each) => each.id)).toContain(paymentIntentId);
    const other = await newUser("curious");
    await expect(getDocs(collection(other.db, "orphanedPayments"))).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(getDoc(doc(other.db, "orphanedPayments", paymentIntentId))).rejects.toMatchObject({
      code: "permission-denied",
    });
  }, 90_000);

  it("concurrent first deliveries of such a payment make one refund", async () => {
    const { event, paymentIntentId } = await paidAfterDeletion("racer");
    const answers = await Promise.all(Array.from({ length: 3 }, () => deliverWithOutcome(event)));
    expect(answers.every((each) => each.status === 200)).toBe(true);
    expect(answers.map((each) => each.outcome)).toContain("orphan-refunded");
    expect((await refundsOf(paymentIntentId)).refunds).toHaveLength(1);
  }, 120_000);

  it("a refund Stripe cannot make yet is retried with the event until it is made", async () => {
    const { event, paymentIntentId } = await paidAfterDeletion("outage");
    // Every attempt of the first delivery fails (the SDK tries three times).
    await stripe.failNext("POST", "/v1/refunds", 503, 3);
    expect((await deliverWithOutcome(event)).status).toBe(500);
    const pending = await db().collection("orphanedPayments").doc(paymentIntentId).get();
    expect(pending.data()).toMatchObject({ status: "refund_pending", refundId: null });
    expect(pending.get("lastError")).toEqual(expect.any(String));
    expect((await refundsOf(paymentIntentId)).refunds).toHaveLength(0);
    expect(await counts()).toMatchObject({ events: 0 });

    // Stripe delivers the event again; now the refund goes through, once.
    expect(await deliverWithOutcome(event)).toEqual({ status: 200, outcome: "orphan-refunded" });
    expect(await deliverWithOutcome(event)).toEqual({ status: 200, outcome: "duplicate" });
    expect((await refundsOf(paymentIntentId)).refunds).toHaveLength(1);
    const refunded = await db().collection("orphanedPayments").doc(paymentIntentId).get();
    expect(refunded.data()).toMatchObject({ status: "refunded", lastError: null });
  });

  it("a delayed payment for a deleted account is recorded, and refunded when it settles", async () => {
    const user = await newUser("slowpay");
    const { sessionId } = await checkout(user);
    await user.call("deleteAccount", { confirm: "DELETE" });
    const started = await stripe.completeSession(sessionId, "unpaid");
    const paymentIntentId = paymentIntentOf(started);
    expect(await deliverWithOutcome(started)).toEqual({ status: 200, outcome: "orphan-recorded" });
    const waiting = await db().collection("orphanedPayments").doc(paymentIntentId).get();
    expect(waiting.get("status")).toBe("awaiting_payment");
    expect((await refundsOf(paymentIntentId)).refunds).toHaveLength(0);

    const settled = await stripe.settleAsync(sessionId, true);
    expect(await deliverWithOutcome(settled)).toEqual({ status: 200, outcome: "orphan-refunded" });
    expect((await refundsOf(paymentIntentId)).refunds).toHaveLength(1);
  });
});

describe("refunds and disputes", () => {
  it("a full refund removes exactly the days that payment bought", async () => {
    const user = await newUser("refund");
    const first = await buy(user);
    await buy(user);
    const stacked = await premiumUntilMs(user);
    const partial = await stripe.refund(first.paymentIntentId, 300);
    expect(await deliver(partial)).toBe(200);
    expect(await premiumUntilMs(user)).toBe(stacked);
    expect((await getDoc(doc(user.db, "payments", first.paymentIntentId))).data()).toMatchObject({
      status: "paid",
      amountRefunded: 300,
    });

    expect(await deliver(await stripe.refund(first.paymentIntentId))).toBe(200);
    expect(await premiumUntilMs(user)).toBe((stacked ?? 0) - 15 * DAY_MS);
    expect((await getDoc(doc(user.db, "payments", first.paymentIntentId))).data()).toMatchObject({
      status: "refunded",
      amountRefunded: 700,
    });
  });

  it("a refund delivered before its completion ends revoked: the late completion grants nothing", async () => {
    const user = await newUser("out-of-order");
    const { sessionId } = await checkout(user);
    const completion = await stripe.completeSession(sessionId);
    const paymentIntentId = paymentIntentOf(completion);
    const refund = await stripe.refund(paymentIntentId);
    expect(await deliver(refund)).toBe(200);
    expect(await premiumUntilMs(user)).toBeNull();
    expect(await deliver(completion)).toBe(200);
    expect(await premiumUntilMs(user)).toBeNull();
    const payment = await getDoc(doc(user.db, "payments", paymentIntentId));
    expect(payment.data()).toMatchObject({
      uid: user.user.uid,
      sessionId,
      status: "refunded",
      grantedMs: 0,
    });
    await expect(user.call("verifyCheckoutSession", { sessionId })).resolves.toEqual({
      status: "refunded",
      premiumUntil: null,
    });
    expect(await premiumUntilMs(user)).toBeNull();
  });

  it("a dispute revokes the payment's days when it opens", async () => {
    const user = await newUser("dispute");
    const { paymentIntentId } = await buy(user);
    expect(await deliver(await stripe.dispute(paymentIntentId))).toBe(200);
    const until = await premiumUntilMs(user);
    expect(until === null || until <= Date.now()).toBe(true);
    expect((await getDoc(doc(user.db, "payments", paymentIntentId))).get("status")).toBe(
      "disputed",
    );
    // A refund after the dispute does not take anything a second time.
    await buy(user);
    const rebought = await premiumUntilMs(user);
    expect(await deliver(await stripe.refund(paymentIntentId))).toBe(200);
    expect(await premiumUntilMs(user)).toBe(rebought);
  });
});

describe("what clients may touch", () => {
  it("nobody reads another user's payments", async () => {
    const owner = await newUser("payer");
    const { paymentIntentId } = await buy(owner);
    const other = await newUser("snoop");
    await expect(getDoc(doc(other.db, "payments", paymentIntentId))).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(
      getDocs(query(collection(other.db, "payments"), where("uid", "==", owner.user.uid))),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await expect(getDocs(collection(owner.db, "payments"))).rejects.toMatchObject({
      code: "permission-denied",
    });
  });

  it("clients cannot write premium, payments, customer mappings or event markers", async () => {
    const user = await newUser("writer");
    const { paymentIntentId } = await buy(user);
    const uid = user.user.uid;
    const future = new Date(Date.now() + 365 * DAY_MS);
    const denied = { code: "permission-denied" };
    await expect(
      updateDoc(doc(user.db, "users", uid), { premiumUntil: future }),
    ).rejects.toMatchObject(denied);
    await expect(
      updateDoc(doc(user.db, "payments", paymentIntentId), { grantedMs: 1e12 }),
    ).rejects.toMatchObject(denied);
    await expect(
      setDoc(doc(user.db, "payments", "pi_forged"), { uid, status: "paid", grantedMs: 1e12 }),
    ).rejects.toMatchObject(denied);
    await expect(
      setDoc(doc(user.db, "stripeCustomers", uid), { customerId: "cus_forged" }),
    ).rejects.toMatchObject(denied);
    await expect(getDoc(doc(user.db, "stripeCustomers", uid))).rejects.toMatchObject(denied);
    await expect(
      setDoc(doc(user.db, "stripeEvents", "evt_forged"), { type: "x" }),
    ).rejects.toMatchObject(denied);
    expect((await db().collection("payments").doc("pi_forged").get()).exists).toBe(false);
  });
});
