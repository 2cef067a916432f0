// Expected outcomes for every collection that exists. T = allowed, F = denied.
import {
  collection,
  query,
  serverTimestamp,
  Timestamp,
  where,
  type Firestore,
} from "firebase/firestore";
import { ENGAGEMENT_CASES } from "./engagement-cases";
import { profile, type Actor, type CollectionCase, type Operation } from "./matrix";

type Row = [get: boolean, list: boolean, create: boolean, update: boolean, del: boolean];
const T = true;
const F = false;
const NONE: Row = [F, F, F, F, F];

function expectRows(rows: Record<Actor, Row>): CollectionCase["expect"] {
  const cell = ([get, list, create, update, del]: Row): Record<Operation, boolean> => ({
    get,
    list,
    create,
    update,
    delete: del,
  });
  return {
    anonymous: cell(rows.anonymous),
    stranger: cell(rows.stranger),
    owner: cell(rows.owner),
    premiumOwner: cell(rows.premiumOwner),
    deactivatedOwner: cell(rows.deactivatedOwner),
    admin: cell(rows.admin),
  };
}

/** Admins read; nobody else reads, and nobody writes through the client. */
const ADMINS_READ = expectRows({
  anonymous: NONE,
  stranger: NONE,
  owner: NONE,
  premiumOwner: NONE,
  deactivatedOwner: NONE,
  admin: [T, T, F, F, F],
});

/** Nobody reads or writes through the client. */
const NOBODY = expectRows({
  anonymous: NONE,
  stranger: NONE,
  owner: NONE,
  premiumOwner: NONE,
  deactivatedOwner: NONE,
  admin: NONE,
});

const character = (published: boolean) => ({
  name: "Luna",
  published,
  premiumOnly: false,
  tags: [],
});

/** Server-written, read by owner and admin only (usage, rate limits). */
function ownerReadOnly(name: string, sub: string, match: string): CollectionCase {
  return {
    name,
    match,
    existingPath: (uid) => `users/${uid}/${sub}/char-1`,
    newPath: (uid) => `users/${uid}/${sub}/char-2`,
    existing: () => ({ text: 3, audio: 0, media: 0 }),
    create: () => ({ text: 0, audio: 0, media: 0 }),
    update: () => ({ text: 0 }),
    list: (db, uid) => collection(db, "users", uid, sub),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: [T, T, F, F, F],
      premiumOwner: [T, T, F, F, F],
      deactivatedOwner: [T, T, F, F, F],
      admin: [T, T, F, F, F],
    }),
  };
}

/** Readable by any signed-in user, written by nobody. */
function signedInReadable(
  name: string,
  match: string,
  path: string,
  data: Record<string, unknown>,
): CollectionCase {
  const [collectionName] = path.split("/");
  return {
    name,
    match,
    existingPath: () => path,
    newPath: () => `${collectionName}/new-doc`,
    existing: () => data,
    create: () => data,
    update: () => ({ changed: true }),
    list: (db) => collection(db, collectionName ?? ""),
    expect: expectRows({
      anonymous: NONE,
      stranger: [T, T, F, F, F],
      owner: [T, T, F, F, F],
      premiumOwner: [T, T, F, F, F],
      deactivatedOwner: [T, T, F, F, F],
      admin: [T, T, F, F, F],
    }),
  };
}

const payment = (uid: string) => ({
  uid,
  sessionId: "cs_test_1",
  customerId: "cus_1",
  amount: 700,
  currency: "usd",
  amountRefunded: 0,
  status: "paid",
  periodDays: 15,
  grantedMs: 15 * 86_400_000,
  periodStart: Timestamp.fromMillis(0),
  periodEnd: Timestamp.fromMillis(15 * 86_400_000),
  receiptUrl: null,
  createdAt: Timestamp.fromMillis(0),
  updatedAt: Timestamp.fromMillis(0),
});

