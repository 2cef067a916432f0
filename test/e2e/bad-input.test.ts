// A generated corpus of malformed inputs across every callable and every collection a client
// may write. Each must be refused with the documented error and leave the database exactly
// as it was.
import {
  addDoc,
  collection,
  doc,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, db, signUpAdmin } from "../helpers/admin";
import { sendText, waitForFinalReply } from "../helpers/chat";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";

type AdminDocumentReference = ReturnType<ReturnType<typeof db>["doc"]>;
type Kind =
  | "id"
  | "slug"
  | "username"
  | "enum"
  | "bool"
  | "int"
  | "text"
  | "url"
  | "iso"
  | "object"
  | "array";

interface Field {
  name: string;
  kind: Kind;
  required?: boolean;
  /** Longest valid string, for the oversized case. */
  max?: number;
  /** null is a meaningful value (e.g. "no expiry"). */
  nullable?: boolean;
}

interface CallableCase {
  name: string;
  caller: "user" | "admin";
  base: () => Record<string, unknown>;
  fields: Field[];
}

const INVALID_IDS = [
  "",
  "a/b",
  "../etc/passwd",
  "x".repeat(300),
  "<script>alert(1)</script>",
  "'; DROP TABLE users;--",
  "a\u0000b",
  "with space",
  "\u202Eevil",
  "😀",
];
const INVALID_USERNAMES = [
  "ab",
  "x".repeat(31),
  "has space",
  "dash-ed",
  "admin",
  "émile",
  "a\u200Bb",
  "<b>x</b>",
  "../x",
  "a/b",
];

function wrongTypes(kind: Kind): unknown[] {
  const all: [Kind[], unknown][] = [
    [["bool"], 42],
    [["int"], "42"],
    [["id", "slug", "username", "enum", "text", "url", "iso", "bool", "object", "array"], 7],
    [["id", "slug", "username", "enum", "text", "url", "iso", "int", "object", "array"], true],
    [
      ["id", "slug", "username", "enum", "text", "url", "iso", "int", "bool", "array"],
      { nested: "object" },
    ],
    [
      ["id", "slug", "username", "enum", "text", "url", "iso", "int", "bool", "object"],
      ["an", "array"],
    ],
  ];
  return all.filter(([kinds]) => kinds.includes(kind)).map(([, value]) => value);
}

function mutationsFor(field: Field): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = wrongTypes(field.kind).map((value) => ({
    label: `wrong type ${Array.isArray(value) ? "array" : typeof value}`,
    value,
  }));
  if (!field.nullable) out.push({ label: "null", value: null });
  if (field.kind === "id" || field.kind === "slug")
    for (const value of INVALID_IDS)
      out.push({ label: `bad id ${JSON.stringify(value).slice(0, 24)}`, value });
  if (field.kind === "slug") out.push({ label: "upper-case slug", value: "Luna" });
  if (field.kind === "username")
    for (const value of INVALID_USERNAMES)
      out.push({ label: `bad username ${JSON.stringify(value).slice(0, 24)}`, value });
  if (field.kind === "enum")
    out.push({ label: "unknown value", value: "bogus" }, { label: "empty", value: "" });
  if (field.kind === "int")
    out.push({ label: "fraction", value: 1.5 }, { label: "huge", value: 1e12 });
  if (field.kind === "iso")
    out.push({ label: "not a date", value: "tomorrow" }, { label: "empty", value: "" });
  if (field.kind === "url")
    out.push(
      { label: "javascript url", value: "javascript:alert(1)" },
      { label: "foreign origin", value: "https://evil.example/steal" },
      { label: "empty", value: "" },
    );
  if (field.kind === "text" && field.max !== undefined)
    out.push({ label: "oversized", value: "x".repeat(field.max + 1) });
  return out;
}

const surfaces = new Map<string, number>();
function count(surface: string): void {
  surfaces.set(surface, (surfaces.get(surface) ?? 0) + 1);
}

