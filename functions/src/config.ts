// Every setting the functions read, declared once. Values are read with `.value()` only at
// run time (inside a handler), never at module load, so deploy-time discovery stays fast
// and a missing key disables one feature instead of failing the deploy. The one exception,
// ENFORCE_APP_CHECK, says below why.
import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";

export const OPENAI_API_KEY = defineSecret("OPENAI_API_KEY");
export const STRIPE_SECRET_KEY = defineSecret("STRIPE_SECRET_KEY");
export const STRIPE_WEBHOOK_SECRET = defineSecret("STRIPE_WEBHOOK_SECRET");

export const OPENAI_BASE_URL = defineString("OPENAI_BASE_URL", {
  default: "https://api.openai.com/v1",
  description: "Any OpenAI-compatible endpoint (OpenAI, a gateway, Ollama, vLLM).",
});
export const OPENAI_MODEL = defineString("OPENAI_MODEL", {
  default: "gpt-4o-mini",
  description: "Model used when a character does not name one.",
});
export const OPENAI_TIMEOUT_MS = defineInt("OPENAI_TIMEOUT_MS", {
  default: 30_000,
  description: "Per-call limit for the provider: no first byte, or no new chunk, for this long.",
});
export const OPENAI_MODERATION_MODEL = defineString("OPENAI_MODERATION_MODEL", {
  default: "omni-moderation-latest",
});
export const OPENAI_TTS_MODEL = defineString("OPENAI_TTS_MODEL", { default: "gpt-4o-mini-tts" });
export const OPENAI_TRANSCRIBE_MODEL = defineString("OPENAI_TRANSCRIBE_MODEL", {
  default: "whisper-1",
});
export const OUTPUT_MODERATION = defineString("OUTPUT_MODERATION", {
  default: "prefix",
  description:
    "prefix: every piece of a reply is moderated before anyone sees it (adds one moderation call before the first text); final: text streams as it is written and the complete reply is moderated at the end.",
});
export const PREMIUM_MESSAGES_PER_MINUTE = defineInt("PREMIUM_MESSAGES_PER_MINUTE", {
  default: 30,
  description:
    "Messages (and regenerations) a premium user may send per minute; free users get 10.",
});
export const REQUIRE_VERIFIED_EMAIL = defineBoolean("REQUIRE_VERIFIED_EMAIL", {
  default: false,
  description:
    "Free replies only for accounts whose email address is verified (premium is unaffected).",
});
// The reply queue (premium priority): free users' replies wait in a Cloud Tasks queue whose
// dispatch rate stays under the provider's limit, so premium replies always find capacity.
// Defaults suit a small provider account (OpenAI usage tier 1: 500 requests a minute for
// gpt-4o-mini): 5 queued replies a second leave about 40% of it to premium.
export const REPLY_PRIORITY = defineBoolean("REPLY_PRIORITY", {
  default: true,
  description: "Free users' replies go through the reply queue; premium replies never wait.",
});
export const REPLY_QUEUE_DISPATCHES_PER_SECOND = defineInt("REPLY_QUEUE_DISPATCHES_PER_SECOND", {
  default: 5,
  description: "Queued (free) replies started per second, at most.",
});
export const REPLY_QUEUE_CONCURRENCY = defineInt("REPLY_QUEUE_CONCURRENCY", {
  default: 20,
  description: "Queued (free) replies generating at once, at most.",
});
export const REPLY_QUEUE_MAX_ATTEMPTS = defineInt("REPLY_QUEUE_MAX_ATTEMPTS", {
  default: 6,
  description:
    "Deliveries of a queued reply (the provider said 429, so it waits again) before it fails.",
});
export const STRIPE_PUBLISHABLE_KEY = defineString("STRIPE_PUBLISHABLE_KEY", { default: "" });
export const STRIPE_API_URL = defineString("STRIPE_API_URL", {
  default: "https://api.stripe.com",
  description: "Where the Stripe SDK sends requests; tests point it at a local double.",
});
export const STRIPE_PRICE_ID = defineString("STRIPE_PRICE_ID", {
  default: "",
  description: "A one-time Price for premium; empty means an inline price from the values below.",
});
export const PREMIUM_PRICE_CENTS = defineInt("PREMIUM_PRICE_CENTS", { default: 700 });
export const PREMIUM_CURRENCY = defineString("PREMIUM_CURRENCY", { default: "usd" });
export const PREMIUM_DAYS = defineInt("PREMIUM_DAYS", { default: 15 });
export const CHECKOUT_RETURN_ORIGINS = defineString("CHECKOUT_RETURN_ORIGINS", {
  default: "http://localhost:3000,http://localhost:5173,http://127.0.0.1:5173",
  description: "Comma-separated origins allowed in checkout success/cancel and portal return URLs.",
});
export const MEDIA_BUCKET = defineString("MEDIA_BUCKET", {
  default: "",
  description: "Cloud Storage bucket for media; empty means the project's default bucket.",
});

