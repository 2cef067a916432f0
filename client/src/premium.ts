// Premium: the offer, Stripe Checkout, the success page's check, the customer portal, the
// payment history and the user's premium status.
import { orderBy, query, where } from "firebase/firestore";
import {
  isPremiumAt,
  paths,
  paymentSchema,
  userProfileSchema,
  type CreateCheckoutSessionOutput,
  type Payment,
  type PaymentsConfig,
  type VerifyCheckoutSessionOutput,
} from "../../functions/src/contract/index.js";
import { requireUser } from "./auth.js";
import { call } from "./call.js";
import type { AiChatClient } from "./connect.js";
import {
  typedCollection,
  typedDoc,
  watchDocument,
  watchQuery,
  type ErrorHandler,
  type Unsubscribe,
  type WithId,
} from "./documents.js";

export type PaymentDoc = WithId<Payment>;

/** Price, currency, days, and whether payments are configured here (works signed out). */
export function getPaymentsConfig(client: AiChatClient): Promise<PaymentsConfig> {
  return call(client, "getPaymentsConfig", {});
}

/** Stripe replaces this in a success URL with the Checkout session's id. */
export const CHECKOUT_SESSION_ID = "{CHECKOUT_SESSION_ID}";

/**
 * Creates a Stripe Checkout session for premium and returns its hosted page's `url`: send
 * the user there (`location.assign(url)`, or `Linking.openURL(url)` in React Native).
 * `successUrl` must contain `{CHECKOUT_SESSION_ID}` and both URLs must be on an origin in
 * the deployment's CHECKOUT_RETURN_ORIGINS. At most 5 sessions per 15 minutes.
 */
export function startCheckout(
  client: AiChatClient,
  urls: { successUrl: string; cancelUrl: string },
): Promise<CreateCheckoutSessionOutput> {
  return call(client, "createCheckoutSession", urls);
}

/**
 * For the success page: where the session stands (`paid` once premium is granted, `pending`
 * for a delayed payment method, `open` or `expired` when unpaid) and the premium expiry. A
 * paid session is applied here if the webhook has not done it yet, never twice.
 */
export function verifyCheckout(
  client: AiChatClient,
  sessionId: string,
): Promise<VerifyCheckoutSessionOutput> {
  return call(client, "verifyCheckoutSession", { sessionId });
}

/** Stripe's customer portal (receipts, invoices) for a user who has paid before. */
export async function openPortal(client: AiChatClient, returnUrl: string): Promise<string> {
  return (await call(client, "createPortalSession", { returnUrl })).url;
}

/** The user's payments, newest first, live (a refund shows as it happens). */
export function watchPayments(
  client: AiChatClient,
  onChange: (payments: PaymentDoc[]) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  const uid = requireUser(client).uid;
  return watchQuery(
    query(
      typedCollection(client, paths.payments(), paymentSchema),
      where("uid", "==", uid),
      orderBy("createdAt", "desc"),
    ),
    onChange,
    onError,
  );
}

export interface PremiumStatus {
  premium: boolean;
  /** When premium ends (or ended); null when the user never had it. */
  premiumUntil: Date | null;
}

/** MAX delay of setTimeout. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The user's premium status, live: it turns on when a payment is applied and off at
 * `premiumUntil` by itself (a timer; no write is needed for premium to end).
 */
export function watchPremium(
  client: AiChatClient,
  onChange: (status: PremiumStatus) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  let expiry: ReturnType<typeof setTimeout> | undefined;
  let untilMs: number | null = null;
  const emit = () => {
    const premium = isPremiumAt(untilMs, Date.now());
    onChange({ premium, premiumUntil: untilMs === null ? null : new Date(untilMs) });
    clearTimeout(expiry);
    if (premium && untilMs !== null)
      expiry = setTimeout(emit, Math.min(untilMs - Date.now() + 1, MAX_TIMER_MS));
  };
  const stop = watchDocument(
    typedDoc(client, paths.user(requireUser(client).uid), userProfileSchema),
    (profile) => {
      untilMs = profile?.premiumUntil?.toMillis() ?? null;
      emit();
    },
    onError,
  );
  return () => {
    clearTimeout(expiry);
    stop();
  };
}