/** Nobody reads or writes these through the client SDK. */
function serverOnly(
  name: string,
  match: string,
  path: (uid: string) => string,
  data: Record<string, unknown>,
): CollectionCase {
  const [collectionName] = path("owner").split("/");
  return {
    name,
    match,
    existingPath: path,
    newPath: (uid) => `${path(uid)}-new`,
    existing: () => data,
    create: () => data,
    update: () => ({ forged: true }),
    list: (db) => collection(db, collectionName ?? ""),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: NONE,
      premiumOwner: NONE,
      deactivatedOwner: NONE,
      admin: NONE,
    }),
  };
}

/** Payment history (owner reads, filtered to their uid), customer mappings, event markers. */
function paymentCases(): CollectionCase[] {
  const ownerReads = expectRows({
    anonymous: NONE,
    stranger: NONE,
    owner: [T, T, F, F, F],
    premiumOwner: [T, T, F, F, F],
    deactivatedOwner: [T, T, F, F, F],
    admin: NONE,
  });
  const base = {
    match: "/payments/{paymentId}",
    existingPath: (uid: string) => `payments/pi_${uid}`,
    newPath: (uid: string) => `payments/pi_new_${uid}`,
    existing: payment,
    create: payment,
    update: () => ({ status: "paid", grantedMs: 365 * 86_400_000 }),
  };
  return [
    {
      name: "payments",
      ...base,
      list: (db, uid) => query(collection(db, "payments"), where("uid", "==", uid)),
      expect: ownerReads,
    },
    {
      // Without the uid filter the query could return others' payments, so it is refused.
      name: "payments (unfiltered list)",
      ...base,
      list: (db) => collection(db, "payments"),
      expect: expectRows({
        anonymous: NONE,
        stranger: NONE,
        owner: [T, F, F, F, F],
        premiumOwner: [T, F, F, F, F],
        deactivatedOwner: [T, F, F, F, F],
        admin: NONE,
      }),
    },
    serverOnly("stripeCustomers", "/stripeCustomers/{uid}", (uid) => `stripeCustomers/${uid}`, {
      customerId: "cus_1",
    }),
    serverOnly("stripeEvents", "/stripeEvents/{eventId}", () => "stripeEvents/evt_1", {
      type: "checkout.session.completed",
    }),
    {
      // Orphaned payments (their account was deleted before they were paid): admins only.
      name: "orphanedPayments",
      match: "/orphanedPayments/{paymentIntentId}",
      existingPath: (uid) => `orphanedPayments/pi_${uid}`,
      newPath: (uid) => `orphanedPayments/pi_new_${uid}`,
      existing: (uid) => ({ ...payment(uid), status: "refunded", reason: "account_not_found" }),
      create: (uid) => ({ ...payment(uid), status: "refunded" }),
      update: () => ({ status: "refund_pending" }),
      list: (db) => collection(db, "orphanedPayments"),
      expect: ADMINS_READ,
    },
  ];
}

const mediaRecord = (ownerUid: string | null) => ({
  ...(ownerUid === null
    ? { characterId: "published-1", scope: "gallery" }
    : { ownerUid, scope: "user" }),
  path:
    ownerUid === null
      ? "characters/published-1/gallery/g1/a.png"
      : `user-content/${ownerUid}/a.png`,
  bucket: "demo-aichat.appspot.com",
  generation: "1",
  kind: "image",
  status: "ready",
  variants: {},
  createdAt: Timestamp.fromMillis(0),
});

/** Upload records: the owner reads their own (filtered list), admins all; only the server writes. */
function mediaCases(): CollectionCase[] {
  const base = {
    match: "/media/{mediaId}",
    existingPath: (uid: string) => `media/m_${uid}`,
    newPath: (uid: string) => `media/new_${uid}`,
    existing: mediaRecord,
    create: mediaRecord,
    update: () => ({ status: "ready", variants: { small: "forged.webp" } }),
  };
  return [
    {
      name: "media",
      ...base,
      list: (db, uid) => query(collection(db, "media"), where("ownerUid", "==", uid)),
      expect: expectRows({
        anonymous: NONE,
        stranger: NONE,
        owner: [T, T, F, F, F],
        premiumOwner: [T, T, F, F, F],
        deactivatedOwner: [T, T, F, F, F],
        admin: [T, T, F, F, F],
      }),
    },
    {
      // Without the owner filter the query could return others' records: admins only.
      name: "media (unfiltered list)",
      ...base,
      list: (db) => collection(db, "media"),
      expect: expectRows({
        anonymous: NONE,
        stranger: NONE,
        owner: [T, F, F, F, F],
        premiumOwner: [T, F, F, F, F],
        deactivatedOwner: [T, F, F, F, F],
        admin: [T, T, F, F, F],
      }),
    },
    {
      // A character's media has no owner: admins only.
      name: "media (character's)",
      ...base,
      existing: () => mediaRecord(null),
      list: (db) => query(collection(db, "media"), where("characterId", "==", "published-1")),
      expect: expectRows({
        anonymous: NONE,
        stranger: NONE,
        owner: NONE,
        premiumOwner: NONE,
        deactivatedOwner: NONE,
        admin: [T, T, F, F, F],
      }),
    },
  ];
}