// ---- capacity ----
// How far the deployment scales before a limit binds. docs/scaling.md derives each default
// from its capacity model (bench/scaling-model.ts, whose test holds these defaults to it):
// 1,000 users chatting at once leave at least half of every such limit free. Its tables say
// what to set for 10k and 100k.
export const CAPACITY_DEFAULTS = {
  maxInstances: 20,
  replyMaxInstances: 20,
  replyConcurrency: 40,
  statsShards: 11,
  usageShards: 10,
} as const;
export const MAX_INSTANCES = defineInt("MAX_INSTANCES", {
  default: CAPACITY_DEFAULTS.maxInstances,
  description: "Most instances of each function other than the reply functions (a cost cap).",
});
export const REPLY_MAX_INSTANCES = defineInt("REPLY_MAX_INSTANCES", {
  default: CAPACITY_DEFAULTS.replyMaxInstances,
  description:
    "Most instances of the reply functions; replies in flight = this x REPLY_CONCURRENCY.",
});
export const REPLY_CONCURRENCY = defineInt("REPLY_CONCURRENCY", {
  default: CAPACITY_DEFAULTS.replyConcurrency,
  description: "Replies one reply-function instance serves at once (it mostly waits on the model).",
});
export const STATS_SHARDS = defineInt("STATS_SHARDS", {
  default: CAPACITY_DEFAULTS.statsShards,
  description: "Counter shards per character; each takes about one write a second.",
});
export const USAGE_SHARDS = defineInt("USAGE_SHARDS", {
  default: CAPACITY_DEFAULTS.usageShards,
  description: "Daily AI-usage shards per character; each takes about one write a second.",
});

/**
 * A shard count, read at run time. Below 1 (unset, as in tests without the params file, or
 * mistyped) it is the declared default.
 */
export function shardCount(param: typeof STATS_SHARDS, fallback: number): number {
  const value = param.value();
  return Number.isInteger(value) && value >= 1 ? value : fallback;
}

// ---- abuse controls (docs/abuse.md) ---------------------------------------------------------

/**
 * Whether every callable refuses a request without a valid App Check token. Unlike the other
 * settings this one is read when the functions are defined, not inside a handler:
 * firebase-functions takes `enforceAppCheck` as a plain boolean when onCall builds its
 * handler (6.x types it `boolean`; a params expression is an object, which the handler would
 * take as always true). The deployed runtime has the resolved value in its environment
 * before the code loads, so the value read here is the deployed one. Declared with
 * defineBoolean so the CLI knows it, writes its default and lists it with the other params.
 */
export const ENFORCE_APP_CHECK = defineBoolean("ENFORCE_APP_CHECK", {
  default: false,
  description: "Refuse callable requests without a valid App Check token (see docs/abuse.md).",
});

/** ENFORCE_APP_CHECK as it is at load time (see above); only for the callables' options. */
export function appCheckEnforcedAtLoad(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[ENFORCE_APP_CHECK.name] === "true";
}

