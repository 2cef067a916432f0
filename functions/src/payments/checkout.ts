// The payment callables: configuration, Checkout, the customer portal, and the success
// page's check.
import { Timestamp } from "firebase-admin/firestore";
import { logger } from "firebase-functions/v2";
import type { CallableRequest } from "firebase-functions/v2/https";
import type Stripe from "stripe";
import { readSettings, type Settings } from "../config";
import {
  createCheckoutSessionInput,
  createPortalSessionInput,
  verifyCheckoutSessionInput,
  type CheckoutStatus,
  type CreateCheckoutSessionOutput,
  type CreatePortalSessionOutput,
  type PaymentsConfig,
  type VerifyCheckoutSessionOutput,
} from "../contract/payments";
import { ensureProfileIn, profileRef } from "../identity/profiles";
import { enforceRateLimit } from "../limits/rate-limit";
import { fail, parseInput, requireAuth, type Caller } from "../shared/callable";
import { describeFeatures } from "../shared/features";
import { db } from "../shared/firebase";
import { applyPaymentAction } from "./apply";
import { decideCompletedSession, PREMIUM_PURPOSE } from "./events";
import { stripeCustomerRef } from "./store";
import { providerError, requirePayments, stripeClient } from "./stripe-client";
import { checkReturnUrl, type ReturnUrlKind } from "./urls";

function allowedUrl(settings: Settings, raw: string, kind: ReturnUrlKind, field: string): string {
  const check = checkReturnUrl(raw, kind, settings.checkoutReturnOrigins);
  if (!check.ok) fail("invalid_input", `${field}: ${check.reason}`, { field });
  return check.url;
}

// ---- getPaymentsConfig ----------------------------------------------------------------------

/** What a client needs to show the offer; also answers signed-out callers. */
export function getPaymentsConfig(): PaymentsConfig {
  const settings = readSettings();
  const enabled = describeFeatures(settings).stripe.enabled;
  return {
    enabled,
    publishableKey: enabled && settings.stripePublishableKey ? settings.stripePublishableKey : null,
    priceCents: settings.premiumPriceCents,
    currency: settings.premiumCurrency,
    days: settings.premiumDays,
  };
}

// ---- the Stripe customer of a user ------------------------------------------------------------

/** Stripe keeps idempotency keys for 24 hours; the stored mapping covers the time after. */
export function customerIdempotencyKey(uid: string): string {
  return `aichat-customer-${uid}`;
}

/**
 * The user's Stripe customer, created once. A transaction reads (or reserves) the mapping;
 * when there is no customer yet, every concurrent caller asks Stripe with the same
 * idempotency key, so they all get the same customer, and the first to store it wins.
 */
export async function ensureStripeCustomer(stripe: Stripe, caller: Caller): Promise<string> {
  const ref = stripeCustomerRef(caller.uid);
  const found = await db().runTransaction(async (tx) => {
    const profile = await ensureProfileIn(tx, {
      uid: caller.uid,
      email: caller.email,
      displayName: null,
    });
    const mapping = await tx.get(ref);
    if (profile.deactivated) fail("account_inactive");
    const stored = mapping.data();
    if (stored?.customerId) return { customerId: stored.customerId, email: profile.email };
    if (!stored) {
      const now = Timestamp.now();
      tx.create(ref, { customerId: null, createdAt: now, updatedAt: now });
    }
    return { customerId: null, email: profile.email };
  });
  if (found.customerId) return found.customerId;

  const customer = await stripe.customers
    .create(
      { ...(found.email ? { email: found.email } : {}), metadata: { uid: caller.uid } },
      { idempotencyKey: customerIdempotencyKey(caller.uid) },
    )
    .catch((error: unknown) => {
      throw providerError(error, "customers.create");
    });
  return db().runTransaction(async (tx) => {
    const stored = (await tx.get(ref)).data();
    if (stored?.customerId) {
      if (stored.customerId !== customer.id) {
        logger.error("a second Stripe customer was created for a user", {
          uid: caller.uid,
          kept: stored.customerId,
          extra: customer.id,
        });
      }
      return stored.customerId;
    }
    const now = Timestamp.now();
    tx.set(ref, { customerId: customer.id, createdAt: stored?.createdAt ?? now, updatedAt: now });
    return customer.id;
  });
}