// ---- conversations -------------------------------------------------------------------------

const conversationOf = (uid: string, characterId = "published-1") => `${uid}_${characterId}`;

const userMessage = (uid: string, characterId = "published-1") => ({
  role: "user",
  type: "text",
  text: "hello",
  characterId,
  userId: uid,
  createdAt: serverTimestamp(),
});

const storedUserMessage = (uid: string) => ({
  ...userMessage(uid),
  createdAt: Timestamp.fromMillis(0),
});

const storedReply = (messageId: string) => ({
  role: "assistant",
  replyTo: messageId,
  status: "complete",
  text: "Hello back.",
  type: "text",
  createdAt: Timestamp.fromMillis(0),
});

/** The owner reads a conversation and its messages; everyone else is refused. */
const ownerReadsOnly: Row = [T, T, F, F, F];

/**
 * Only the conversation's owner: `active` for an active owner (premium or not); a
 * deactivated owner still reads but writes nothing; nobody else, admins included.
 */
function ownersOnly(active: Row): CollectionCase["expect"] {
  return expectRows({
    anonymous: NONE,
    stranger: NONE,
    owner: active,
    premiumOwner: active,
    deactivatedOwner: ownerReadsOnly,
    admin: NONE,
  });
}

/**
 * Conversations (the owner reads and marks read), user messages (the owner creates them in
 * the right shape), the ids the server writes at (replies, the greeting: nobody creates
 * them), and the context window (functions only).
 */
function conversationCases(): CollectionCase[] {
  const fixtures = () => ({
    "characters/published-1": character(true),
    "characters/published-2": character(true),
  });
  const messages = (db: Firestore, uid: string) =>
    collection(db, "conversations", conversationOf(uid), "messages");
  return [
    {
      name: "conversations",
      match: "/conversations/{conversationId}",
      existingPath: (uid) => `conversations/${conversationOf(uid)}`,
      newPath: (uid) => `conversations/${conversationOf(uid, "published-2")}`,
      existing: (uid) => ({
        userId: uid,
        characterId: "published-1",
        unread: 2,
        lastReadAt: null,
        deleted: false,
      }),
      create: (uid) => ({ userId: uid, characterId: "published-2", unread: 0 }),
      update: () => ({ lastReadAt: serverTimestamp(), unread: 0 }),
      list: (db, uid) => query(collection(db, "conversations"), where("userId", "==", uid)),
      fixtures,
      expect: ownersOnly([T, T, F, T, F]),
    },
    {
      name: "conversations/messages (user messages)",
      match: "/conversations/{conversationId}/messages/{messageId}",
      existingPath: (uid) => `conversations/${conversationOf(uid)}/messages/m1`,
      newPath: (uid) => `conversations/${conversationOf(uid)}/messages/m2`,
      existing: storedUserMessage,
      create: (uid) => userMessage(uid),
      update: () => ({ text: "edited afterwards" }),
      list: messages,
      fixtures,
      expect: ownersOnly([T, T, T, F, F]),
    },
    {
      // `{id}_reply` is where the server writes the reply to message `id`: a user message
      // there would be overwritten by that reply.
      name: "conversations/messages (replies: ids ending in _reply)",
      match: "/conversations/{conversationId}/messages/{messageId}",
      existingPath: (uid) => `conversations/${conversationOf(uid)}/messages/m1_reply`,
      newPath: (uid) => `conversations/${conversationOf(uid)}/messages/m2_reply`,
      existing: () => storedReply("m1"),
      create: (uid) => userMessage(uid),
      update: () => ({ status: "complete", text: "forged reply" }),
      list: messages,
      fixtures,
      expect: ownersOnly(ownerReadsOnly),
    },
    {
      name: "conversations/messages (the greeting)",
      match: "/conversations/{conversationId}/messages/{messageId}",
      existingPath: (uid) => `conversations/${conversationOf(uid)}/messages/greeting`,
      newPath: (uid) => `conversations/${conversationOf(uid, "published-2")}/messages/greeting`,
      existing: () => ({ ...storedReply("greeting"), replyTo: null }),
      create: (uid) => userMessage(uid, "published-2"),
      update: () => ({ text: "forged greeting" }),
      list: messages,
      fixtures,
      expect: ownersOnly(ownerReadsOnly),
    },
    {
      name: "conversations/context",
      match: "/conversations/{conversationId}/context/{docId}",
      existingPath: (uid) => `conversations/${conversationOf(uid)}/context/window`,
      newPath: (uid) => `conversations/${conversationOf(uid)}/context/forged`,
      existing: () => ({ turns: [], summary: "what happened so far" }),
      create: () => ({ turns: [], summary: "forged" }),
      update: () => ({ summary: "forged" }),
      list: (db, uid) => collection(db, "conversations", conversationOf(uid), "context"),
      fixtures,
      expect: NOBODY,
    },
    serverOnly("aiUsageDaily", "/aiUsageDaily/{docId}", () => "aiUsageDaily/2026-01-01_all_all_0", {
      day: "2026-01-01",
      promptTokens: 10,
      costUsd: 0.001,
    }),
  ];
}

