// Payments as clients see them: payments/{paymentIntentId} (the owner's history) and the
// payment callables' inputs and outputs. Only functions write payment documents.
// Pure: zod only.
import { z } from "zod";
import { emptyInput } from "./common.js";
import { timestampSchema } from "./timestamp.js";

export const PAYMENT_STATUSES = ["pending", "paid", "failed", "refunded", "disputed"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** payments/{paymentIntentId}: one premium purchase. */
export const paymentSchema = z.object({
  uid: z.string().nullable(),
  sessionId: z.string().nullable(),
  customerId: z.string().nullable(),
  /** In the currency's smallest unit (cents). */
  amount: z.number().int().nullable(),
  currency: z.string().nullable(),
  amountRefunded: z.number().int(),
  status: z.enum(PAYMENT_STATUSES),
  periodDays: z.number().int().nullable(),
  /** The premium time this payment added, in milliseconds. */
  grantedMs: z.number().int(),
  periodStart: timestampSchema.nullable(),
  periodEnd: timestampSchema.nullable(),
  receiptUrl: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Payment = z.infer<typeof paymentSchema>;

/** Checkout and portal return URLs: absolute, on an allowed origin, at most this long. */
export const MAX_RETURN_URL_LENGTH = 2048;
const urlField = z.string().min(1).max(MAX_RETURN_URL_LENGTH);

export const getPaymentsConfigInput = emptyInput;
export const getPaymentsConfigOutput = z.object({
  enabled: z.boolean(),
  publishableKey: z.string().nullable(),
  priceCents: z.number().int(),
  currency: z.string(),
  days: z.number().int(),
});
export type PaymentsConfig = z.infer<typeof getPaymentsConfigOutput>;

/**
 * `successUrl` must carry `{CHECKOUT_SESSION_ID}` (Stripe fills it in), so the success page
 * can call verifyCheckoutSession with it.
 */
export const createCheckoutSessionInput = z.strictObject({
  successUrl: urlField,
  cancelUrl: urlField,
});
export const createCheckoutSessionOutput = z.object({
  /** Stripe's hosted Checkout page: send the browser there. */
  url: z.string(),
  sessionId: z.string(),
});
export type CreateCheckoutSessionOutput = z.infer<typeof createCheckoutSessionOutput>;

export const createPortalSessionInput = z.strictObject({ returnUrl: urlField });
export const createPortalSessionOutput = z.object({ url: z.string() });
export type CreatePortalSessionOutput = z.infer<typeof createPortalSessionOutput>;

export const verifyCheckoutSessionInput = z.strictObject({
  sessionId: z
    .string()
    .min(1)
    .max(255)
    .regex(/^cs_[A-Za-z0-9_]+$/, "is not a Checkout session id"),
});
export const CHECKOUT_STATUSES = [...PAYMENT_STATUSES, "open", "expired"] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];
export const verifyCheckoutSessionOutput = z.object({
  status: z.enum(CHECKOUT_STATUSES),
  /** ISO 8601: the caller's premium expiry now (null when they never had premium). */
  premiumUntil: z.string().nullable(),
});
export type VerifyCheckoutSessionOutput = z.infer<typeof verifyCheckoutSessionOutput>;
