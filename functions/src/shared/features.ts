// Which optional features are usable with the current settings. Pure: no Firebase imports.
import type { Settings } from "../config";

export type FeatureName = "openai" | "stripe" | "storage";

export interface FeatureState {
  enabled: boolean;
  /** Why the feature is disabled, in words an operator can act on. */
  reason?: string;
}

export function describeFeatures(settings: Settings): Record<FeatureName, FeatureState> {
  return {
    openai: settings.openAiApiKey
      ? { enabled: true }
      : {
          enabled: false,
          reason:
            "OPENAI_API_KEY is not set; replies come from the offline responder (set the secret to use a real model)",
        },
    stripe:
      settings.stripeSecretKey && settings.stripeWebhookSecret
        ? { enabled: true }
        : {
            enabled: false,
            reason: settings.stripeSecretKey
              ? "STRIPE_WEBHOOK_SECRET is not set; payments are disabled"
              : "STRIPE_SECRET_KEY is not set; payments are disabled",
          },
    storage: settings.mediaBucket
      ? { enabled: true }
      : { enabled: false, reason: "no Cloud Storage bucket: set MEDIA_BUCKET or enable Storage" },
  };
}
