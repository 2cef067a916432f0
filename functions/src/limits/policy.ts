// Free-tier quotas and rate limits: the numbers and the decisions. Pure: no Firebase.
import type { MessageUnit } from "../contract/chat";

export type MessageKind = "text" | "audio" | "media";

/** Free tier, per user and character (premium users are unlimited). */
export const FREE_QUOTA: Record<MessageKind, number> = { text: 30, audio: 5, media: 5 };

export interface UsageCounts {
  text: number;
  audio: number;
  media: number;
}

export const ZERO_USAGE: UsageCounts = { text: 0, audio: 0, media: 0 };

export type QuotaDecision =
  { allowed: true; premium: boolean } | { allowed: false; used: number; limit: number };

export function quotaDecision(
  kind: MessageKind,
  usage: UsageCounts,
  premium: boolean,
): QuotaDecision {
  if (premium) return { allowed: true, premium: true };
  const used = usage[kind];
  const limit = FREE_QUOTA[kind];
  return used < limit ? { allowed: true, premium: false } : { allowed: false, used, limit };
}

export function remaining(
  usage: UsageCounts,
  premium: boolean,
): Record<MessageKind, number | null> {
  const left = (kind: MessageKind) =>
    premium ? null : Math.max(0, FREE_QUOTA[kind] - usage[kind]);
  return { text: left("text"), audio: left("audio"), media: left("media") };
}

/** The free-tier unit a user message holds (contract/chat.ts), and how takes change it. */
export type { MessageUnit };

export const NO_UNIT: MessageUnit = { charged: false, deliveredSinceCharge: false };

/** Whether a take must charge a unit: a free user's take of a message that holds none. */
export function takeNeedsUnit(unit: MessageUnit, premium: boolean): boolean {
  return !premium && !unit.charged;
}

/** The unit once a take has charged it. */
export function chargedUnit(): MessageUnit {
  return { charged: true, deliveredSinceCharge: false };
}

/**
 * The unit once a take has ended: a take that delivered text marks the held unit as spent;
 * a take that delivered nothing gives the unit back unless an earlier take delivered with it.
 */
export function settleUnit(
  unit: MessageUnit,
  delivered: boolean,
): { unit: MessageUnit; refund: boolean } {
  if (!unit.charged) return { unit, refund: false };
  if (delivered) return { unit: { charged: true, deliveredSinceCharge: true }, refund: false };
  if (unit.deliveredSinceCharge) return { unit, refund: false };
  return { unit: NO_UNIT, refund: true };
}

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Messages (new messages and regenerations) per minute, by tier. Every message counts,
 * whatever its outcome: a refused message costs a trigger run and a few reads, so refusals
 * must be bounded too. Premium's limit is a setting (PREMIUM_MESSAGES_PER_MINUTE).
 */
export function messageRateLimit(premium: boolean, premiumPerMinute: number): RateLimit {
  return premium
    ? { limit: Math.max(1, premiumPerMinute), windowMs: 60_000 }
    : { limit: FREE_MESSAGES_PER_MINUTE, windowMs: 60_000 };
}

export const FREE_MESSAGES_PER_MINUTE = 10;
export const DEFAULT_PREMIUM_MESSAGES_PER_MINUTE = 30;

/**
 * Rate limits of callables, per the product spec (auth endpoints 5 per 15 minutes; uploads
 * 20 an hour, 100 for premium), plus the callables that spend money or write on every call.
 * Messages have their own tiered limit (messageRateLimit), kept with the free-tier counts.
 */
export const RATE_LIMITS = {
  auth: { limit: 5, windowMs: 15 * 60_000 },
  /** Availability checks run as the user types, so they get more room than claims. */
  usernameCheck: { limit: 30, windowMs: 60_000 },
  aiTest: { limit: 10, windowMs: 60_000 },
  costEstimate: { limit: 30, windowMs: 60_000 },
  checkout: { limit: 5, windowMs: 15 * 60_000 },
  /** The success page may poll while a payment settles; each call is a Stripe request. */
  checkoutVerify: { limit: 30, windowMs: 60_000 },
  /** Each call creates a Stripe billing portal session. */
  portal: { limit: 10, windowMs: 15 * 60_000 },
  /** Each call signs a URL (an IAM signBlob call when deployed). */
  signedUrl: { limit: 60, windowMs: 60_000 },
  /** Each new conversation writes its documents and counts toward the character's stats. */
  startConversation: { limit: 10, windowMs: 60_000 },
  uploads: { limit: 20, windowMs: 60 * 60_000 },
  uploadsPremium: { limit: 100, windowMs: 60 * 60_000 },
} as const satisfies Record<string, RateLimit>;

export type RateBucket = keyof typeof RATE_LIMITS;

export type WindowDecision =
  { allowed: true; hits: number[] } | { allowed: false; retryAfterMs: number; hits: number[] };

/**
 * Sliding-window log: `hits` are the times of accepted requests. At most `limit` fit in
 * any window; the log never holds more than `limit` entries, so the document stays small.
 */
export function slidingWindow(
  hits: readonly number[],
  nowMs: number,
  rule: Pick<RateLimit, "limit" | "windowMs">,
): WindowDecision {
  // Hits stamped after `nowMs` are kept: concurrent requests take their clock before their
  // transaction, so a later-committing one may carry an earlier time than hits it finds.
  const recent = hits.filter((at) => at > nowMs - rule.windowMs).sort((a, b) => a - b);
  if (recent.length < rule.limit)
    return { allowed: true, hits: [...recent, nowMs].sort((a, b) => a - b) };
  const oldest = recent[recent.length - rule.limit] ?? nowMs;
  return {
    allowed: false,
    retryAfterMs: Math.max(1, oldest + rule.windowMs - nowMs),
    hits: recent.slice(-rule.limit),
  };
}
