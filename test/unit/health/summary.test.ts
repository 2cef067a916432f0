import { describe, expect, it } from "vitest";
import {
  httpStatusFor,
  summarizeHealth,
  variantForPath,
  type DependencyCheck,
} from "../../../functions/src/health/summary";
import { describeFeatures } from "../../../functions/src/shared/features";
import type { Settings } from "../../../functions/src/config";

const ok = (name: string, required: boolean): DependencyCheck => ({ name, required, status: "ok" });

describe("health summary", () => {
  it("picks the variant from the path", () => {
    expect(variantForPath("/")).toBe("detailed");
    expect(variantForPath("/live")).toBe("live");
    expect(variantForPath("/health/ready/")).toBe("ready");
    expect(variantForPath("/detailed")).toBe("detailed");
  });

  it("is down (503) when a required dependency fails, degraded (200) when an optional one is off", () => {
    const down = summarizeHealth("detailed", [
      ok("firestore", true),
      { name: "auth", required: true, status: "error" },
    ]);
    expect(down.status).toBe("down");
    expect(httpStatusFor(down)).toBe(503);
    const degraded = summarizeHealth("detailed", [
      ok("firestore", true),
      { name: "openai", required: false, status: "disabled" },
    ]);
    expect(degraded.status).toBe("degraded");
    expect(httpStatusFor(degraded)).toBe(200);
    expect(summarizeHealth("live", []).status).toBe("ok");
  });
});

const settings = (overrides: Partial<Settings>): Settings => ({
  openAiApiKey: "",
  openAiBaseUrl: "https://api.openai.com/v1",
  openAiModel: "gpt-4o-mini",
  openAiTimeoutMs: 30000,
  moderationModel: "omni-moderation-latest",
  ttsModel: "gpt-4o-mini-tts",
  transcribeModel: "whisper-1",
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
  requireVerifiedEmail: false,
  ...overrides,
});

describe("feature switches", () => {
  it("reports each missing key as a disabled feature with a reason, not an error", () => {
    const none = describeFeatures(settings({}));
    expect(none.openai).toMatchObject({
      enabled: false,
      reason: expect.stringContaining("OPENAI_API_KEY"),
    });
    expect(none.stripe).toMatchObject({
      enabled: false,
      reason: expect.stringContaining("STRIPE_SECRET_KEY"),
    });
    expect(none.storage.enabled).toBe(false);
    const halfStripe = describeFeatures(settings({ stripeSecretKey: "sk_test_x" }));
    expect(halfStripe.stripe.reason).toContain("STRIPE_WEBHOOK_SECRET");
    const all = describeFeatures(
      settings({
        openAiApiKey: "sk",
        stripeSecretKey: "sk",
        stripeWebhookSecret: "wh",
        mediaBucket: "b",
      }),
    );
    expect(Object.values(all).every((feature) => feature.enabled)).toBe(true);
  });
});
