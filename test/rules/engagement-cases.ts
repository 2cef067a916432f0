// Rules matrix cases for notifications, unread counters, follows, presence, the conversation's
// `viewingAt` report, and the server-only collections behind them. Each row reads
// get/list/create/update/delete as T (allowed) or F (denied).
import { collection, query, serverTimestamp, Timestamp, where } from "firebase/firestore";
import { type Actor, type CollectionCase, type Data, type Operation } from "./matrix";

type Cells = `${"T" | "F"}${"T" | "F"}${"T" | "F"}${"T" | "F"}${"T" | "F"}`;

function table(rows: Record<Actor, Cells>): CollectionCase["expect"] {
  const cells = (actor: Actor): Record<Operation, boolean> => ({
    get: rows[actor][0] === "T",
    list: rows[actor][1] === "T",
    create: rows[actor][2] === "T",
    update: rows[actor][3] === "T",
    delete: rows[actor][4] === "T",
  });
  return {
    anonymous: cells("anonymous"),
    stranger: cells("stranger"),
    owner: cells("owner"),
    premiumOwner: cells("premiumOwner"),
    deactivatedOwner: cells("deactivatedOwner"),
    admin: cells("admin"),
  };
}

const published = (name: string): Data => ({ name, published: true, premiumOnly: false, tags: [] });

const notification = (): Data => ({
  type: "announcement",
  title: "Hello",
  body: "News",
  data: { announcementId: "a1", audience: "all" },
  read: false,
  readAt: null,
  createdAt: Timestamp.fromMillis(0),
});

function noClientAccess(
  name: string,
  match: string,
  path: string,
): CollectionCase & { match: string } {
  const [collectionName = ""] = path.split("/");
  return {
    name,
    match,
    existingPath: () => path,
    newPath: () => `${path}-new`,
    existing: () => ({ forged: false }),
    create: () => ({ forged: true }),
    update: () => ({ forged: true }),
    list: (db) => collection(db, collectionName),
    expect: table({
      anonymous: "FFFFF",
      stranger: "FFFFF",
      owner: "FFFFF",
      premiumOwner: "FFFFF",
      deactivatedOwner: "FFFFF",
      admin: "FFFFF",
    }),
  };
}

/** `match` names the firestore.rules block each case exercises. */
export const ENGAGEMENT_CASES: (CollectionCase & { match: string })[] = [
  {
    name: "users/notifications",
    match: "/users/{uid}/notifications/{notificationId}",
    existingPath: (uid) => `users/${uid}/notifications/n1`,
    newPath: (uid) => `users/${uid}/notifications/n2`,
    existing: notification,
    create: notification,
    update: () => ({ read: true, readAt: serverTimestamp() }),
    list: (db, uid) => collection(db, "users", uid, "notifications"),
    expect: table({
      anonymous: "FFFFF",
      stranger: "FFFFF",
      owner: "TTFTF",
      premiumOwner: "TTFTF",
      deactivatedOwner: "TTFFF",
      admin: "FFFFF",
    }),
  },
  {
    name: "users/counters (unread count)",
    match: "/users/{uid}/counters/{counterId}",
    existingPath: (uid) => `users/${uid}/counters/notifications`,
    newPath: (uid) => `users/${uid}/counters/other`,
    existing: () => ({ unread: 3 }),
    create: () => ({ unread: 0 }),
    update: () => ({ unread: 0 }),
    list: (db, uid) => collection(db, "users", uid, "counters"),
    expect: table({
      anonymous: "FFFFF",
      stranger: "FFFFF",
      owner: "TTFFF",
      premiumOwner: "TTFFF",
      deactivatedOwner: "TTFFF",
      admin: "FFFFF",
    }),
  },
  {
    name: "users/following (a published character)",
    match: "/users/{uid}/following/{characterId}",
    existingPath: (uid) => `users/${uid}/following/published-1`,
    newPath: (uid) => `users/${uid}/following/published-2`,
    existing: () => ({ characterId: "published-1", createdAt: Timestamp.fromMillis(0) }),
    create: () => ({ characterId: "published-2", createdAt: serverTimestamp() }),
    update: () => ({ createdAt: serverTimestamp() }),
    list: (db, uid) => collection(db, "users", uid, "following"),
    fixtures: () => ({
      "characters/published-1": published("Luna"),
      "characters/published-2": published("Orion"),
    }),
    expect: table({
      anonymous: "FFFFF",
      stranger: "FFFFF",
      owner: "TTTFT",
      premiumOwner: "TTTFT",
      deactivatedOwner: "TTFFF",
      admin: "FFFFF",
    }),
  },
  {
    name: "presence (one's own document)",
    match: "/presence/{uid}",
    existingPath: (uid) => `presence/${uid}`,
    // Someone else's id: nobody creates another user's presence.
    newPath: (uid) => `presence/not-${uid}`,
    existing: () => ({ lastActiveAt: Timestamp.fromMillis(0) }),
    create: () => ({ lastActiveAt: serverTimestamp() }),
    update: () => ({ lastActiveAt: serverTimestamp() }),
    list: (db) => collection(db, "presence"),
    expect: table({
      anonymous: "FFFFF",
      stranger: "TTFFF",
      owner: "TTFTF",
      premiumOwner: "TTFTF",
      deactivatedOwner: "TTFFF",
      admin: "TTFFF",
    }),
  },
  {
    name: "presence (creating one's own)",
    match: "/presence/{uid}",
    existingPath: () => "presence/someone-else",
    newPath: (uid) => `presence/${uid}`,
    existing: () => ({ lastActiveAt: Timestamp.fromMillis(0) }),
    create: () => ({ lastActiveAt: serverTimestamp() }),
    update: () => ({ lastActiveAt: serverTimestamp() }),
    list: (db) => collection(db, "presence"),
    expect: table({
      anonymous: "FFFFF",
      stranger: "TTFFF",
      owner: "TTTFF",
      premiumOwner: "TTTFF",
      deactivatedOwner: "TTFFF",
      admin: "TTFFF",
    }),
  },
  {
    name: "conversations (the viewingAt report)",
    match: "/conversations/{conversationId}",
    existingPath: (uid) => `conversations/${uid}_published-1`,
    newPath: (uid) => `conversations/${uid}_published-2`,
    existing: (uid) => ({
      userId: uid,
      characterId: "published-1",
      unread: 1,
      lastReadAt: null,
      viewingAt: null,
      deleted: false,
    }),
    create: (uid) => ({ userId: uid, characterId: "published-2", viewingAt: serverTimestamp() }),
    update: () => ({ viewingAt: serverTimestamp() }),
    list: (db, uid) => query(collection(db, "conversations"), where("userId", "==", uid)),
    fixtures: () => ({ "characters/published-1": published("Luna") }),
    expect: table({
      anonymous: "FFFFF",
      stranger: "FFFFF",
      owner: "TTFTF",
      premiumOwner: "TTFTF",
      // Reporting the screen changes nothing anyone else sees: no deactivation check.
      deactivatedOwner: "TTFTF",
      admin: "FFFFF",
    }),
  },
  noClientAccess("mail (Trigger Email documents)", "/mail/{mailId}", "mail/u1_n1"),
  noClientAccess("schedulerState", "/schedulerState/{name}", "schedulerState/premium_expiring"),
  {
    ...noClientAccess("notificationJobs", "/notificationJobs/{jobId}", "notificationJobs/j1"),
    expect: table({
      anonymous: "FFFFF",
      stranger: "FFFFF",
      owner: "FFFFF",
      premiumOwner: "FFFFF",
      deactivatedOwner: "FFFFF",
      admin: "TTFFF",
    }),
  },
];
