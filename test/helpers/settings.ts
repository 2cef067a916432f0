// Settings for tests that call handlers or feature checks with explicit values: the
// production defaults of functions/src/config.ts, with overrides.
import type { Settings } from "../../functions/src/config";

export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    openAiApiKey: "",
    openAiBaseUrl: "https://api.openai.com/v1",
    openAiModel: "gpt-4o-mini",
    openAiTimeoutMs: 30_000,
    moderationModel: "omni-moderation-latest",
    ttsModel: "gpt-4o-mini-tts",
    transcribeModel: "whisper-1",
    outputModeration: "prefix",
    premiumMessagesPerMinute: 30,
    requireVerifiedEmail: false,
    replyPriority: true,
    replyQueueMaxAttempts: 6,
    stripeSecretKey: "",
    stripeWebhookSecret: "",
    stripePublishableKey: "",
    stripeApiUrl: "https://api.stripe.com",
    stripePriceId: "",
    premiumPriceCents: 700,
    premiumCurrency: "usd",
    premiumDays: 15,
    checkoutReturnOrigins: [],
    mediaBucket: "",
    ...overrides,
  };
}
