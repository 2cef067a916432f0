// What a refused message tells the user, with the details that make the message specific
// (the character's name, the kind of message, the retry time) and the upgrade offer.
import { readSettings } from "../config";
import { REPLY_ERRORS } from "../contract/errors";
import { FREE_QUOTA, type MessageKind } from "../limits/policy";
import type { TakeDecision } from "./core/take";

const KIND_LABEL: Record<MessageKind, string> = {
  text: "text messages",
  audio: "voice messages",
  media: "photo messages",
};

/** How to go premium, on a reply that reached a limit (`error.upgrade`). */
export function upgradeHint() {
  const settings = readSettings();
  return {
    priceCents: settings.premiumPriceCents,
    currency: settings.premiumCurrency,
    days: settings.premiumDays,
    callable: "createCheckoutSession",
  };
}

export function refusalMessage(
  decision: Extract<TakeDecision, { action: "refuse" }>,
  characterName: string,
  kind: MessageKind,
): string {
  switch (decision.code) {
    case "limit_reached":
      return `You've used your ${FREE_QUOTA[kind]} free ${KIND_LABEL[kind]} with ${characterName}. Go premium for unlimited messages.`;
    case "premium_required":
      return `${characterName} is for premium members. Go premium to chat.`;
    case "rate_limited":
      return decision.retryAfterMs === undefined
        ? REPLY_ERRORS.rate_limited.message
        : `You're sending messages quickly. Try again in ${Math.ceil(decision.retryAfterMs / 1000)} s.`;
    default:
      return REPLY_ERRORS[decision.code].message;
  }
}