// ---- what users add to a character: views and ratings; its free gallery items ----------

/**
 * The same cases for a published character and for a draft: everything under a draft is
 * admins' (firestore.rules `isPublished`), so there the users' rows become refusals.
 */
function underCharacter(published: boolean): CollectionCase[] {
  const [c1, c2] = published ? ["published-1", "published-2"] : ["draft-1", "draft-2"];
  const whose = published ? "" : " under a draft";
  const fixtures = () => ({
    [`characters/${c1}`]: character(published),
    [`characters/${c2}`]: character(published),
    [`characters/${c1}/gallery/free-1`]: { premiumOnly: false, type: "image" },
    [`characters/${c1}/gallery/free-2`]: { premiumOnly: false, type: "image" },
  });
  return [
    {
      name: `characters/gallery (free item${whose})`,
      match: "/characters/{characterId}/gallery/{itemId}",
      existingPath: () => `characters/${c1}/gallery/free-1`,
      newPath: () => `characters/${c1}/gallery/new-item`,
      existing: () => ({ premiumOnly: false, type: "image", caption: "sunset" }),
      create: () => ({ premiumOnly: false, type: "image", caption: "forged" }),
      update: () => ({ caption: "changed" }),
      list: (db) =>
        query(collection(db, "characters", c1, "gallery"), where("premiumOnly", "==", false)),
      fixtures,
      expect: published
        ? expectRows({
            anonymous: NONE,
            stranger: [T, T, F, F, F],
            owner: [T, T, F, F, F],
            premiumOwner: [T, T, F, F, F],
            deactivatedOwner: [T, T, F, F, F],
            admin: [T, T, F, F, F],
          })
        : ADMINS_READ,
    },
    {
      // One per user and item, created once (the stranger acts on the owner's marker).
      name: `gallery views (one per user and item${whose})`,
      match: "/characters/{characterId}/gallery/{itemId}/views/{uid}",
      existingPath: (uid) => `characters/${c1}/gallery/free-1/views/${uid}`,
      newPath: (uid) => `characters/${c1}/gallery/free-2/views/${uid}`,
      existing: (uid) => ({ uid, viewedAt: Timestamp.fromMillis(0) }),
      create: (uid) => ({ uid, viewedAt: serverTimestamp() }),
      update: () => ({ viewedAt: serverTimestamp() }),
      list: (db) => collection(db, "characters", c1, "gallery", "free-1", "views"),
      fixtures,
      expect: published
        ? expectRows({
            anonymous: NONE,
            stranger: NONE,
            owner: [T, F, T, F, F],
            premiumOwner: [T, F, T, F, F],
            deactivatedOwner: [T, F, F, F, F],
            admin: NONE,
          })
        : NOBODY,
    },
    {
      name: `ratings (one per user and character${whose})`,
      match: "/characters/{characterId}/ratings/{uid}",
      existingPath: (uid) => `characters/${c1}/ratings/${uid}`,
      newPath: (uid) => `characters/${c2}/ratings/${uid}`,
      existing: (uid) => ({ uid, stars: 4, updatedAt: Timestamp.fromMillis(0) }),
      create: (uid) => ({ uid, stars: 5, updatedAt: serverTimestamp() }),
      update: () => ({ stars: 2, updatedAt: serverTimestamp() }),
      list: (db) => collection(db, "characters", c1, "ratings"),
      fixtures,
      expect: published
        ? expectRows({
            anonymous: NONE,
            stranger: NONE,
            owner: [T, F, T, T, T],
            premiumOwner: [T, F, T, T, T],
            deactivatedOwner: [T, F, F, F, F],
            admin: [T, T, F, F, F],
          })
        : ADMINS_READ,
    },
  ];
}

