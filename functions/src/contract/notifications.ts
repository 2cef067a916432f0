// Notifications as apps read them, the unread count, reporting the conversation on screen,
// and the notification callables. Pure: zod only.
//
// users/{uid}/notifications/{id}    written by functions; the owner reads and marks read
// users/{uid}/counters/notifications `unread`, kept by functions; the owner reads it
import { z } from "zod";
import { GALLERY_TYPES } from "./characters.js";
import { emptyInput } from "./common.js";
import { timestampSchema } from "./timestamp.js";

export const NOTIFICATION_TYPES = [
  "premium_activated",
  "premium_expiring",
  "premium_expired",
  "payment_failed",
  "payment_refunded",
  "reply_ready",
  "gallery_item",
  "announcement",
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const ANNOUNCEMENT_AUDIENCES = ["all", "premium"] as const;
export type AnnouncementAudience = (typeof ANNOUNCEMENT_AUDIENCES)[number];

/** What each type carries besides its text, so an app can link it and word it itself. */
export const NOTIFICATION_DATA = {
  premium_activated: z.object({ paymentId: z.string(), premiumUntilMs: z.number() }),
  /** premiumUntilMs: when premium ends (within 24 hours of the notification). */
  premium_expiring: z.object({ premiumUntilMs: z.number() }),
  premium_expired: z.object({ premiumUntilMs: z.number() }),
  payment_failed: z.object({ paymentId: z.string() }),
  /** reason: a refund, or a dispute the customer opened; premiumUntilMs: premium afterwards. */
  payment_refunded: z.object({
    paymentId: z.string(),
    reason: z.enum(["refund", "dispute"]),
    premiumUntilMs: z.number().nullable(),
  }),
  /** A reply that finished while its conversation was not on the user's screen. */
  reply_ready: z.object({
    conversationId: z.string(),
    characterId: z.string(),
    messageId: z.string(),
  }),
  /** A new gallery item of a character the user follows (premium-only items are teasers). */
  gallery_item: z.object({
    characterId: z.string(),
    itemId: z.string(),
    mediaType: z.enum(GALLERY_TYPES),
    premiumOnly: z.boolean(),
  }),
  announcement: z.object({
    announcementId: z.string(),
    audience: z.enum(ANNOUNCEMENT_AUDIENCES),
  }),
} as const satisfies Record<NotificationType, z.ZodType>;

export type NotificationData<T extends NotificationType> = z.infer<(typeof NOTIFICATION_DATA)[T]>;

const content = <T extends NotificationType>(type: T) =>
  z.object({ type: z.literal(type), data: NOTIFICATION_DATA[type] });

/** A notification's type and data, the part that differs from type to type. */
export const notificationContentSchema = z.discriminatedUnion("type", [
  content("premium_activated"),
  content("premium_expiring"),
  content("premium_expired"),
  content("payment_failed"),
  content("payment_refunded"),
  content("reply_ready"),
  content("gallery_item"),
  content("announcement"),
]);
export type NotificationContent = z.infer<typeof notificationContentSchema>;

const common = {
  /** A short line (at most 120 characters) and the text under it (at most 2000). */
  title: z.string(),
  body: z.string(),
  read: z.boolean(),
  readAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
};

const variant = <T extends NotificationType>(type: T) =>
  z.object({ ...common, type: z.literal(type), data: NOTIFICATION_DATA[type] });

/**
 * users/{uid}/notifications/{id}. Newest first by `createdAt`. A type an app does not know
 * yet does not parse: the client library reports it and leaves it out of the list.
 */
export const notificationSchema = z.discriminatedUnion("type", [
  variant("premium_activated"),
  variant("premium_expiring"),
  variant("premium_expired"),
  variant("payment_failed"),
  variant("payment_refunded"),
  variant("reply_ready"),
  variant("gallery_item"),
  variant("announcement"),
]);
export type Notification = z.infer<typeof notificationSchema>;

/** The fields an owner changes to mark a notification read (firestore.rules check the same). */
export const NOTIFICATION_READ_FIELDS = ["read", "readAt"] as const;

/**
 * users/{uid}/counters/notifications: how many notifications are unread, and the time before
 * which every notification counts as read (markAllNotificationsRead sets it instead of
 * changing each notification). Absent until the first notification.
 */
export const notificationCounterSchema = z.object({
  unread: z.number().int(),
  readBefore: timestampSchema.nullable().optional(),
  updatedAt: timestampSchema.optional(),
});
export type NotificationCounter = z.infer<typeof notificationCounterSchema>;

// ---- the conversation on screen --------------------------------------------------------------

/**
 * A chat screen reports its conversation by setting `viewingAt` to the server time this often
 * while it is in the foreground, and to null when it closes. The rules refuse a change sooner
 * than VIEWING_MIN_CHANGE_MS after the last report.
 */
export const VIEWING_REPORT_EVERY_MS = 20_000;
export const VIEWING_MIN_CHANGE_MS = 15_000;
/**
 * A reply notifies (`reply_ready`) unless the conversation was reported on screen within this
 * long before the reply finished. Two report intervals and then some: a screen that reports
 * every 20 s is never taken for absent.
 */
export const VIEWING_WINDOW_MS = 45_000;

// ---- callables ---------------------------------------------------------------------------------

export const ANNOUNCEMENT_TITLE_MAX = 120;
export const ANNOUNCEMENT_BODY_MAX = 2000;

const visibleText = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

/**
 * sendAnnouncement (admin). `announcementId` makes a retry safe: the same id with the same
 * content answers the announcement already under way; the client library always sends one.
 */
export const sendAnnouncementInput = z.strictObject({
  announcementId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8-64 letters, digits, _ or -")
    .optional(),
  audience: z.enum(ANNOUNCEMENT_AUDIENCES),
  title: visibleText(ANNOUNCEMENT_TITLE_MAX),
  body: visibleText(ANNOUNCEMENT_BODY_MAX),
});
export type SendAnnouncementInput = z.input<typeof sendAnnouncementInput>;

export const FANOUT_STATUSES = ["sending", "sent"] as const;
export type FanoutStatus = (typeof FANOUT_STATUSES)[number];

export const sendAnnouncementOutput = z.object({
  announcementId: z.string(),
  /** False when this id was already sent (a retry): nothing new was started. */
  created: z.boolean(),
  status: z.enum(FANOUT_STATUSES),
  /** Recipients notified so far. */
  recipients: z.number().int(),
});
export type SendAnnouncementOutput = z.infer<typeof sendAnnouncementOutput>;

/** The fan-out job that delivers an announcement (admins read its progress). */
export function announcementJobId(announcementId: string): string {
  return `announcement_${announcementId}`;
}

/** notificationJobs/{jobId} as admins read it: how far a fan-out has come. */
export const fanoutProgressSchema = z.object({
  kind: z.enum(["announcement", "gallery"]),
  status: z.enum(FANOUT_STATUSES),
  /** Recipients notified so far, and pages of recipients delivered. */
  recipients: z.number().int(),
  pages: z.number().int(),
  createdAt: timestampSchema.optional(),
  finishedAt: timestampSchema.optional(),
});
export type FanoutProgress = z.infer<typeof fanoutProgressSchema>;

export const markAllNotificationsReadInput = emptyInput;
export const markAllNotificationsReadOutput = z.object({
  /** How many were unread: every notification created before this call now counts as read. */
  cleared: z.number().int(),
});
export type MarkAllNotificationsReadOutput = z.infer<typeof markAllNotificationsReadOutput>;

/** Whether a notification counts as read: marked itself, or created before a "mark all read". */
export function isNotificationRead(
  notification: { read: boolean; createdAt: { toMillis(): number } },
  readBeforeMs: number | null,
): boolean {
  return (
    notification.read ||
    (readBeforeMs !== null && notification.createdAt.toMillis() <= readBeforeMs)
  );
}