let user: Awaited<ReturnType<typeof signUp>>;
let other: Awaited<ReturnType<typeof signUp>>;
let admin: Awaited<ReturnType<typeof signUp>>;
let conversationId = "";
let messageId = "";

const CALLABLES: CallableCase[] = [
  {
    name: "claimUsername",
    caller: "user",
    base: () => ({ username: "valid_name" }),
    fields: [{ name: "username", kind: "username", required: true }],
  },
  {
    name: "renameUsername",
    caller: "user",
    base: () => ({ username: "valid_name" }),
    fields: [{ name: "username", kind: "username", required: true }],
  },
  {
    name: "checkUsername",
    caller: "user",
    base: () => ({ username: "valid_name" }),
    fields: [{ name: "username", kind: "text", required: true, max: 200 }],
  },
  {
    name: "deleteAccount",
    caller: "user",
    base: () => ({ confirm: "DELETE" }),
    fields: [{ name: "confirm", kind: "enum", required: true }],
  },
  { name: "deactivateAccount", caller: "user", base: () => ({}), fields: [] },
  {
    name: "setUserRole",
    caller: "admin",
    base: () => ({ uid: user.user.uid, role: "admin" }),
    fields: [
      { name: "uid", kind: "id", required: true },
      { name: "role", kind: "enum", required: true },
    ],
  },
  {
    name: "setPremium",
    caller: "admin",
    base: () => ({ uid: user.user.uid, premiumUntil: "2030-01-01T00:00:00Z" }),
    fields: [
      { name: "uid", kind: "id", required: true },
      { name: "premiumUntil", kind: "iso", required: true, nullable: true },
    ],
  },
  {
    name: "setRateLimitExempt",
    caller: "admin",
    base: () => ({ uid: user.user.uid, exempt: true }),
    fields: [
      { name: "uid", kind: "id", required: true },
      { name: "exempt", kind: "bool", required: true },
    ],
  },
  {
    name: "startConversation",
    caller: "user",
    base: () => ({ characterId: "luna" }),
    fields: [{ name: "characterId", kind: "id", required: true }],
  },
  {
    name: "stopReply",
    caller: "user",
    base: () => ({ conversationId, messageId }),
    fields: [
      { name: "conversationId", kind: "id", required: true },
      { name: "messageId", kind: "id", required: true },
    ],
  },
  {
    name: "regenerateReply",
    caller: "user",
    base: () => ({ conversationId, messageId }),
    fields: [
      { name: "conversationId", kind: "id", required: true },
      { name: "messageId", kind: "id", required: true },
    ],
  },
  {
    name: "selectReplyVersion",
    caller: "user",
    base: () => ({ conversationId, messageId, version: 0 }),
    fields: [
      { name: "conversationId", kind: "id", required: true },
      { name: "version", kind: "int", required: true },
    ],
  },
  {
    name: "deleteConversation",
    caller: "user",
    base: () => ({ conversationId, hard: false }),
    fields: [
      { name: "conversationId", kind: "id", required: true },
      { name: "hard", kind: "bool" },
    ],
  },
  {
    name: "searchMessages",
    caller: "user",
    base: () => ({ conversationId, query: "stars" }),
    fields: [
      { name: "conversationId", kind: "id", required: true },
      { name: "query", kind: "text", required: true, max: 200 },
      { name: "limit", kind: "int" },
    ],
  },
  {
    name: "conversationStats",
    caller: "user",
    base: () => ({ conversationId }),
    fields: [{ name: "conversationId", kind: "id", required: true }],
  },
  {
    name: "getUsage",
    caller: "user",
    base: () => ({ characterId: "luna" }),
    fields: [{ name: "characterId", kind: "text", max: 128 }],
  },
  {
    name: "createCheckoutSession",
    caller: "user",
    base: () => ({
      successUrl: "http://localhost:5173/ok?session={CHECKOUT_SESSION_ID}",
      cancelUrl: "http://localhost:5173/cancel",
    }),
    fields: [
      { name: "successUrl", kind: "url", required: true },
      { name: "cancelUrl", kind: "url", required: true },
    ],
  },
  {
    name: "createPortalSession",
    caller: "user",
    base: () => ({ returnUrl: "http://localhost:5173/account" }),
    fields: [{ name: "returnUrl", kind: "url", required: true }],
  },
  {
    name: "verifyCheckoutSession",
    caller: "user",
    base: () => ({ sessionId: "cs_test_123" }),
    fields: [{ name: "sessionId", kind: "id", required: true }],
  },
  {
    name: "createCharacter",
    caller: "admin",
    base: () => ({ id: "new-one", profile: { name: "New One" } }),
    fields: [
      { name: "id", kind: "slug" },
      { name: "profile", kind: "object", required: true },
    ],
  },
  {
    name: "updateCharacter",
    caller: "admin",
    base: () => ({ id: "luna", profile: { tagline: "hi" } }),
    fields: [
      { name: "id", kind: "slug", required: true },
      { name: "profile", kind: "object" },
    ],
  },
  {
    name: "updateAiSettings",
    caller: "admin",
    base: () => ({ id: "luna", ai: { temperature: 1 } }),
    fields: [
      { name: "id", kind: "slug", required: true },
      { name: "ai", kind: "object", required: true },
    ],
  },
  {
    name: "setCharacterPublished",
    caller: "admin",
    base: () => ({ id: "luna", published: true }),
    fields: [
      { name: "id", kind: "slug", required: true },
      { name: "published", kind: "bool", required: true },
    ],
  },
  {
    name: "deleteCharacter",
    caller: "admin",
    base: () => ({ id: "luna" }),
    fields: [{ name: "id", kind: "slug", required: true }],
  },
  {
    name: "exportCharacterCard",
    caller: "admin",
    base: () => ({ id: "luna", format: "json" }),
    fields: [
      { name: "id", kind: "slug", required: true },
      { name: "format", kind: "enum", required: true },
    ],
  },
  {
    name: "importCharacterCard",
    caller: "admin",
    base: () => ({ json: "{}" }),
    fields: [{ name: "json", kind: "text", max: 2 * 1024 * 1024 }],
  },
  {
    name: "refreshCharacterStats",
    caller: "admin",
    base: () => ({ id: "luna" }),
    fields: [{ name: "id", kind: "slug", required: true }],
  },
  {
    name: "addGalleryItem",
    caller: "admin",
    base: () => ({
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/item-9/a.jpg",
    }),
    fields: [
      { name: "characterId", kind: "slug", required: true },
      { name: "type", kind: "enum", required: true },
      { name: "storagePath", kind: "id", required: true },
      { name: "premiumOnly", kind: "bool" },
    ],
  },
  { name: "mediaStatus", caller: "user", base: () => ({}), fields: [] },
  { name: "uploadLimits", caller: "user", base: () => ({}), fields: [] },
  { name: "markAllNotificationsRead", caller: "user", base: () => ({}), fields: [] },
  {
    name: "sendAnnouncement",
    caller: "admin",
    base: () => ({ announcementId: "bad-input-0001", audience: "all", title: "Hi", body: "News" }),
    fields: [
      { name: "announcementId", kind: "id" },
      { name: "audience", kind: "enum", required: true },
      { name: "title", kind: "text", required: true, max: 120 },
      { name: "body", kind: "text", required: true, max: 2000 },
    ],
  },
  {
    name: "listMyMedia",
    caller: "user",
    base: () => ({ limit: 5 }),
    fields: [
      { name: "limit", kind: "int" },
      { name: "startAfter", kind: "id" },
    ],
  },
  {
    name: "deleteMedia",
    caller: "user",
    base: () => ({ mediaId: "m-1" }),
    fields: [{ name: "mediaId", kind: "id", required: true }],
  },
  {
    name: "getSignedUrl",
    caller: "user",
    base: () => ({ path: `user-content/${user.user.uid}/a.jpg` }),
    fields: [
      { name: "path", kind: "text", required: true, max: 1024 },
      { name: "expiresInSeconds", kind: "int" },
    ],
  },
  { name: "aiStatus", caller: "user", base: () => ({}), fields: [] },
  { name: "listModels", caller: "user", base: () => ({}), fields: [] },
  {
    name: "estimateCost",
    caller: "user",
    base: () => ({ text: "hello", expectedReplyTokens: 100 }),
    fields: [
      { name: "text", kind: "text", required: true, max: 20_000 },
      { name: "model", kind: "text", max: 100 },
      { name: "expectedReplyTokens", kind: "int" },
    ],
  },
  {
    name: "testGeneration",
    caller: "admin",
    base: () => ({ characterId: "luna", message: "hi" }),
    fields: [
      { name: "characterId", kind: "text", required: true, max: 64 },
      { name: "message", kind: "text", required: true, max: 5000 },
    ],
  },
  {
    name: "aiUsageStats",
    caller: "admin",
    base: () => ({ from: "2026-01-01", to: "2026-01-02" }),
    fields: [
      { name: "from", kind: "iso", required: true },
      { name: "to", kind: "iso", required: true },
    ],
  },
  {
    name: "removeGalleryItem",
    caller: "admin",
    base: () => ({ characterId: "luna", itemId: "item-1" }),
    fields: [
      { name: "characterId", kind: "slug", required: true },
      { name: "itemId", kind: "id", required: true },
    ],
  },
];