export const CASES: CollectionCase[] = [
  {
    name: "users",
    match: "/users/{uid}",
    existingPath: (uid) => `users/${uid}`,
    newPath: (uid) => `users/new-${uid}`,
    existing: (uid) => profile(uid),
    create: (uid) => ({ uid, displayName: "x", role: "user" }),
    update: () => ({ displayName: "New name", updatedAt: serverTimestamp() }),
    list: (db) => collection(db, "users"),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: [T, F, F, T, F],
      premiumOwner: [T, F, F, T, F],
      deactivatedOwner: [T, F, F, F, F],
      admin: [T, T, F, F, F],
    }),
  },
  ownerReadOnly("users/quota", "quota", "/users/{uid}/quota/{docId}"),
  ownerReadOnly("users/rateLimits", "rateLimits", "/users/{uid}/rateLimits/{bucket}"),
  signedInReadable("publicProfiles", "/publicProfiles/{uid}", "publicProfiles/owner", {
    username: "owner",
    displayName: "Owner",
    avatarPath: null,
  }),
  {
    name: "usernames",
    match: "/usernames/{name}",
    existingPath: () => "usernames/owner_name",
    newPath: () => "usernames/fresh_name",
    existing: () => ({ uid: "owner", username: "owner_name" }),
    create: (uid) => ({ uid, username: "fresh_name" }),
    update: (uid) => ({ uid }),
    list: (db) => collection(db, "usernames"),
    expect: expectRows({
      anonymous: NONE,
      stranger: [T, F, F, F, F],
      owner: [T, F, F, F, F],
      premiumOwner: [T, F, F, F, F],
      deactivatedOwner: [T, F, F, F, F],
      admin: [T, F, F, F, F],
    }),
  },
  {
    name: "auditLog",
    match: "/auditLog/{entryId}",
    existingPath: () => "auditLog/entry-1",
    newPath: () => "auditLog/entry-2",
    existing: () => ({ action: "setRole", actorUid: "admin", targetUid: "owner" }),
    create: (uid) => ({ action: "setRole", actorUid: uid, targetUid: uid }),
    update: () => ({ action: "forged" }),
    list: (db) => collection(db, "auditLog"),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: NONE,
      premiumOwner: NONE,
      deactivatedOwner: NONE,
      admin: [T, T, F, F, F],
    }),
  },
  signedInReadable("config", "/config/{docId}", "config/traits", { traits: ["warmth"] }),
  ...paymentCases(),
  ...mediaCases(),
  {
    name: "characters (published)",
    match: "/characters/{characterId}",
    existingPath: () => "characters/published-1",
    newPath: () => "characters/new-character",
    existing: () => character(true),
    create: () => character(true),
    update: () => ({ name: "Renamed" }),
    list: (db) => query(collection(db, "characters"), where("published", "==", true)),
    expect: expectRows({
      anonymous: NONE,
      stranger: [T, T, F, F, F],
      owner: [T, T, F, F, F],
      premiumOwner: [T, T, F, F, F],
      deactivatedOwner: [T, T, F, F, F],
      admin: [T, T, F, F, F],
    }),
  },
  {
    name: "characters (draft)",
    match: "/characters/{characterId}",
    existingPath: () => "characters/draft-1",
    newPath: () => "characters/new-draft",
    existing: () => character(false),
    create: () => character(false),
    update: () => ({ published: true }),
    list: (db) => collection(db, "characters"),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: NONE,
      premiumOwner: NONE,
      deactivatedOwner: NONE,
      admin: [T, T, F, F, F],
    }),
  },
  {
    name: "characters/private (AI settings)",
    match: "/characters/{characterId}/private/{docId}",
    existingPath: () => "characters/published-1/private/ai",
    newPath: () => "characters/published-1/private/other",
    existing: () => ({ systemPromptOverride: "secret instructions", model: "gpt-4o-mini" }),
    create: () => ({ systemPromptOverride: "forged" }),
    update: () => ({ systemPromptOverride: "forged" }),
    list: (db) => collection(db, "characters", "published-1", "private"),
    fixtures: () => ({ "characters/published-1": character(true) }),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: NONE,
      premiumOwner: NONE,
      deactivatedOwner: NONE,
      admin: [T, T, F, F, F],
    }),
  },
  {
    name: "characters/gallery (premium-only item)",
    match: "/characters/{characterId}/gallery/{itemId}",
    existingPath: () => "characters/published-1/gallery/premium-1",
    newPath: () => "characters/published-1/gallery/new-item",
    existing: () => ({ premiumOnly: true, type: "image", caption: "exclusive" }),
    create: () => ({ premiumOnly: true, type: "image" }),
    update: () => ({ premiumOnly: false }),
    // An unfiltered list: it must include premium items, so only premium users and admins may.
    list: (db) => collection(db, "characters", "published-1", "gallery"),
    fixtures: () => ({ "characters/published-1": character(true) }),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: NONE,
      premiumOwner: [T, T, F, F, F],
      deactivatedOwner: NONE,
      admin: [T, T, F, F, F],
    }),
  },
  {
    name: "characters/statShards",
    match: "/characters/{characterId}/statShards/{shardId}",
    existingPath: () => "characters/published-1/statShards/0",
    newPath: () => "characters/published-1/statShards/1",
    existing: () => ({ messages: 5 }),
    create: () => ({ messages: 1000 }),
    update: () => ({ messages: 1000 }),
    list: (db) => collection(db, "characters", "published-1", "statShards"),
    fixtures: () => ({ "characters/published-1": character(true) }),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: NONE,
      premiumOwner: NONE,
      deactivatedOwner: NONE,
      admin: NONE,
    }),
  },
  {
    name: "characters/gallery/viewShards",
    match: "/characters/{characterId}/gallery/{itemId}/viewShards/{shardId}",
    existingPath: () => "characters/published-1/gallery/free-1/viewShards/0",
    newPath: () => "characters/published-1/gallery/free-1/viewShards/1",
    existing: () => ({ count: 5, updatedAtMs: 0 }),
    create: () => ({ count: 1000, updatedAtMs: 0 }),
    update: () => ({ count: 1000 }),
    list: (db) => collection(db, "characters", "published-1", "gallery", "free-1", "viewShards"),
    fixtures: () => ({
      "characters/published-1": character(true),
      "characters/published-1/gallery/free-1": { premiumOnly: false, type: "image" },
    }),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: NONE,
      premiumOwner: NONE,
      deactivatedOwner: NONE,
      admin: NONE,
    }),
  },
  serverOnly(
    "processedEvents",
    "/processedEvents/{markerId}",
    () => "processedEvents/rating_evt-1",
    {
      trigger: "rating",
      effect: "applied",
    },
  ),
  ...underCharacter(true),
  ...underCharacter(false),
  ...conversationCases(),
  ...ENGAGEMENT_CASES,
];
