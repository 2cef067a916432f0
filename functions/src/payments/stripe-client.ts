// The Stripe SDK client, built on first use from the settings, and the boundary between
// Stripe's errors and what a client is told.
import * as logger from "firebase-functions/logger";
import { HttpsError } from "firebase-functions/v2/https";
import Stripe from "stripe";
import { readSettings, type Settings } from "../config";
import { CALLABLE_ERRORS } from "../contract/errors";
import { describeFeatures } from "../shared/features";
import { stripeEndpoint } from "./urls";
import { fail, callableError } from "../shared/callable";

// The SDK class itself, for code outside functions/ (the tests) that must use the very same
// package, e.g. to sign webhook payloads.
export { Stripe };

export const NOT_CONFIGURED = CALLABLE_ERRORS.payments_not_configured.message;

/** The settings, when payments can run; otherwise failed-precondition for the client. */
export function requirePayments(settings: Settings = readSettings()): Settings {
  const stripe = describeFeatures(settings).stripe;
  if (!stripe.enabled) {
    logger.warn("payments called while disabled", { reason: stripe.reason });
    fail("payments_not_configured");
  }
  if (!stripeEndpoint(settings.stripeApiUrl)) {
    logger.error("STRIPE_API_URL is not an http(s) origin", {
      stripeApiUrl: settings.stripeApiUrl,
    });
    fail("payments_not_configured");
  }
  return settings;
}

let cached: { key: string; client: Stripe } | null = null;

/** Built on first use and reused while the key and endpoint stay the same. */
export function stripeClient(settings: Settings): Stripe {
  const endpoint = stripeEndpoint(settings.stripeApiUrl);
  if (!endpoint) throw new Error("STRIPE_API_URL is not an http(s) origin");
  const cacheKey = `${settings.stripeSecretKey}|${settings.stripeApiUrl}`;
  if (cached?.key !== cacheKey) {
    cached = {
      key: cacheKey,
      client: new Stripe(settings.stripeSecretKey, {
        host: endpoint.host,
        port: endpoint.port,
        protocol: endpoint.protocol,
        // A couple of retries with Stripe's own idempotency keys; callers are waiting.
        maxNetworkRetries: 2,
        timeout: 20_000,
        telemetry: false,
        appInfo: { name: "aichat-firebase" },
      }),
    };
  }
  return cached.client;
}

/**
 * What a client is told when a Stripe call fails: never Stripe's message. An object missing
 * from the path (404) is `not-found` with `missing` as the message; everything else is
 * logged in full and reported as `unavailable` (worth retrying) or `internal`.
 */
export function providerError(error: unknown, action: string, missing = "Not found."): HttpsError {
  if (error instanceof HttpsError) return error;
  if (error instanceof Stripe.errors.StripeError) {
    if (error.statusCode === 404) {
      return callableError("payment_object_not_found", missing);
    }
    logger.error("stripe call failed", {
      action,
      type: error.type,
      code: error.code,
      statusCode: error.statusCode,
      message: error.message,
      requestId: error.requestId,
    });
    const transient =
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      (error.statusCode !== undefined && error.statusCode >= 500);
    return transient
      ? callableError("payment_provider_unavailable")
      : callableError("payment_setup_failed");
  }
  logger.error("payment operation failed", { action, error: String(error) });
  return callableError("payment_setup_failed");
}
