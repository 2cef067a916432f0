// What each notification says and when one is due (pure).
import { describe, expect, it } from "vitest";
import {
  VIEWING_WINDOW_MS,
  notificationContentSchema,
} from "../../../functions/src/contract/notifications";
import { mailMessage, mailRecipient } from "../../../functions/src/notifications/email";
import {
  EXPIRY_NOTICE_MS,
  announcementNotification,
  expiredNotification,
  expiringNotification,
  formatUtc,
  galleryNotification,
  paymentNotification,
  replyNotification,
  wasViewing,
  type FinishedReply,
  type PaymentChange,
} from "../../../functions/src/notifications/model";

const NOW = Date.UTC(2026, 11, 1, 10, 0, 0);

describe("reply_ready", () => {
  const reply = (overrides: Partial<FinishedReply> = {}): FinishedReply => ({
    firstAnswer: true,
    viewingAtMs: null,
    nowMs: NOW,
    conversationId: "u1_luna",
    characterId: "luna",
    characterName: "Luna",
    messageId: "m1",
    type: "text",
    text: "The stars are out tonight.",
    ...overrides,
  });

  it("counts a conversation as on screen for VIEWING_WINDOW_MS after its last report", () => {
    expect(wasViewing(NOW - VIEWING_WINDOW_MS, NOW)).toBe(true);
    expect(wasViewing(NOW - VIEWING_WINDOW_MS - 1, NOW)).toBe(false);
    expect(wasViewing(null, NOW)).toBe(false);
  });

  it("notifies a first answer nobody was watching, with an id derived from the message", () => {
    const notification = replyNotification(reply({ viewingAtMs: NOW - 60_000 }));
    expect(notification).toEqual({
      id: "reply_m1",
      type: "reply_ready",
      title: "Luna replied",
      body: "The stars are out tonight.",
      data: { conversationId: "u1_luna", characterId: "luna", messageId: "m1" },
    });
    expect(notificationContentSchema.safeParse(notification).success).toBe(true);
  });

  it("does not notify while the conversation is on screen, nor for a regenerated reply", () => {
    expect(replyNotification(reply({ viewingAtMs: NOW - 10_000 }))).toBeNull();
    expect(replyNotification(reply({ firstAnswer: false }))).toBeNull();
  });

  it("shortens long text and words voice and picture replies", () => {
    const long = replyNotification(reply({ text: "word ".repeat(100) }));
    expect(long?.body.length).toBeLessThanOrEqual(140);
    expect(long?.body.endsWith("…")).toBe(true);
    expect(replyNotification(reply({ type: "audio" }))?.body).toBe(
      "Luna sent you a voice message.",
    );
    expect(replyNotification(reply({ type: "media" }))?.body).toBe("Luna sent you a picture.");
  });
});

describe("payment notifications", () => {
  const change = (overrides: Partial<PaymentChange>): PaymentChange => ({
    paymentIntentId: "pi_1",
    before: null,
    after: "paid",
    effect: "none",
    premiumUntilMs: null,
    amount: 700,
    currency: "usd",
    ...overrides,
  });

  it("premium_activated when a payment grants premium", () => {
    const until = NOW + 15 * 86_400_000;
    const notification = paymentNotification(
      change({ after: "paid", effect: "granted", premiumUntilMs: until }),
    );
    expect(notification).toMatchObject({
      id: "payment_pi_1_activated",
      type: "premium_activated",
      data: { paymentId: "pi_1", premiumUntilMs: until },
    });
    expect(notification?.body).toContain(formatUtc(until));
  });

  it("payment_failed once, when the payment first fails", () => {
    expect(paymentNotification(change({ before: "pending", after: "failed" }))).toMatchObject({
      id: "payment_pi_1_failed",
      type: "payment_failed",
    });
    expect(paymentNotification(change({ before: "failed", after: "failed" }))).toBeNull();
  });

  it("payment_refunded for a refund or a dispute, saying what premium time went", () => {
    const refund = paymentNotification(
      change({ before: "paid", after: "refunded", effect: "revoked", premiumUntilMs: NOW }),
    );
    expect(refund).toMatchObject({
      id: "payment_pi_1_refunded",
      type: "payment_refunded",
      data: { reason: "refund", premiumUntilMs: NOW },
    });
    expect(refund?.body).toContain("7.00 USD was refunded");
    expect(refund?.body).toContain("premium time it bought was removed");
    const dispute = paymentNotification(
      change({ before: "paid", after: "disputed", effect: "revoked", premiumUntilMs: NOW }),
    );
    expect(dispute).toMatchObject({ id: "payment_pi_1_disputed", data: { reason: "dispute" } });
  });

  it("nothing for a pending payment, a repeated status or a partial refund", () => {
    expect(paymentNotification(change({ after: "pending" }))).toBeNull();
    expect(paymentNotification(change({ before: "paid", after: "paid" }))).toBeNull();
    expect(paymentNotification(change({ before: "refunded", after: "refunded" }))).toBeNull();
  });
});

