// POST stripeWebhook: Stripe's events, verified, deduplicated, applied.
//
// - The signature is checked on the raw body first; a missing or wrong signature, or a body
//   changed after signing, is 400 and nothing is read or written.
// - Event types we do not act on are acknowledged (200) and ignored.
// - Everything else is acknowledged only after its transaction (record + premium + marker)
//   has committed; any failure is 500 so Stripe delivers it again.
// - The answer says what the delivery did: `ignored`, `duplicate`, `unknown-user`,
//   `unchanged` (handled, but nothing to change) or `applied` (with the premium effect).
// - A checkout for an account that no longer exists is recorded for admins and, when paid,
//   refunded (orphans.ts) before it is acknowledged.
import type { Response } from "express";
import * as logger from "firebase-functions/logger";
import type { Request } from "firebase-functions/v2/https";
import type Stripe from "stripe";
import { readSettings } from "../config";
import { describeFeatures } from "../shared/features";
import { applyPaymentAction, eventProcessed } from "./apply";
import { decideEvent, EventShapeError, type PaymentAction } from "./events";
import { settleOrphanedCheckout } from "./orphans";
import { stripeClient } from "./stripe-client";
import { stripeEndpoint } from "./urls";

function reply(res: Response, status: number, body: Record<string, unknown>): void {
  res.status(status).set("Cache-Control", "no-store").json(body);
}

/** The receipt of a paid checkout; cosmetic, so a failure to fetch it is only logged. */
async function receiptUrlFor(stripe: Stripe, action: PaymentAction): Promise<string | null> {
  if (action.kind !== "checkout" || action.outcome !== "paid") return null;
  try {
    const intent = await stripe.paymentIntents.retrieve(action.paymentIntentId, {
      expand: ["latest_charge"],
    });
    const charge = intent.latest_charge;
    return typeof charge === "object" && charge !== null ? (charge.receipt_url ?? null) : null;
  } catch (error) {
    logger.warn("could not fetch the receipt of a payment", {
      paymentIntentId: action.paymentIntentId,
      error: String(error),
    });
    return null;
  }
}

export async function handleStripeWebhook(req: Request, res: Response): Promise<void> {
  if (req.method !== "POST") {
    res.set("Allow", "POST");
    reply(res, 405, { error: "method not allowed" });
    return;
  }
  const settings = readSettings();
  const feature = describeFeatures(settings).stripe;
  if (!feature.enabled || !stripeEndpoint(settings.stripeApiUrl)) {
    // Not 2xx: events sent before the secrets were set are delivered again once they are.
    logger.error("stripe webhook called while payments are not configured", {
      reason: feature.reason,
    });
    reply(res, 503, { error: "payments are not configured" });
    return;
  }
  const signature = req.get("stripe-signature");
  if (!signature) {
    reply(res, 400, { error: "missing Stripe-Signature header" });
    return;
  }
  const stripe = stripeClient(settings);
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.rawBody, signature, settings.stripeWebhookSecret);
  } catch (error) {
    logger.warn("stripe webhook signature rejected", { error: String(error) });
    reply(res, 400, { error: "invalid signature" });
    return;
  }

  try {
    const decision = decideEvent(event);
    if (!decision.act) {
      logger.info("stripe event ignored", {
        eventId: decision.eventId,
        type: decision.type,
        reason: decision.reason,
      });
      reply(res, 200, { received: true, outcome: "ignored" });
      return;
    }
    const { eventId, type, action } = decision;
    if (await eventProcessed(eventId)) {
      logger.info("stripe event already processed", { eventId, type });
      reply(res, 200, { received: true, outcome: "duplicate" });
      return;
    }
    const receiptUrl = await receiptUrlFor(stripe, action);
    const outcome = await applyPaymentAction(action, {
      event: { id: eventId, type },
      defaultDays: settings.premiumDays,
      receiptUrl,
    });
    switch (outcome.kind) {
      case "duplicate":
        logger.info("stripe event already processed", { eventId, type });
        break;
      case "unknown-user": {
        if (action.kind !== "checkout") throw new Error("only a checkout has no user");
        const orphan = await settleOrphanedCheckout(
          stripe,
          { ...action, uid: outcome.uid },
          { id: eventId, type },
        );
        logger.warn("stripe checkout for an account that no longer exists", {
          eventId,
          type,
          uid: outcome.uid,
          customerId: outcome.customerId,
          paymentIntentId: action.paymentIntentId,
          outcome: orphan,
        });
        reply(res, 200, { received: true, outcome: orphan });
        return;
      }
      case "applied":
        logger.info(outcome.changed ? "stripe event applied" : "stripe event changed nothing", {
          eventId,
          type,
          uid: outcome.uid,
          paymentIntentId: action.paymentIntentId,
          status: outcome.status,
          effect: outcome.effect,
        });
        break;
    }
    if (outcome.kind === "applied") {
      reply(res, 200, {
        received: true,
        outcome: outcome.changed ? "applied" : "unchanged",
        effect: outcome.effect,
        status: outcome.status,
      });
      return;
    }
    reply(res, 200, { received: true, outcome: outcome.kind });
  } catch (error) {
    const detail = error instanceof EventShapeError ? "malformed event" : "processing failed";
    logger.error(`stripe event ${detail}; answering 500 so Stripe retries`, {
      eventId: event.id,
      type: event.type,
      error: error instanceof Error ? error.message : String(error),
    });
    reply(res, 500, { error: "event not processed; it will be retried" });
  }
}
