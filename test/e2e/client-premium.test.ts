// The client library's premium helpers end to end, against the Stripe double: the offer,
// Checkout, the success page's check, live premium status and payments, the portal.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CHECKOUT_SESSION_ID,
  getPaymentsConfig,
  getUsage,
  openPortal,
  startCheckout,
  verifyCheckout,
  watchPayments,
  watchPremium,
  type PaymentDoc,
  type PremiumStatus,
} from "../../client/src/index";
import { fakeStripeControl } from "../doubles/fake-stripe";
import { closeAllClientApps, newClientApp, signUp } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";

const DAY_MS = 86_400_000;
const APP = "http://localhost:5173";
const stripe = fakeStripeControl(`http://127.0.0.1:${process.env.FAKE_STRIPE_PORT ?? ""}`);

beforeEach(async () => {
  await clearFirestore();
  await clearAuth();
});
afterEach(async () => {
  await closeAllClientApps();
});

function until<T>(
  watch: (onChange: (value: T) => void) => () => void,
  done: (value: T) => boolean,
) {
  return new Promise<T>((resolve) => {
    const stop = watch((value) => {
      if (!done(value)) return;
      stop();
      resolve(value);
    });
  });
}

describe("premium through the client library", () => {
  it("shows the offer, even signed out", async () => {
    await expect(getPaymentsConfig(newClientApp())).resolves.toEqual({
      enabled: true,
      publishableKey: "pk_test_local_double",
      priceCents: 700,
      currency: "usd",
      days: 15,
    });
  }, 120_000);

  it("buys premium: checkout, payment, the success page's check, premium live", async () => {
    const user = await signUp("buyer");
    const statuses: PremiumStatus[] = [];
    const stop = watchPremium(user, (status) => statuses.push(status));
    const { url, sessionId } = await startCheckout(user, {
      successUrl: `${APP}/premium/done?session_id=${CHECKOUT_SESSION_ID}`,
      cancelUrl: `${APP}/premium`,
    });
    expect(url).toMatch(/^https?:\/\//);
    await expect(verifyCheckout(user, sessionId)).resolves.toEqual({
      status: "open",
      premiumUntil: null,
    });

    await stripe.completeSession(sessionId);
    const verified = await verifyCheckout(user, sessionId);
    expect(verified.status).toBe("paid");
    const until15Days = Date.parse(verified.premiumUntil ?? "") - Date.now();
    expect(until15Days).toBeGreaterThan(15 * DAY_MS - 60_000);
    expect(until15Days).toBeLessThanOrEqual(15 * DAY_MS);

    const active = await until<PremiumStatus>(
      (onChange) => watchPremium(user, onChange),
      (status) => status.premium,
    );
    expect(active.premiumUntil?.toISOString()).toBe(verified.premiumUntil);
    stop();
    expect(statuses[0]).toEqual({ premium: false, premiumUntil: null });

    const [payment] = await until<PaymentDoc[]>(
      (onChange) => watchPayments(user, onChange),
      (payments) => payments.length === 1,
    );
    expect(payment).toMatchObject({
      uid: user.user.uid,
      sessionId,
      status: "paid",
      amount: 700,
      currency: "usd",
      periodDays: 15,
    });

    // Premium users have no limits; the free tier is still reported.
    const usage = await getUsage(user);
    expect(usage).toMatchObject({
      premium: true,
      limits: null,
      freeTier: { text: 30, audio: 5, media: 5 },
    });

    await expect(openPortal(user, `${APP}/account`)).resolves.toMatch(/^https?:\/\//);
  }, 120_000);

  it("refuses return URLs off the allow-list and a portal before any payment", async () => {
    const user = await signUp("stranger");
    const offList = await startCheckout(user, {
      successUrl: `https://evil.example/?s=${CHECKOUT_SESSION_ID}`,
      cancelUrl: `${APP}/premium`,
    }).catch((caught: unknown) => caught);
    expect(offList).toMatchObject({ code: "invalid_input", field: "successUrl" });
    const portal = await openPortal(user, `${APP}/account`).catch((caught: unknown) => caught);
    expect(portal).toMatchObject({ code: "payment_history_missing" });
  }, 120_000);
});
