// Notifications as users meet them, through the client library against the emulators: a reply
// that finishes while its conversation is off screen, the unread badge and marking read,
// announcements fanned out to everyone or to premium members, payments, premium expiry, and
// the emails the Trigger Email extension would send.
import { withFunctionTriggersDisabled } from "@firebase/rules-unit-testing";
import { doc, serverTimestamp, updateDoc } from "firebase/firestore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  markAllNotificationsRead,
  markNotificationRead,
  openConversation,
  reportViewing,
  sendMessage,
  waitForReply,
  watchNotifications,
  watchUnreadCount,
  type AiChatClient,
  type NotificationDoc,
} from "../../client/src/index";
import { sendAnnouncement, watchAnnouncement } from "../../client/src/admin";
import { announcementJobId } from "../../functions/src/contract/notifications";
import { writeNotification } from "../../functions/src/notifications/deliver";
import { notifyPremiumExpiry } from "../../functions/src/notifications/expiry";
import { newFanoutJob, runFanoutPage } from "../../functions/src/notifications/fanout";
import { announcementNotification } from "../../functions/src/notifications/model";
import { applyPaymentAction } from "../../functions/src/payments/apply";
import { Timestamp } from "../../functions/src/shared/firebase";
import { callError, db, signUpAdmin, waitUntil } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { library, manualForeground, until } from "../helpers/library";

beforeEach(async () => {
  await clearFirestore();
});
afterEach(async () => {
  await closeAllClientApps();
  delete process.env.EMAIL_NOTIFICATIONS;
});

const HOUR = 3_600_000;

function notifications(client: AiChatClient, done: (list: NotificationDoc[]) => boolean) {
  return until<NotificationDoc[]>(
    (onChange, onError) => watchNotifications(client, onChange, { onError }),
    done,
    30_000,
    "notifications",
  );
}

function unreadCount(client: AiChatClient, expected: number) {
  return until<number>(
    (onChange, onError) => watchUnreadCount(client, onChange, onError),
    (count) => count === expected,
    30_000,
    `unread count ${expected}`,
  );
}

async function notificationExists(uid: string, id: string): Promise<boolean> {
  return (await db().doc(`users/${uid}/notifications/${id}`).get()).exists;
}

async function unreadOf(uid: string): Promise<number | undefined> {
  const counter = await db().doc(`users/${uid}/counters/notifications`).get();
  return counter.get("unread") as number | undefined;
}

/** A profile as the auth trigger writes it, for accounts arranged without Auth. */
function profile(uid: string, extra: Record<string, unknown> = {}) {
  return {
    uid,
    email: `${uid}@example.test`,
    username: null,
    displayName: uid,
    bio: "",
    avatarPath: null,
    preferences: {},
    role: "user",
    premiumUntil: null,
    deactivated: false,
    createdAt: Timestamp.now(),
    updatedAt: Timestamp.now(),
    ...extra,
  };
}

describe("a reply that finishes off screen", () => {
  it("notifies once when the conversation was not on screen, and not while it is", async () => {
    await createCharacter("luna", { name: "Luna" });
    const app = await signUp("away");
    const client = library(app);
    const uid = app.user.uid;
    const chat = await openConversation(client, "luna");

    const unseen = await sendMessage(client, chat, { type: "text", text: "Hello [[words:12]]" });
    expect((await waitForReply(client, unseen)).status).toBe("complete");
    // Written by the reply's finalizing transaction: there as soon as the reply is complete.
    const listed = await notifications(client, (list) => list.length === 1);
    expect(listed[0]).toMatchObject({
      id: `reply_${unseen.messageId}`,
      type: "reply_ready",
      title: "Luna replied",
      read: false,
      data: {
        conversationId: chat.conversationId,
        characterId: "luna",
        messageId: unseen.messageId,
      },
    });
    await unreadCount(client, 1);

    // The chat screen reports the conversation; a reply the user watches does not notify.
    const report = reportViewing(client, chat, { foreground: manualForeground(true) });
    await waitUntil(
      async () => (await db().doc(`conversations/${chat.conversationId}`).get()).get("viewingAt"),
      15_000,
      "the viewingAt report",
    );
    const watched = await sendMessage(client, chat, { type: "text", text: "And now? [[words:8]]" });
    expect((await waitForReply(client, watched)).status).toBe("complete");
    expect(await notificationExists(uid, `reply_${watched.messageId}`)).toBe(false);
    expect(await unreadOf(uid)).toBe(1);
    report.stop();
  }, 120_000);

  it("the first reply of a conversation its message creates does not notify", async () => {
    await createCharacter("luna", { name: "Luna" });
    const app = await signUp("first");
    const client = library(app);
    const chat = { conversationId: `${app.user.uid}_luna`, characterId: "luna" };
    const sent = await sendMessage(client, chat, { type: "text", text: "Hi [[words:5]]" });
    expect((await waitForReply(client, sent)).status).toBe("complete");
    expect(await notificationExists(app.user.uid, `reply_${sent.messageId}`)).toBe(false);
  }, 90_000);

  it("the screen's report: the server time while in the foreground, null once it leaves", async () => {
    await createCharacter("luna", { name: "Luna" });
    const app = await signUp("viewer");
    const client = library(app);
    const chat = await openConversation(client, "luna");
    const foreground = manualForeground(true);
    const report = reportViewing(client, chat, { foreground });
    const conversation = db().doc(`conversations/${chat.conversationId}`);
    await waitUntil(async () => (await conversation.get()).get("viewingAt") instanceof Timestamp);
    // In the background the app reports leaving, once the rules' 15 s have passed.
    foreground.set(false);
    await waitUntil(
      async () => (await conversation.get()).get("viewingAt") === null,
      30_000,
      "viewingAt to be cleared",
    );
    report.stop();
  }, 60_000);
});