describe("premium expiry and fan-outs", () => {
  it("names the expiry time in the ids, so each expiry notifies once", () => {
    const until = NOW + EXPIRY_NOTICE_MS;
    expect(expiringNotification(until, NOW)).toMatchObject({
      id: `premium_expiring_${until}`,
      title: "Premium ends tomorrow",
    });
    expect(expiringNotification(NOW + 5 * 3_600_000, NOW).title).toBe("Premium ends in 5 hours");
    expect(expiredNotification(until).id).toBe(`premium_expired_${until}`);
  });

  it("a gallery item notifies once per item, and marks premium-only items as such", () => {
    const notification = galleryNotification({
      characterId: "luna",
      characterName: "Luna",
      itemId: "g1",
      mediaType: "image",
      premiumOnly: true,
      caption: "",
    });
    expect(notification).toMatchObject({
      id: "gallery_luna_g1",
      title: "New in Luna's gallery",
      body: "A new picture from Luna. (premium members only)",
      data: { characterId: "luna", itemId: "g1", mediaType: "image", premiumOnly: true },
    });
  });

  it("an announcement keeps the admin's text within the limits", () => {
    const notification = announcementNotification({
      announcementId: "launch-2026",
      audience: "premium",
      title: "x".repeat(200),
      body: "  New characters are here.  ",
    });
    expect(notification.id).toBe("announcement_launch-2026");
    expect(notification.title.length).toBeLessThanOrEqual(120);
    expect(notification.body).toBe("New characters are here.");
  });
});

describe("emails", () => {
  const profile = {
    email: "ada@example.test",
    deactivated: false,
    preferences: {},
  };
  const activated = { type: "premium_activated" as const };

  it("go only to active accounts with an address that did not turn notifications off", () => {
    expect(mailRecipient(profile, activated, true)).toBe("ada@example.test");
    expect(mailRecipient(profile, activated, false)).toBeNull();
    expect(mailRecipient({ ...profile, deactivated: true }, activated, true)).toBeNull();
    expect(mailRecipient(undefined, activated, true)).toBeNull();
    expect(mailRecipient({ ...profile, email: null }, activated, true)).toBeNull();
    expect(
      mailRecipient({ ...profile, preferences: { notifications: false } }, activated, true),
    ).toBeNull();
  });

  it("only for payments and premium expiry", () => {
    expect(mailRecipient(profile, { type: "premium_expiring" }, true)).not.toBeNull();
    expect(mailRecipient(profile, { type: "payment_refunded" }, true)).not.toBeNull();
    expect(mailRecipient(profile, { type: "reply_ready" }, true)).toBeNull();
    expect(mailRecipient(profile, { type: "announcement" }, true)).toBeNull();
    expect(mailRecipient(profile, { type: "gallery_item" }, true)).toBeNull();
  });

  it("are the Trigger Email extension's message, with the text escaped in html", () => {
    const message = mailMessage({ title: "Premium <ends>", body: `Tom & "Jerry"` });
    expect(message.subject).toBe("Premium <ends>");
    expect(message.text).toContain(`Tom & "Jerry"`);
    expect(message.html).toContain("Premium &lt;ends&gt;");
    expect(message.html).toContain("Tom &amp; &quot;Jerry&quot;");
    expect(message.html).not.toContain("<ends>");
  });
});