// ---- createCheckoutSession ------------------------------------------------------------------

export async function createCheckoutSession(
  request: CallableRequest<unknown>,
): Promise<CreateCheckoutSessionOutput> {
  const caller = requireAuth(request);
  const settings = requirePayments();
  const input = parseInput(createCheckoutSessionInput, request.data);
  const successUrl = allowedUrl(settings, input.successUrl, "success", "successUrl");
  const cancelUrl = allowedUrl(settings, input.cancelUrl, "cancel", "cancelUrl");
  await enforceRateLimit(caller.uid, "checkout");

  const stripe = stripeClient(settings);
  const customerId = await ensureStripeCustomer(stripe, caller);
  const metadata = {
    uid: caller.uid,
    purpose: PREMIUM_PURPOSE,
    days: String(settings.premiumDays),
  };
  const lineItem: Stripe.Checkout.SessionCreateParams.LineItem = settings.stripePriceId
    ? { price: settings.stripePriceId, quantity: 1 }
    : {
        quantity: 1,
        price_data: {
          currency: settings.premiumCurrency,
          unit_amount: settings.premiumPriceCents,
          product_data: { name: `Premium, ${settings.premiumDays} days` },
        },
      };
  const session = await stripe.checkout.sessions
    .create({
      mode: "payment",
      customer: customerId,
      client_reference_id: caller.uid,
      line_items: [lineItem],
      success_url: successUrl,
      cancel_url: cancelUrl,
      metadata,
      payment_intent_data: { metadata },
    })
    .catch((error: unknown) => {
      throw providerError(error, "checkout.sessions.create");
    });
  if (!session.url) {
    logger.error("stripe returned a checkout session without a URL", { sessionId: session.id });
    fail("payment_setup_failed");
  }
  logger.info("checkout session created", { uid: caller.uid, sessionId: session.id, customerId });
  return { url: session.url, sessionId: session.id };
}

// ---- createPortalSession --------------------------------------------------------------------

export async function createPortalSession(
  request: CallableRequest<unknown>,
): Promise<CreatePortalSessionOutput> {
  const caller = requireAuth(request);
  const settings = requirePayments();
  const input = parseInput(createPortalSessionInput, request.data);
  const returnUrl = allowedUrl(settings, input.returnUrl, "return", "returnUrl");
  const customerId = (await stripeCustomerRef(caller.uid).get()).data()?.customerId;
  if (!customerId) {
    fail("payment_history_missing");
  }
  const session = await stripeClient(settings)
    .billingPortal.sessions.create({ customer: customerId, return_url: returnUrl })
    .catch((error: unknown) => {
      throw providerError(error, "billingPortal.sessions.create");
    });
  return { url: session.url };
}

// ---- verifyCheckoutSession ------------------------------------------------------------------

/**
 * For the success page: where the caller's session stands. A paid session is applied here
 * through the same transaction as its webhook event (keyed by the payment intent), so
 * premium shows at once even when the webhook is late, and never twice.
 */
export async function verifyCheckoutSession(
  request: CallableRequest<unknown>,
): Promise<VerifyCheckoutSessionOutput> {
  const caller = requireAuth(request);
  const settings = requirePayments();
  const { sessionId } = parseInput(verifyCheckoutSessionInput, request.data);
  const session = await stripeClient(settings)
    .checkout.sessions.retrieve(sessionId)
    .catch((error: unknown) => {
      throw providerError(error, "checkout.sessions.retrieve", "No such checkout session.");
    });
  const owner = session.metadata?.uid ?? session.client_reference_id;
  if (owner !== caller.uid) {
    fail("checkout_session_not_owned");
  }

  let status: CheckoutStatus = session.status === "expired" ? "expired" : "open";
  if (session.status === "complete") {
    const decision = decideCompletedSession(session);
    if (decision.act && decision.action.kind === "checkout") {
      const outcome = await applyPaymentAction(
        { ...decision.action, uid: caller.uid },
        { defaultDays: settings.premiumDays },
      );
      status = outcome.kind === "applied" ? outcome.status : decision.action.outcome;
    } else {
      status = "pending";
    }
  }
  const premiumUntil = (await profileRef(caller.uid).get()).data()?.premiumUntil ?? null;
  return { status, premiumUntil: premiumUntil?.toDate().toISOString() ?? null };
}