describe("the unread count", () => {
  it("marking one read takes it out of the count; mark all read clears the rest in one call", async () => {
    const app = await signUp("reader");
    const client = library(app);
    const uid = app.user.uid;
    const batch = db().batch();
    for (const n of [1, 2, 3]) {
      writeNotification(
        batch,
        uid,
        announcementNotification({
          announcementId: `news-0000${n}`,
          audience: "all",
          title: `News ${n}`,
          body: "Body",
        }),
      );
    }
    await batch.commit();
    await unreadCount(client, 3);

    const [first] = await notifications(client, (list) => list.length === 3);
    if (!first) throw new Error("no notification listed");
    await markNotificationRead(client, first);
    await unreadCount(client, 2);

    expect(await markAllNotificationsRead(client)).toEqual({ cleared: 2 });
    await unreadCount(client, 0);
    const all = await notifications(
      client,
      (list) => list.length === 3 && list.every((n) => n.read),
    );
    expect(all.map((n) => n.read)).toEqual([true, true, true]);

    const later = announcementNotification({
      announcementId: "news-later1",
      audience: "all",
      title: "Later",
      body: "Body",
    });
    const next = db().batch();
    writeNotification(next, uid, later);
    await next.commit();
    await unreadCount(client, 1);
    const listed = await notifications(client, (list) => list.length === 4);
    expect(listed.find((n) => n.id === later.id)?.read).toBe(false);

    // A notification "mark all read" covered, marked read on its own: not counted again.
    const older = all.find((n) => n.id !== first.id);
    const olderRef = db().doc(`users/${uid}/notifications/${older?.id ?? ""}`);
    await updateDoc(doc(app.db, olderRef.path), { read: true, readAt: serverTimestamp() });
    await waitUntil(
      async () =>
        (await db().collection("processedEvents").where("trigger", "==", "notificationRead").get())
          .size >= 2,
      20_000,
      "the read trigger to see the older notification",
    );
    expect(await unreadOf(uid)).toBe(1);

    await markNotificationRead(client, { id: later.id, read: false });
    await unreadCount(client, 0);
  }, 90_000);
});