export interface Settings {
  openAiApiKey: string;
  openAiBaseUrl: string;
  openAiModel: string;
  openAiTimeoutMs: number;
  moderationModel: string;
  ttsModel: string;
  transcribeModel: string;
  outputModeration: "prefix" | "final";
  premiumMessagesPerMinute: number;
  requireVerifiedEmail: boolean;
  replyPriority: boolean;
  replyQueueMaxAttempts: number;
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  stripePublishableKey: string;
  stripeApiUrl: string;
  stripePriceId: string;
  premiumPriceCents: number;
  premiumCurrency: string;
  premiumDays: number;
  checkoutReturnOrigins: string[];
  mediaBucket: string;
}

function defaultBucket(): string {
  const raw = process.env.FIREBASE_CONFIG;
  if (!raw) return "";
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === "object" && parsed !== null && "storageBucket" in parsed) {
      const bucket = parsed.storageBucket;
      return typeof bucket === "string" ? bucket : "";
    }
  } catch {
    // FIREBASE_CONFIG is set by the runtime; a malformed value just means "no bucket".
  }
  return "";
}

/**
 * Reads the settings; call it inside a handler. Secrets are read only when used, so a
 * function that is not granted a secret never touches it.
 */
export function readSettings(): Settings {
  return {
    get openAiApiKey() {
      return OPENAI_API_KEY.value().trim();
    },
    openAiBaseUrl: OPENAI_BASE_URL.value().trim(),
    openAiModel: OPENAI_MODEL.value().trim(),
    openAiTimeoutMs: OPENAI_TIMEOUT_MS.value(),
    moderationModel: OPENAI_MODERATION_MODEL.value().trim(),
    ttsModel: OPENAI_TTS_MODEL.value().trim(),
    transcribeModel: OPENAI_TRANSCRIBE_MODEL.value().trim(),
    outputModeration: OUTPUT_MODERATION.value().trim() === "final" ? "final" : "prefix",
    premiumMessagesPerMinute: PREMIUM_MESSAGES_PER_MINUTE.value(),
    requireVerifiedEmail: REQUIRE_VERIFIED_EMAIL.value(),
    replyPriority: REPLY_PRIORITY.value(),
    replyQueueMaxAttempts: REPLY_QUEUE_MAX_ATTEMPTS.value(),
    get stripeSecretKey() {
      return STRIPE_SECRET_KEY.value().trim();
    },
    get stripeWebhookSecret() {
      return STRIPE_WEBHOOK_SECRET.value().trim();
    },
    stripePublishableKey: STRIPE_PUBLISHABLE_KEY.value().trim(),
    stripeApiUrl: STRIPE_API_URL.value().trim(),
    stripePriceId: STRIPE_PRICE_ID.value().trim(),
    premiumPriceCents: PREMIUM_PRICE_CENTS.value(),
    premiumCurrency: PREMIUM_CURRENCY.value().trim().toLowerCase(),
    premiumDays: PREMIUM_DAYS.value(),
    checkoutReturnOrigins: CHECKOUT_RETURN_ORIGINS.value()
      .split(",")
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
    mediaBucket: MEDIA_BUCKET.value().trim() || defaultBucket(),
  };
}

// ---- notification emails ----
// Emails are documents in the format of the official Trigger Email extension
// (firebase/firestore-send-email): a deployer who installs it gets email with no code.
export const EMAIL_NOTIFICATIONS = defineBoolean("EMAIL_NOTIFICATIONS", {
  default: false,
  description:
    "Write payment and premium-expiry emails to MAIL_COLLECTION for the Trigger Email extension to send.",
});
export const MAIL_COLLECTION = defineString("MAIL_COLLECTION", {
  default: "mail",
  description: "The collection the Trigger Email extension watches.",
});

export interface EmailSettings {
  enabled: boolean;
  collection: string;
}

export function readEmailSettings(): EmailSettings {
  return {
    enabled: EMAIL_NOTIFICATIONS.value(),
    collection: MAIL_COLLECTION.value().trim() || "mail",
  };
}
