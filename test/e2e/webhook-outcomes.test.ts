// What the Stripe webhook answers for each kind of delivery, so an operator reading Stripe's
// delivery log sees what each event did: applied (with its effect), unchanged, duplicate,
// ignored, or a 500 that Stripe retries.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "../../functions/node_modules/zod/index.js";
import { Stripe } from "../../functions/src/payments/stripe-client";
import { CHECKOUT_SESSION_ID, startCheckout, verifyCheckout } from "../../client/src/index";
import { db } from "../helpers/admin";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";
import { functionUrl } from "../helpers/env";
import { fakeStripeControl, type FakeEvent } from "../doubles/fake-stripe";

const stripe = fakeStripeControl(`http://127.0.0.1:${process.env.FAKE_STRIPE_PORT ?? ""}`);
const APP = "http://localhost:5173";

beforeEach(async () => {
  await clearFirestore();
  await clearAuth();
});
afterEach(async () => {
  await closeAllClientApps();
});

const answerSchema = z.object({
  received: z.literal(true),
  outcome: z.string(),
  effect: z.string().optional(),
  status: z.string().optional(),
});

/** Delivers a signed event as Stripe would; the HTTP status and the body. */
async function post(event: unknown): Promise<Response> {
  const body = JSON.stringify(event);
  return fetch(functionUrl("stripeWebhook"), {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret: "whsec_test_local_double",
      }),
    },
    body,
  });
}

async function deliver(event: unknown): Promise<z.infer<typeof answerSchema>> {
  const response = await post(event);
  expect(response.status).toBe(200);
  return answerSchema.parse(await response.json());
}

async function deliverStatus(event: unknown): Promise<number> {
  return (await post(event)).status;
}

async function paidSession(prefix: string) {
  const user = await signUp(prefix);
  const { sessionId } = await startCheckout(user, {
    successUrl: `${APP}/done?session_id=${CHECKOUT_SESSION_ID}`,
    cancelUrl: `${APP}/premium`,
  });
  const completed = await stripe.completeSession(sessionId);
  return {
    user,
    sessionId,
    completed,
    paymentIntentId: z.string().parse(completed.data.object.payment_intent),
  };
}

function withId(event: FakeEvent, id: string): FakeEvent {
  return { ...event, id };
}

describe("the webhook's answer per delivery", () => {
  it("applied with its effect, then duplicate for the same event", async () => {
    const { completed } = await paidSession("payer");
    expect(await deliver(completed)).toEqual({
      received: true,
      outcome: "applied",
      effect: "granted",
      status: "paid",
    });
    expect(await deliver(completed)).toEqual({ received: true, outcome: "duplicate" });
  }, 120_000);

  it("after the success page applied the payment, the webhook only adds the receipt", async () => {
    const { user, sessionId, completed, paymentIntentId } = await paidSession("early");
    const verified = await verifyCheckout(user, sessionId);
    expect(verified.status).toBe("paid");
    const payment = () => db().doc(`payments/${paymentIntentId}`).get();
    expect((await payment()).get("receiptUrl")).toBeNull();
    expect(await deliver(completed)).toEqual({
      received: true,
      outcome: "applied",
      effect: "none",
      status: "paid",
    });
    expect((await payment()).get("receiptUrl")).toMatch(/^https?:\/\//);
    const profile = await db().doc(`users/${user.user.uid}`).get();
    expect(profile.get("premiumUntil").toDate().toISOString()).toBe(verified.premiumUntil);
  }, 120_000);

  it("partial refunds record the amount; the one that completes the whole revokes the days", async () => {
    const { user, completed, paymentIntentId } = await paidSession("refunded");
    await deliver(completed);
    const profile = () => db().doc(`users/${user.user.uid}`).get();
    const paidUntil = (await profile()).get("premiumUntil").toMillis() as number;
    expect(await deliver(await stripe.refund(paymentIntentId, 300))).toMatchObject({
      outcome: "applied",
      effect: "none",
      status: "paid",
    });
    expect((await db().doc(`payments/${paymentIntentId}`).get()).get("amountRefunded")).toBe(300);
    expect((await profile()).get("premiumUntil").toMillis()).toBe(paidUntil);
    expect(await deliver(await stripe.refund(paymentIntentId, 400))).toMatchObject({
      outcome: "applied",
      effect: "revoked",
      status: "refunded",
    });
    expect((await profile()).get("premiumUntil").toMillis()).toBeLessThanOrEqual(Date.now());
  }, 120_000);

  it("a stale event after a revocation is unchanged; a dispute closing is ignored", async () => {
    const { completed, paymentIntentId } = await paidSession("disputed");
    await deliver(completed);
    const opened = await stripe.dispute(paymentIntentId);
    expect(await deliver(opened)).toMatchObject({ outcome: "applied", effect: "revoked" });
    // The same completion, delivered again under a new event id, finds nothing to change.
    expect(await deliver(withId(completed, `${completed.id}_again`))).toMatchObject({
      outcome: "unchanged",
      status: "disputed",
    });
    const closed = { ...opened, id: `${opened.id}_closed`, type: "charge.dispute.closed" };
    expect(await deliver(closed)).toEqual({ received: true, outcome: "ignored" });
    expect((await db().doc(`stripeEvents/${closed.id}`).get()).exists).toBe(false);
  }, 120_000);

  it("500 (Stripe retries) when the buyer's account exists but its profile is missing", async () => {
    // Not an orphan: the profile may be on its way (the sign-up trigger), so nothing is
    // refunded; a payment whose account is gone is refunded (payments.test.ts).
    const { user, completed } = await paidSession("vanished");
    await db().doc(`users/${user.user.uid}`).delete();
    expect(await deliverStatus(completed)).toBe(500);
  }, 120_000);
});