describe("announcements", () => {
  it("reach every active account once; a retry with the same id sends nothing more", async () => {
    const admin = library(await signUpAdmin());
    const users = await Promise.all(["ann-a", "ann-b", "ann-c"].map((name) => signUp(name)));
    const [active, other, inactive] = users.map((each) => ({ app: each, client: library(each) }));
    if (!active || !other || !inactive) throw new Error("users missing");
    await db().doc(`users/${inactive.app.user.uid}`).update({ deactivated: true });

    const input = {
      announcementId: "spring-launch-1",
      audience: "all" as const,
      title: "New characters",
      body: "Three new characters arrived today.",
    };
    expect(await sendAnnouncement(admin, input)).toMatchObject({
      created: true,
      status: "sending",
    });
    const progress = await until<{ status: string; recipients: number } | null>(
      (onChange, onError) => watchAnnouncement(admin, input.announcementId, onChange, onError),
      (job) => job?.status === "sent",
      30_000,
      "the announcement to be sent",
    );
    // The admin is an active account too; the deactivated one is left out.
    expect(progress?.recipients).toBe(3);
    for (const each of [active, other]) {
      const [notification] = await notifications(each.client, (list) => list.length === 1);
      expect(notification).toMatchObject({
        id: "announcement_spring-launch-1",
        type: "announcement",
        title: "New characters",
        body: "Three new characters arrived today.",
        data: { announcementId: "spring-launch-1", audience: "all" },
      });
    }
    expect(await notificationExists(inactive.app.user.uid, "announcement_spring-launch-1")).toBe(
      false,
    );

    expect(await sendAnnouncement(admin, input)).toMatchObject({ created: false, status: "sent" });
    expect(await unreadOf(active.app.user.uid)).toBe(1);
    await expect(
      sendAnnouncement(admin, { ...input, title: "Something else" }),
    ).rejects.toMatchObject({ code: "announcement_exists" });
    const refused = await callError(
      active.app.call("sendAnnouncement", { ...input, title: "Mine" }),
    );
    expect(refused.code).toBe("functions/permission-denied");
  }, 120_000);

  it("to premium members reach premium members only", async () => {
    const admin = library(await signUpAdmin());
    const free = await signUp("ann-free");
    const premium = await signUp("ann-premium");
    await db()
      .doc(`users/${premium.user.uid}`)
      .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 5 * 86_400_000) });
    await sendAnnouncement(admin, {
      announcementId: "members-only-1",
      audience: "premium",
      title: "Members' preview",
      body: "Try the new voices first.",
    });
    await waitUntil(
      async () =>
        (
          await db()
            .doc(`notificationJobs/${announcementJobId("members-only-1")}`)
            .get()
        ).get("status") === "sent",
      30_000,
      "the premium announcement",
    );
    expect(await notificationExists(premium.user.uid, "announcement_members-only-1")).toBe(true);
    expect(await notificationExists(free.user.uid, "announcement_members-only-1")).toBe(false);
  }, 90_000);

  it("are delivered a page at a time, each recipient once, however often a page runs", async () => {
    const uids = Array.from({ length: 11 }, (_, i) => `fan-${String(i).padStart(2, "0")}`);
    const notification = announcementNotification({
      announcementId: "paged-000001",
      audience: "all",
      title: "Paged",
      body: "One page at a time",
    });
    const job = db().doc("notificationJobs/paged");
    // Only this test runs pages: the job trigger (and every other) is off meanwhile.
    await withFunctionTriggersDisabled(async () => {
      const batch = db().batch();
      for (const uid of uids) batch.set(db().doc(`users/${uid}`), profile(uid));
      batch.set(db().doc("users/fan-off"), profile("fan-off", { deactivated: true }));
      batch.set(job, newFanoutJob("announcement", { type: "all" }, notification));
      await batch.commit();
      // Three invocations at a time, as duplicated deliveries would run them.
      for (let round = 0; round < 10; round++) {
        const outcomes = await Promise.all(
          [1, 2, 3].map(() => runFanoutPage("paged", { pageSize: 4 })),
        );
        if (outcomes.includes("finished")) break;
      }
    });
    const done = (await job.get()).data();
    // 11 recipients in pages of 4: 4, 4, 3 (a short page ends it).
    expect(done).toMatchObject({ status: "sent", recipients: 11, pages: 3 });
    for (const uid of uids) {
      expect(await notificationExists(uid, notification.id)).toBe(true);
      expect(await unreadOf(uid)).toBe(1);
    }
    expect(await notificationExists("fan-off", notification.id)).toBe(false);
  }, 90_000);
});

