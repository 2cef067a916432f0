// What each notification says and when one is due. Pure: no Firebase imports, times in epoch
// milliseconds. Every notification has an id derived from what it is about, so writing it
// again is the same notification, never a second one.
import type { GalleryType } from "../contract/characters";
import type { MessageType } from "../contract/chat";
import {
  ANNOUNCEMENT_BODY_MAX,
  ANNOUNCEMENT_TITLE_MAX,
  VIEWING_WINDOW_MS,
  type AnnouncementAudience,
  type NotificationData,
  type NotificationType,
} from "../contract/notifications";
import type { PaymentStatus } from "../contract/payments";

/** A notification about to be written: its id, type, text and data. */
export type NewNotification = {
  [T in NotificationType]: {
    id: string;
    type: T;
    title: string;
    body: string;
    data: NotificationData<T>;
  };
}[NotificationType];

/** The notifications that are also sent as emails (when EMAIL_NOTIFICATIONS is on). */
export const EMAILED_TYPES: ReadonlySet<NotificationType> = new Set([
  "premium_activated",
  "premium_expiring",
  "premium_expired",
  "payment_failed",
  "payment_refunded",
]);

const BODY_SNIPPET = 140;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** A UTC time as people read it in a sentence: `16 Dec 2026, 10:00 UTC`. */
export function formatUtc(ms: number): string {
  const date = new Date(ms);
  const months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

// ---- replies ------------------------------------------------------------------------------

/** Whether the conversation was on the user's screen: reported within VIEWING_WINDOW_MS. */
export function wasViewing(viewingAtMs: number | null, nowMs: number): boolean {
  return viewingAtMs !== null && nowMs - viewingAtMs <= VIEWING_WINDOW_MS;
}

export interface FinishedReply {
  /** This take delivered the message's first answer (regenerations never notify). */
  firstAnswer: boolean;
  /** `viewingAt` of the conversation when the reply was claimed. */
  viewingAtMs: number | null;
  nowMs: number;
  conversationId: string;
  characterId: string;
  characterName: string;
  messageId: string;
  type: MessageType;
  text: string;
}

/** The `reply_ready` notification of a reply that finished unseen, or null when none is due. */
export function replyNotification(reply: FinishedReply): NewNotification | null {
  if (!reply.firstAnswer || wasViewing(reply.viewingAtMs, reply.nowMs)) return null;
  const name = reply.characterName.trim() || "Your character";
  const body =
    reply.type === "audio"
      ? `${name} sent you a voice message.`
      : reply.type === "media"
        ? `${name} sent you a picture.`
        : clip(reply.text, BODY_SNIPPET) || `${name} replied.`;
  return {
    id: `reply_${reply.messageId}`,
    type: "reply_ready",
    title: clip(`${name} replied`, ANNOUNCEMENT_TITLE_MAX),
    body,
    data: {
      conversationId: reply.conversationId,
      characterId: reply.characterId,
      messageId: reply.messageId,
    },
  };
}

// ---- payments -----------------------------------------------------------------------------

export interface PaymentChange {
  paymentIntentId: string;
  /** The stored status before this event (null: the first event of the payment). */
  before: PaymentStatus | null;
  after: PaymentStatus;
  /** Premium was granted, revoked, or neither by this event. */
  effect: "granted" | "revoked" | "none";
  premiumUntilMs: number | null;
  amount: number | null;
  currency: string | null;
}

function money(amount: number | null, currency: string | null): string {
  if (amount === null || currency === null) return "your payment";
  const code = currency.toUpperCase();
  return `${(amount / 100).toFixed(2)} ${code}`;
}

/**
 * What a payment event tells its owner. A payment's status only moves up (pending, failed,
 * paid, refunded or disputed), so each of these happens once per payment.
 */
export function paymentNotification(change: PaymentChange): NewNotification | null {
  const id = (kind: string) => `payment_${change.paymentIntentId}_${kind}`;
  if (change.effect === "granted" && change.premiumUntilMs !== null) {
    return {
      id: id("activated"),
      type: "premium_activated",
      title: "Premium is active",
      body: `Thank you! Unlimited messages until ${formatUtc(change.premiumUntilMs)}.`,
      data: { paymentId: change.paymentIntentId, premiumUntilMs: change.premiumUntilMs },
    };
  }
  if (change.after === "failed" && change.before !== "failed") {
    return {
      id: id("failed"),
      type: "payment_failed",
      title: "Your payment didn't go through",
      body: "Premium was not activated and you were not charged. You can try again at any time.",
      data: { paymentId: change.paymentIntentId },
    };
  }
  const revoked = change.after === "refunded" || change.after === "disputed";
  if (revoked && change.before !== change.after) {
    const dispute = change.after === "disputed";
    const what = money(change.amount, change.currency);
    const premium =
      change.effect === "revoked"
        ? change.premiumUntilMs !== null && change.premiumUntilMs > 0
          ? ` The premium time it bought was removed; premium now ends ${formatUtc(change.premiumUntilMs)}.`
          : " The premium time it bought was removed."
        : "";
    return {
      id: id(dispute ? "disputed" : "refunded"),
      type: "payment_refunded",
      title: dispute ? "A dispute was opened on your payment" : "Your payment was refunded",
      body: `${dispute ? `The payment of ${what} is disputed.` : `${what} was refunded.`}${premium}`,
      data: {
        paymentId: change.paymentIntentId,
        reason: dispute ? "dispute" : "refund",
        premiumUntilMs: change.premiumUntilMs,
      },
    };
  }
  return null;
}

// ---- premium expiry -----------------------------------------------------------------------

/** `premium_expiring` goes out when premium has at most this long left. */
export const EXPIRY_NOTICE_MS = 24 * 3_600_000;

export function expiringNotification(premiumUntilMs: number, nowMs: number): NewNotification {
  const hours = Math.max(1, Math.round((premiumUntilMs - nowMs) / 3_600_000));
  return {
    id: `premium_expiring_${premiumUntilMs}`,
    type: "premium_expiring",
    title: hours >= 23 ? "Premium ends tomorrow" : `Premium ends in ${hours} hours`,
    body: `Your premium ends ${formatUtc(premiumUntilMs)}. Renew to keep unlimited messages.`,
    data: { premiumUntilMs },
  };
}

export function expiredNotification(premiumUntilMs: number): NewNotification {
  return {
    id: `premium_expired_${premiumUntilMs}`,
    type: "premium_expired",
    title: "Premium has ended",
    body: "Your premium has ended; the free tier applies again. Go premium again at any time.",
    data: { premiumUntilMs },
  };
}

// ---- fan-outs -----------------------------------------------------------------------------

export interface NewGalleryItem {
  characterId: string;
  characterName: string;
  itemId: string;
  mediaType: GalleryType;
  premiumOnly: boolean;
  caption: string;
}

/** Every follower of the character gets this, once per item. */
export function galleryNotification(item: NewGalleryItem): NewNotification {
  const name = item.characterName.trim() || "A character you follow";
  const kind =
    item.mediaType === "video" ? "video" : item.mediaType === "audio" ? "recording" : "picture";
  const caption = clip(item.caption, BODY_SNIPPET);
  return {
    id: `gallery_${item.characterId}_${item.itemId}`,
    type: "gallery_item",
    title: clip(`New in ${name}'s gallery`, ANNOUNCEMENT_TITLE_MAX),
    body:
      (caption || `A new ${kind} from ${name}.`) +
      (item.premiumOnly ? " (premium members only)" : ""),
    data: {
      characterId: item.characterId,
      itemId: item.itemId,
      mediaType: item.mediaType,
      premiumOnly: item.premiumOnly,
    },
  };
}

export function announcementNotification(announcement: {
  announcementId: string;
  audience: AnnouncementAudience;
  title: string;
  body: string;
}): NewNotification {
  return {
    id: `announcement_${announcement.announcementId}`,
    type: "announcement",
    title: clip(announcement.title, ANNOUNCEMENT_TITLE_MAX),
    body: announcement.body.trim().slice(0, ANNOUNCEMENT_BODY_MAX),
    data: { announcementId: announcement.announcementId, audience: announcement.audience },
  };
}
