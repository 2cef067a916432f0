// The Stripe double, driven through the real SDK the functions use, and the functions'
// Stripe boundary (configuration gate, client from settings, error mapping) against it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Settings } from "../../../functions/src/config";
import { testSettings } from "../../helpers/settings";
import {
  NOT_CONFIGURED,
  providerError,
  requirePayments,
  Stripe,
  stripeClient,
} from "../../../functions/src/payments/stripe-client";
import {
  fakeStripeControl,
  parseForm,
  startFakeStripe,
  type FakeStripe,
} from "../../doubles/fake-stripe";

let fake: FakeStripe;
let sdk: Stripe;
const control = () => fakeStripeControl(fake.url);

function settings(overrides: Partial<Settings> = {}): Settings {
  return testSettings({
    openAiBaseUrl: "http://127.0.0.1:1/v1",
    openAiTimeoutMs: 1000,
    ttsModel: "tts",
    stripeSecretKey: "sk_test_unit",
    stripeWebhookSecret: "whsec_unit",
    stripePublishableKey: "pk_test_unit",
    stripeApiUrl: fake.url,
    checkoutReturnOrigins: ["http://localhost:5173"],
    ...overrides,
  });
}

beforeAll(async () => {
  fake = await startFakeStripe(0);
  sdk = stripeClient(settings());
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(async () => {
  await control().reset();
});

describe("parseForm", () => {
  it("reads the SDK's bracketed encoding into nested objects", () => {
    expect(
      parseForm(
        "mode=payment&line_items[0][price_data][unit_amount]=700&metadata[uid]=u%201&expand[0]=x&empty=",
      ),
    ).toEqual({
      mode: "payment",
      line_items: { "0": { price_data: { unit_amount: "700" } } },
      metadata: { uid: "u 1" },
      expand: { "0": "x" },
      empty: "",
    });
  });
});

describe("the Stripe double through the SDK", () => {
  it("replays a customer creation with the same Idempotency-Key, even concurrently", async () => {
    const params = { email: "a@example.test", metadata: { uid: "u1" } };
    const created = await Promise.all(
      Array.from({ length: 5 }, () =>
        sdk.customers.create(params, { idempotencyKey: "customer-u1" }),
      ),
    );
    expect(new Set(created.map((customer) => customer.id)).size).toBe(1);
    const other = await sdk.customers.create(params, { idempotencyKey: "customer-u2" });
    expect(other.id).not.toBe(created[0]?.id);
    expect((await control().state()).customers).toHaveLength(2);
    await expect(sdk.customers.retrieve(other.id)).resolves.toMatchObject({
      id: other.id,
      email: "a@example.test",
    });
  });

  it("refunds a paid payment intent once per key, and refuses a charge with nothing left", async () => {
    const session = await sdk.checkout.sessions.create({
      mode: "payment",
      line_items: [
        {
          quantity: 1,
          price_data: { currency: "usd", unit_amount: 700, product_data: { name: "Premium" } },
        },
      ],
      success_url: "http://localhost:5173/ok",
    });
    const completed = await control().completeSession(session.id);
    const intentId = String(completed.data.object.payment_intent);
    const params = { payment_intent: intentId, metadata: { reason: "test" } };
    const [first, again] = await Promise.all([
      sdk.refunds.create(params, { idempotencyKey: `refund-${intentId}` }),
      sdk.refunds.create(params, { idempotencyKey: `refund-${intentId}` }),
    ]);
    expect(first).toMatchObject({ object: "refund", amount: 700, payment_intent: intentId });
    expect(again.id).toBe(first.id);
    const state = await control().state();
    expect(state.refunds).toHaveLength(1);
    expect(state.charges.find((each) => each.payment_intent === intentId)?.amount_refunded).toBe(
      700,
    );
    await expect(
      sdk.refunds.create(params, { idempotencyKey: `another-${intentId}` }),
    ).rejects.toMatchObject({ code: "charge_already_refunded" });
  });

  it("fails the requests it is told to fail, as an outage would, then answers again", async () => {
    await control().failNext("POST", "/v1/customers", 503, 3);
    const client = new Stripe("sk_test_unit", {
      host: new URL(fake.url).hostname,
      port: Number(new URL(fake.url).port),
      protocol: "http",
      maxNetworkRetries: 0,
    });
    for (let i = 0; i < 3; i++) {
      await expect(client.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeError);
    }
    await expect(client.customers.create({})).resolves.toMatchObject({ object: "customer" });
  });

  it("refuses the same key with other parameters, as Stripe does", async () => {
    await sdk.customers.create({ email: "a@example.test" }, { idempotencyKey: "k1" });
    await expect(
      sdk.customers.create({ email: "b@example.test" }, { idempotencyKey: "k1" }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("creates, completes and reports a Checkout session with an inline price", async () => {
    const customer = await sdk.customers.create({ metadata: { uid: "u1" } });
    const session = await sdk.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      client_reference_id: "u1",
      line_items: [
        {
          quantity: 1,
          price_data: { currency: "usd", unit_amount: 700, product_data: { name: "Premium" } },
        },
      ],
      success_url: "http://localhost:5173/ok?s={CHECKOUT_SESSION_ID}",
      cancel_url: "http://localhost:5173/no",
      metadata: { uid: "u1", purpose: "premium" },
      payment_intent_data: { metadata: { uid: "u1", purpose: "premium" } },
    });
    expect(session).toMatchObject({
      status: "open",
      payment_status: "unpaid",
      amount_total: 700,
      currency: "usd",
    });
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/pay\/cs_test_/);

    const event = await control().completeSession(session.id);
    expect(event).toMatchObject({
      type: "checkout.session.completed",
      data: { object: { id: session.id } },
    });
    const completed = await sdk.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: "complete", payment_status: "paid" });
    const intentId = typeof completed.payment_intent === "string" ? completed.payment_intent : "";
    const intent = await sdk.paymentIntents.retrieve(intentId, { expand: ["latest_charge"] });
    expect(intent.metadata).toEqual({ uid: "u1", purpose: "premium" });
    expect(typeof intent.latest_charge === "object" && intent.latest_charge?.receipt_url).toMatch(
      /receipts/,
    );

    const refund = await control().refund(intentId, 200);
    expect(refund.data.object).toMatchObject({
      object: "charge",
      amount_refunded: 200,
      refunded: false,
    });
    const rest = await control().refund(intentId);
    expect(rest.data.object).toMatchObject({ amount_refunded: 700, refunded: true });
    const dispute = await control().dispute(intentId);
    expect(dispute).toMatchObject({
      type: "charge.dispute.created",
      data: { object: { payment_intent: intentId } },
    });
  });

  it("answers Stripe's errors: unknown objects, bad parameters, bad keys", async () => {
    await expect(sdk.checkout.sessions.retrieve("cs_test_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
    });
    await expect(
      sdk.checkout.sessions.create({
        mode: "payment",
        customer: "cus_missing",
        line_items: [{ price: "price_local_premium", quantity: 1 }],
        success_url: "http://localhost:5173/ok",
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: "resource_missing", param: "customer" });
    const wrongKey = stripeClient(settings({ stripeSecretKey: "rk_live_nope" }));
    await expect(wrongKey.customers.create({})).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });
});

describe("the functions' Stripe boundary", () => {
  it("payments are refused with failed-precondition unless both secrets and a usable URL are set", () => {
    for (const bad of [
      settings({ stripeSecretKey: "" }),
      settings({ stripeWebhookSecret: "" }),
      settings({ stripeApiUrl: "api.stripe.com/v1" }),
    ]) {
      let thrown: unknown;
      try {
        requirePayments(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).toMatchObject({ code: "failed-precondition", message: NOT_CONFIGURED });
    }
    expect(requirePayments(settings())).toMatchObject({ stripeSecretKey: "sk_test_unit" });
  });

  it("maps Stripe failures to safe callable errors", async () => {
    const missing = await sdk.checkout.sessions
      .retrieve("cs_test_missing")
      .catch((error: unknown) => error);
    expect(providerError(missing, "retrieve", "No such checkout session.")).toMatchObject({
      code: "not-found",
      message: "No such checkout session.",
    });
    const badParam = await sdk.billingPortal.sessions
      .create({ customer: "cus_missing" })
      .catch((error: unknown) => error);
    expect(providerError(badParam, "portal")).toMatchObject({ code: "internal" });
    const unreachable = stripeClient(settings({ stripeApiUrl: "http://127.0.0.1:9" }));
    const down = await unreachable.customers
      .retrieve("cus_x", { maxNetworkRetries: 0 })
      .catch((error: unknown) => error);
    expect(down).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(providerError(down, "retrieve")).toMatchObject({ code: "unavailable" });
    const internal = providerError(new Error("boom"), "x");
    expect(internal).toMatchObject({
      code: "internal",
      message: "The payment could not be set up; try again later.",
    });
    // An error that is already a callable error passes through unchanged.
    expect(providerError(internal, "y")).toBe(internal);
  });

  it("webhook signatures made for the double's events verify with the real SDK", async () => {
    const customer = await sdk.customers.create({});
    const session = await sdk.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [{ price: "price_local_premium", quantity: 1 }],
      success_url: "http://localhost:5173/ok",
    });
    const payload = JSON.stringify(await control().completeSession(session.id));
    const header = sdk.webhooks.generateTestHeaderString({ payload, secret: "whsec_unit" });
    expect(sdk.webhooks.constructEvent(payload, header, "whsec_unit").type).toBe(
      "checkout.session.completed",
    );
    expect(() =>
      sdk.webhooks.constructEvent(payload.replace("700", "701"), header, "whsec_unit"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