describe("payments", () => {
  const checkout = (paymentIntentId: string, uid: string, outcome: "paid" | "failed") => ({
    kind: "checkout" as const,
    outcome,
    paymentIntentId,
    sessionId: `cs_${paymentIntentId}`,
    uid,
    customerId: null,
    amount: 700,
    currency: "usd",
    days: 15,
  });

  it("premium activated, refunded and failed payments notify once each; emails only when on", async () => {
    const app = await signUp("payer");
    const client = library(app);
    const uid = app.user.uid;
    const event = (id: string, type: string) => ({ defaultDays: 15, event: { id, type } });

    // Emails are off by default: notifications only.
    await applyPaymentAction(
      checkout("pi_a", uid, "paid"),
      event("evt_a1", "checkout.session.completed"),
    );
    // A redelivered event changes nothing.
    await applyPaymentAction(
      checkout("pi_a", uid, "paid"),
      event("evt_a1", "checkout.session.completed"),
    );
    const activated = await notifications(client, (list) => list.length === 1);
    expect(activated[0]).toMatchObject({ id: "payment_pi_a_activated", type: "premium_activated" });
    expect((await db().collection("mail").get()).size).toBe(0);

    process.env.EMAIL_NOTIFICATIONS = "true";
    await applyPaymentAction(
      {
        kind: "refund",
        full: true,
        paymentIntentId: "pi_a",
        amount: 700,
        amountRefunded: 700,
        currency: "usd",
        receiptUrl: null,
      },
      event("evt_a2", "charge.refunded"),
    );
    await applyPaymentAction(
      checkout("pi_b", uid, "failed"),
      event("evt_b1", "checkout.session.async_payment_failed"),
    );
    const all = await notifications(client, (list) => list.length === 3);
    expect(all.map((n) => n.type).sort()).toEqual([
      "payment_failed",
      "payment_refunded",
      "premium_activated",
    ]);
    await unreadCount(client, 3);
    const refundMail = (await db().doc(`mail/${uid}_payment_pi_a_refunded`).get()).data();
    expect(refundMail).toMatchObject({
      to: app.email,
      message: { subject: "Your payment was refunded" },
    });
    expect(String(refundMail?.message.text)).toContain("7.00 USD was refunded");
    expect(String(refundMail?.message.html)).toContain("<p>");
    expect((await db().doc(`mail/${uid}_payment_pi_b_failed`).get()).exists).toBe(true);

    // A deactivated account still hears of its payment in the app, never by email.
    await db().doc(`users/${uid}`).update({ deactivated: true });
    await applyPaymentAction(
      checkout("pi_c", uid, "paid"),
      event("evt_c1", "checkout.session.completed"),
    );
    expect(await notificationExists(uid, "payment_pi_c_activated")).toBe(true);
    expect((await db().doc(`mail/${uid}_payment_pi_c_activated`).get()).exists).toBe(false);
  }, 90_000);
});

describe("premium expiry", () => {
  it("notifies accounts whose premium ends within 24 hours or has ended, once each, by index", async () => {
    const now = Date.now();
    const until = (ms: number) => ({ premiumUntil: Timestamp.fromMillis(ms) });
    const accounts: Record<string, Record<string, unknown>> = {
      "exp-soon-1": until(now + 2 * HOUR),
      "exp-soon-2": until(now + 20 * HOUR),
      "exp-soon-3": until(now + 23 * HOUR),
      "exp-later": until(now + 30 * HOUR),
      "exp-ended": until(now - 10 * 60_000),
      "exp-long-ago": until(now - 5 * 86_400_000),
      "exp-off": { ...until(now + 3 * HOUR), deactivated: true },
      "exp-quiet": { ...until(now + 4 * HOUR), preferences: { notifications: false } },
      "exp-free": {},
    };
    await withFunctionTriggersDisabled(async () => {
      const batch = db().batch();
      for (const [uid, extra] of Object.entries(accounts))
        batch.set(db().doc(`users/${uid}`), profile(uid, extra));
      await batch.commit();
    });
    process.env.EMAIL_NOTIFICATIONS = "true";
    // Pages of 2: the four accounts ending within 24 hours take two pages and a short one.
    const first = await notifyPremiumExpiry(now, 2);
    expect(first).toEqual({ expiring: 4, expired: 1 });
    const again = await notifyPremiumExpiry(now + 60_000, 2);
    expect(again).toEqual({ expiring: 0, expired: 0 });

    for (const uid of ["exp-soon-1", "exp-soon-2", "exp-soon-3", "exp-quiet"]) {
      const ms = (accounts[uid]?.premiumUntil as Timestamp).toMillis();
      expect(await notificationExists(uid, `premium_expiring_${ms}`)).toBe(true);
      expect(await unreadOf(uid)).toBe(1);
    }
    const endedMs = (accounts["exp-ended"]?.premiumUntil as Timestamp).toMillis();
    expect(await notificationExists("exp-ended", `premium_expired_${endedMs}`)).toBe(true);
    for (const uid of ["exp-later", "exp-long-ago", "exp-off", "exp-free"])
      expect(await unreadOf(uid)).toBeUndefined();
    // Emails: active accounts that did not turn notifications off.
    const mailTo = (await db().collection("mail").get()).docs.map((each) => each.get("to")).sort();
    expect(mailTo).toEqual([
      "exp-ended@example.test",
      "exp-soon-1@example.test",
      "exp-soon-2@example.test",
      "exp-soon-3@example.test",
    ]);

    // Seven hours later: the account with 30 hours left is due to hear it ends soon, and two
    // whose premium has ended since hear that (not the deactivated one).
    expect(await notifyPremiumExpiry(now + 7 * HOUR, 2)).toEqual({ expiring: 1, expired: 2 });
  }, 90_000);
});