async function dump(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  async function walk(refs: AdminDocumentReference[]): Promise<void> {
    for (const ref of refs) {
      const snapshot = await ref.get();
      if (snapshot.exists) out[ref.path] = snapshot.data();
      for (const sub of await ref.listCollections()) await walk(await sub.listDocuments());
    }
  }
  for (const top of await db().listCollections()) await walk(await top.listDocuments());
  return out;
}

beforeAll(async () => {
  await clearFirestore();
  await clearAuth();
  await createCharacter("luna", { name: "Luna" });
  user = await signUp("corpus");
  other = await signUp("bystander");
  admin = await signUpAdmin();
  const sent = await sendText(user, "luna", "a message about the stars [[words:3]]");
  conversationId = sent.conversationId;
  messageId = sent.messageId;
  await waitForFinalReply(user, conversationId, messageId);
  // Let the profile mirror and other triggers settle before the "before" dump.
  await new Promise((resolve) => setTimeout(resolve, 1500));
}, 120_000);

afterAll(async () => {
  const rows = [...surfaces.entries()].map(([surface, n]) => `${surface}: ${n}`);
  const total = [...surfaces.values()].reduce((a, b) => a + b, 0);
  console.log(
    `bad-input corpus: ${total} malformed inputs refused, database unchanged\n  ${rows.join("\n  ")}`,
  );
  await closeAllClientApps();
});

