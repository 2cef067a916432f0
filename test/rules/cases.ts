// Expected outcomes for every collection that exists. T = allowed, F = denied.
import { collection, query, serverTimestamp, Timestamp, where } from "firebase/firestore";
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

const character = (published: boolean) => ({
  name: "Luna",
  published,
  premiumOnly: false,
  tags: [],
});

/** Server-written, read by owner and admin only (usage, rate limits). */
function ownerReadOnly(name: string, sub: string): CollectionCase {
  return {
    name,
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
  path: string,
  data: Record<string, unknown>,
): CollectionCase {
  const [collectionName] = path.split("/");
  return {
    name,
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
  path: (uid: string) => string,
  data: Record<string, unknown>,
): CollectionCase {
  const [collectionName] = path("owner").split("/");
  return {
    name,
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
    serverOnly("stripeCustomers", (uid) => `stripeCustomers/${uid}`, { customerId: "cus_1" }),
    serverOnly("stripeEvents", () => "stripeEvents/evt_1", { type: "checkout.session.completed" }),
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

export const CASES: CollectionCase[] = [
  {
    name: "users",
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
  ownerReadOnly("users/quota", "quota"),
  ownerReadOnly("users/rateLimits", "rateLimits"),
  signedInReadable("publicProfiles", "publicProfiles/owner", {
    username: "owner",
    displayName: "Owner",
    avatarPath: null,
  }),
  {
    name: "usernames",
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
  signedInReadable("config", "config/traits", { traits: ["warmth"] }),
  ...paymentCases(),
  ...mediaCases(),
  {
    name: "characters (published)",
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
    name: "characters/gallery (free item)",
    existingPath: () => "characters/published-1/gallery/free-1",
    newPath: () => "characters/published-1/gallery/new-item",
    existing: () => ({ premiumOnly: false, type: "image", caption: "sunset" }),
    create: () => ({ premiumOnly: false, type: "image", caption: "forged" }),
    update: () => ({ caption: "changed" }),
    list: (db) =>
      query(
        collection(db, "characters", "published-1", "gallery"),
        where("premiumOnly", "==", false),
      ),
    fixtures: () => ({ "characters/published-1": character(true) }),
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
    name: "characters/gallery (premium-only item)",
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
    name: "gallery views (one per user and item)",
    existingPath: (uid) => `characters/published-1/gallery/free-1/views/${uid}`,
    newPath: (uid) => `characters/published-1/gallery/free-2/views/${uid}`,
    existing: (uid) => ({ uid, viewedAt: Timestamp.fromMillis(0) }),
    create: (uid) => ({ uid, viewedAt: serverTimestamp() }),
    update: () => ({ viewedAt: serverTimestamp() }),
    list: (db) => collection(db, "characters", "published-1", "gallery", "free-1", "views"),
    fixtures: () => ({
      "characters/published-1": character(true),
      "characters/published-1/gallery/free-1": { premiumOnly: false, type: "image" },
      "characters/published-1/gallery/free-2": { premiumOnly: false, type: "image" },
    }),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: [T, F, T, F, F],
      premiumOwner: [T, F, T, F, F],
      deactivatedOwner: [T, F, F, F, F],
      admin: NONE,
    }),
  },
  {
    name: "ratings (one per user and character)",
    existingPath: (uid) => `characters/published-1/ratings/${uid}`,
    newPath: (uid) => `characters/published-2/ratings/${uid}`,
    existing: (uid) => ({ uid, stars: 4, updatedAt: Timestamp.fromMillis(0) }),
    create: (uid) => ({ uid, stars: 5, updatedAt: serverTimestamp() }),
    update: () => ({ stars: 2, updatedAt: serverTimestamp() }),
    list: (db) => collection(db, "characters", "published-1", "ratings"),
    fixtures: () => ({
      "characters/published-1": character(true),
      "characters/published-2": character(true),
    }),
    expect: expectRows({
      anonymous: NONE,
      stranger: NONE,
      owner: [T, F, T, T, T],
      premiumOwner: [T, F, T, T, T],
      deactivatedOwner: [T, F, F, F, F],
      admin: [T, T, F, F, F],
    }),
  },
  {
    name: "characters/statShards",
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
  serverOnly("processedEvents", () => "processedEvents/rating_evt-1", {
    trigger: "rating",
    effect: "applied",
  }),
  ...ENGAGEMENT_CASES,
];
