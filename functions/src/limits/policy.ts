// Free-tier quotas and rate limits: the numbers and the decisions. Pure: no Firebase.

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

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Premium users skip this limit. */
  premiumExempt: boolean;
}

/**
 * Rate limits per the product spec (messages 10 a minute for free users; auth endpoints 5
 * per 15 minutes; uploads 20 an hour, 100 for premium), plus the callables that spend
 * money on every call.
 */
export const RATE_LIMITS = {
  messages: { limit: 10, windowMs: 60_000, premiumExempt: true },
  auth: { limit: 5, windowMs: 15 * 60_000, premiumExempt: false },
  /** Availability checks run as the user types, so they get more room than claims. */
  usernameCheck: { limit: 30, windowMs: 60_000, premiumExempt: false },
  aiTest: { limit: 10, windowMs: 60_000, premiumExempt: false },
  costEstimate: { limit: 30, windowMs: 60_000, premiumExempt: false },
  checkout: { limit: 5, windowMs: 15 * 60_000, premiumExempt: false },
  regenerate: { limit: 10, windowMs: 60_000, premiumExempt: false },
  /** The success page may poll while a payment settles; each call is a Stripe request. */
  checkoutVerify: { limit: 30, windowMs: 60_000, premiumExempt: false },
  /** Each call creates a Stripe billing portal session. */
  portal: { limit: 10, windowMs: 15 * 60_000, premiumExempt: false },
  /** Each call signs a URL (an IAM signBlob call when deployed). */
  signedUrl: { limit: 60, windowMs: 60_000, premiumExempt: false },
  uploads: { limit: 20, windowMs: 60 * 60_000, premiumExempt: false },
  uploadsPremium: { limit: 100, windowMs: 60 * 60_000, premiumExempt: false },
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