describe("bad input corpus", () => {
  it("every callable refuses every malformed input with invalid-argument and writes nothing", async () => {
    const before = await dump();
    const failures: string[] = [];
    for (const spec of CALLABLES) {
      const caller = spec.caller === "admin" ? admin : user;
      const inputs: { label: string; input: unknown }[] = [
        { label: "extra field", input: { ...spec.base(), unexpected: "field" } },
        {
          label: "forged server field",
          input: { ...spec.base(), status: "complete", premiumUntil: "2099-01-01" },
        },
        { label: "not an object", input: "just a string" },
        { label: "an array", input: [spec.base()] },
      ];
      for (const field of spec.fields) {
        if (field.required) {
          const rest = Object.fromEntries(
            Object.entries(spec.base()).filter(([key]) => key !== field.name),
          );
          inputs.push({ label: `missing ${field.name}`, input: rest });
        }
        for (const mutation of mutationsFor(field)) {
          inputs.push({
            label: `${field.name}: ${mutation.label}`,
            input: { ...spec.base(), [field.name]: mutation.value },
          });
        }
      }
      for (const { label, input } of inputs) {
        const error = await callError(caller.call(spec.name, input)).catch(
          (unexpected: unknown) => ({
            code: "accepted",
            message: String(unexpected),
          }),
        );
        if (error.code !== "functions/invalid-argument")
          failures.push(`${spec.name} (${label}): ${error.code} ${error.message}`);
        count(`callable ${spec.name}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await dump()).toEqual(before);
  }, 300_000);

  it("other users' ids are refused as not found or not allowed, and change nothing", async () => {
    const before = await dump();
    const cases: [string, unknown, string][] = [
      ["stopReply", { conversationId, messageId }, "functions/not-found"],
      ["regenerateReply", { conversationId, messageId }, "functions/not-found"],
      ["deleteConversation", { conversationId, hard: true }, "functions/not-found"],
      ["searchMessages", { conversationId, query: "stars" }, "functions/not-found"],
      ["conversationStats", { conversationId }, "functions/not-found"],
      ["setUserRole", { uid: user.user.uid, role: "admin" }, "functions/permission-denied"],
      [
        "setPremium",
        { uid: other.user.uid, premiumUntil: "2099-01-01T00:00:00Z" },
        "functions/permission-denied",
      ],
      ["deleteCharacter", { id: "luna" }, "functions/permission-denied"],
    ];
    for (const [name, input, code] of cases) {
      expect((await callError(other.call(name, input))).code, name).toBe(code);
      count("other users' ids");
    }
    expect(await dump()).toEqual(before);
  });

  it("rules refuse every malformed client write, and the database stays as it was", async () => {
    const before = await dump();
    const uid = user.user.uid;
    const baseMessage = () => ({
      role: "user",
      type: "text",
      text: "hello",
      characterId: "luna",
      userId: uid,
      createdAt: serverTimestamp(),
    });
    const messageMutations: Record<string, unknown>[] = [
      ...[
        "status",
        "keywords",
        "usage",
        "costUsd",
        "replyTo",
        "versions",
        "lease",
        "unit",
        "answered",
        "transcript",
        "model",
      ].map((field) => ({ [field]: "forged" })),
      { role: "assistant" },
      { role: "system" },
      { role: 1 },
      { type: "video" },
      { type: "" },
      { type: null },
      { text: "" },
      { text: "x".repeat(5001) },
      { text: 5 },
      { text: null },
      { userId: other.user.uid },
      { characterId: "nobody" },
      { characterId: 7 },
      { createdAt: Timestamp.fromMillis(0) },
      { createdAt: "now" },
      { type: "audio", storagePath: `user-content/${other.user.uid}/a.m4a`, durationSec: 5 },
      { type: "audio", storagePath: `user-content/${uid}/../x/a.m4a`, durationSec: 5 },
      { type: "audio", storagePath: `user-content/${uid}/a.m4a`, durationSec: 0 },
      { type: "audio", storagePath: `user-content/${uid}/a.m4a`, durationSec: 1000 },
      { type: "audio", storagePath: `user-content/${uid}/a.m4a`, durationSec: "5" },
      { type: "audio", storagePath: `user-content/${uid}/a.m4a` },
      { type: "media", storagePath: "characters/luna/gallery/x.png" },
      { type: "media", storagePath: 42 },
      { requestedReplyType: "video" },
    ];
    for (const mutation of messageMutations) {
      await expect(
        addDoc(collection(user.db, "conversations", conversationId, "messages"), {
          ...baseMessage(),
          ...mutation,
        }),
        JSON.stringify(mutation).slice(0, 80),
      ).rejects.toMatchObject({ code: "permission-denied" });
      count("rules conversations/*/messages");
    }
    // Ids the server writes at: the reply to a message, and the greeting.
    for (const serverId of [`${messageId}_reply`, "future_reply", "greeting"]) {
      await expect(
        setDoc(doc(user.db, "conversations", conversationId, "messages", serverId), baseMessage()),
        serverId,
      ).rejects.toMatchObject({ code: "permission-denied" });
      count("rules conversations/*/messages");
    }
    for (const foreign of [`${other.user.uid}_luna`, `${uid}_luna_2`, `${uid}`, "luna"]) {
      await expect(
        addDoc(collection(user.db, "conversations", foreign, "messages"), baseMessage()),
      ).rejects.toMatchObject({ code: "permission-denied" });
      count("rules conversations/*/messages");
    }
    const profileMutations: Record<string, unknown>[] = [
      ...[
        "role",
        "premiumUntil",
        "deactivated",
        "username",
        "email",
        "uid",
        "rateLimitExempt",
        "createdAt",
      ].map((field) => ({
        [field]: field === "premiumUntil" ? Timestamp.fromMillis(4102444800000) : "forged",
      })),
      { displayName: "x".repeat(61) },
      { displayName: 5 },
      { bio: "x".repeat(501) },
      { bio: ["a"] },
      { avatarPath: `user-content/${other.user.uid}/a.png` },
      { avatarPath: `user-content/${uid}/../${other.user.uid}/avatars/a.png` },
      { avatarPath: `user-content/${uid}/./avatars/a.png` },
      { avatarPath: "characters/luna/avatar.png" },
      { avatarPath: 3 },
      { preferences: { theme: "neon" } },
      { preferences: { premium: true } },
      { preferences: "dark" },
      { preferences: { language: "x".repeat(40) } },
    ];
    for (const mutation of profileMutations) {
      await expect(
        updateDoc(doc(user.db, "users", uid), { ...mutation, updatedAt: serverTimestamp() }),
      ).rejects.toMatchObject({ code: "permission-denied" });
      count("rules users/{uid}");
    }
    await expect(
      updateDoc(doc(user.db, "users", other.user.uid), {
        bio: "hijacked",
        updatedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    count("rules users/{uid}");
    const conversationMutations: Record<string, unknown>[] = [
      { unread: 5, lastReadAt: serverTimestamp() },
      { costUsd: 0 },
      { deleted: true },
      { userId: other.user.uid },
      { lastReadAt: Timestamp.fromMillis(0), unread: 0 },
    ];
    for (const mutation of conversationMutations) {
      await expect(
        updateDoc(doc(user.db, "conversations", conversationId), mutation),
      ).rejects.toMatchObject({ code: "permission-denied" });
      count("rules conversations/{id}");
    }
    const ratingMutations: Record<string, unknown>[] = [
      { stars: 0 },
      { stars: 6 },
      { stars: 3.5 },
      { stars: "5" },
      { uid: other.user.uid },
      { extra: true },
      { updatedAt: Timestamp.fromMillis(0) },
    ];
    for (const mutation of ratingMutations) {
      await expect(
        setDoc(doc(user.db, "characters", "luna", "ratings", uid), {
          uid,
          stars: 4,
          updatedAt: serverTimestamp(),
          ...mutation,
        }),
      ).rejects.toMatchObject({ code: "permission-denied" });
      count("rules characters/*/ratings");
    }
    await expect(
      setDoc(doc(user.db, "characters", "luna", "ratings", other.user.uid), {
        uid: other.user.uid,
        stars: 5,
        updatedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    count("rules characters/*/ratings");
    const follow = (owner: string, characterId: string) =>
      doc(user.db, "users", owner, "following", characterId);
    const engagementWrites: [string, () => Promise<unknown>][] = [
      ["presence", () => setDoc(doc(user.db, "presence", uid), { lastActiveAt: Timestamp.now() })],
      [
        "presence",
        () =>
          setDoc(doc(user.db, "presence", uid), {
            lastActiveAt: serverTimestamp(),
            status: "busy",
          }),
      ],
      [
        "presence",
        () => setDoc(doc(user.db, "presence", other.user.uid), { lastActiveAt: serverTimestamp() }),
      ],
      [
        "following",
        () =>
          setDoc(follow(uid, "nobody"), { characterId: "nobody", createdAt: serverTimestamp() }),
      ],
      [
        "following",
        () =>
          setDoc(follow(uid, "luna"), {
            characterId: "luna",
            createdAt: serverTimestamp(),
            notify: true,
          }),
      ],
      [
        "following",
        () => setDoc(follow(uid, "luna"), { characterId: "luna", createdAt: Timestamp.now() }),
      ],
      [
        "following",
        () =>
          setDoc(follow(other.user.uid, "luna"), {
            characterId: "luna",
            createdAt: serverTimestamp(),
          }),
      ],
      [
        "viewingAt",
        () =>
          updateDoc(doc(user.db, "conversations", conversationId), { viewingAt: Timestamp.now() }),
      ],
      [
        "viewingAt",
        () =>
          updateDoc(doc(user.db, "conversations", conversationId), {
            viewingAt: serverTimestamp(),
            unread: 0,
          }),
      ],
      [
        "notifications",
        () =>
          setDoc(doc(user.db, "users", uid, "notifications", "forged"), {
            type: "announcement",
            title: "Free premium",
            body: "",
            read: false,
          }),
      ],
    ];
    for (const [surface, write] of engagementWrites) {
      await expect(write(), surface).rejects.toMatchObject({ code: "permission-denied" });
      count(`rules ${surface}`);
    }
    for (const path of [
      `users/${uid}/counters/notifications`,
      "mail/forged",
      "notificationJobs/forged",
      "schedulerState/forged",
      `users/${uid}/quota/messages`,
      `users/${uid}/rateLimits/checkout`,
      "characters/luna",
      "characters/luna/private/ai",
      "characters/luna/statShards/0",
      `payments/pi_forged`,
      `stripeCustomers/${uid}`,
      "auditLog/forged",
      "config/traits",
      `publicProfiles/${uid}`,
      "usernames/forged_name",
    ]) {
      await expect(setDoc(doc(user.db, path), { forged: true })).rejects.toMatchObject({
        code: "permission-denied",
      });
      count("rules server-only documents");
    }
    expect(await dump()).toEqual(before);
  }, 120_000);
});

describe("a deactivated account", () => {
  it("is refused by every media and payment callable until it is reactivated", async () => {
    const sleeper = await signUp("sleeper");
    const uid = sleeper.user.uid;
    await sleeper.call("deactivateAccount", {});
    // Seven callables, each started cold in its own emulator worker: hence the longer timeout.
    const calls: [string, unknown][] = [
      ["uploadLimits", {}],
      ["listMyMedia", {}],
      ["deleteMedia", { mediaId: "m-1" }],
      ["getSignedUrl", { path: `user-content/${uid}/a.jpg` }],
      [
        "createCheckoutSession",
        {
          successUrl: "http://localhost:5173/ok?session={CHECKOUT_SESSION_ID}",
          cancelUrl: "http://localhost:5173/cancel",
        },
      ],
      ["createPortalSession", { returnUrl: "http://localhost:5173/account" }],
      ["verifyCheckoutSession", { sessionId: "cs_test_123" }],
    ];
    const refused = [];
    for (const [name, input] of calls) {
      const error = await callError(sleeper.call(name, input));
      refused.push({ name, code: error.code, reason: error.reason });
      count("deactivated account");
    }
    expect(refused).toEqual(
      calls.map(([name]) => ({
        name,
        code: "functions/failed-precondition",
        reason: "account_inactive",
      })),
    );
    // Nothing was counted or created for the refused calls.
    expect((await db().collection(`users/${uid}/rateLimits`).get()).size).toBe(0);
    expect((await db().doc(`stripeCustomers/${uid}`).get()).exists).toBe(false);

    await sleeper.call("reactivateAccount", {});
    await expect(sleeper.call("uploadLimits", {})).resolves.toMatchObject({ premium: false });
    await expect(sleeper.call("listMyMedia", {})).resolves.toMatchObject({ items: [] });
  }, 120_000);
});
