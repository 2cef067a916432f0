// The media callables through the functions emulator (real client SDK, Auth and Firestore
// emulators), and URL signing with a key generated here. Nothing in this file needs the
// Storage emulator; uploads through storage.rules and the trigger are in storage.test.ts.
import { createPublicKey, createHash, generateKeyPairSync, verify } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Storage } from "../../functions/node_modules/@google-cloud/storage/build/esm/src/index.js";
import { getSignedUrl, type MediaRequest } from "../../functions/src/media/callables";
import { mediaIdFor } from "../../functions/src/media/media-state";
import { Timestamp } from "../../functions/src/shared/firebase";
import { onMediaUploaded } from "../../functions/src/index";
import { onMediaUploaded as handleUpload } from "../../functions/src/media/on-upload";
import { adminAuth, callError, db, signUpAdmin } from "../helpers/admin";
import { closeAllClientApps, newClientApp, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";

const storageRunning = process.env.AICHAT_STORAGE_EMULATOR_RUNNING === "1";
const HOUR = 3_600_000;

beforeEach(async () => {
  await clearFirestore();
});
afterEach(async () => {
  await closeAllClientApps();
});

type User = Awaited<ReturnType<typeof signUp>>;

async function makePremium(uid: string) {
  await db()
    .doc(`users/${uid}`)
    .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 30 * 24 * HOUR) });
}

/** A character "pub" (published) with a free and a premium-only gallery item. */
async function seedCharacter() {
  await db().doc("characters/pub").set({ name: "Luna", published: true, premiumOnly: false });
  await db()
    .doc("characters/pub/gallery/free1")
    .set({
      type: "image",
      storagePath: "characters/pub/gallery/free1/beach.jpg",
      premiumOnly: false,
      variants: { small: "characters/pub/gallery/free1/variants/beach.jpg/small.webp" },
    });
  await db().doc("characters/pub/gallery/prem1").set({
    type: "image",
    storagePath: "characters/pub/gallery/prem1/night.jpg",
    premiumOnly: true,
    variants: {},
  });
}

/** A media record as the trigger writes it. */
async function seedRecord(
  owner: { ownerUid?: string; characterId?: string },
  path: string,
  createdAtMs: number,
) {
  const id = mediaIdFor("demo-bucket", path, String(createdAtMs));
  await db()
    .doc(`media/${id}`)
    .set({
      path,
      bucket: "demo-bucket",
      generation: String(createdAtMs),
      ownerUid: owner.ownerUid ?? null,
      characterId: owner.characterId ?? null,
      scope: owner.ownerUid ? "user" : "gallery",
      kind: "image",
      contentType: "image/jpeg",
      size: 1234,
      status: "ready",
      variants: { small: path.replace(/([^/]+)$/, "variants/$1/small.webp") },
      width: 800,
      height: 600,
      format: "jpeg",
      attempts: 1,
      lease: null,
      createdAt: Timestamp.fromMillis(createdAtMs),
      updatedAt: Timestamp.fromMillis(createdAtMs),
    });
  return id;
}

describe("mediaStatus", () => {
  it("says whether Storage works here and which limits uploads have, signed in or not", async () => {
    const status = await newClientApp().call<{
      storage: { enabled: boolean; reason?: string };
      limits: Record<string, unknown>;
    }>("mediaStatus");
    if (storageRunning) expect(status.storage).toEqual({ enabled: true });
    else
      expect(status.storage).toEqual({
        enabled: false,
        reason: expect.stringContaining("Storage emulator"),
      });
    expect(status.limits).toMatchObject({
      maxImageBytes: 10 * 1024 * 1024,
      maxAudioBytes: 50 * 1024 * 1024,
      uploadsPerHour: { free: 20, premium: 100 },
      signedUrlMaxSeconds: 3600,
    });
    expect(status.limits.imageContentTypes).toContain("image/jpeg");
    expect(status.limits.audioContentTypes).toContain("audio/webm");
    expect(status.limits.variants).toEqual([
      { name: "thumbnail", width: 150, height: 150, fit: "cover" },
      { name: "small", width: 400, height: 400, fit: "inside" },
      { name: "medium", width: 800, height: 800, fit: "inside" },
      { name: "large", width: 1200, height: 1200, fit: "inside" },
    ]);
  });

  it("refuses unexpected input", async () => {
    const error = await callError(newClientApp().call("mediaStatus", { verbose: true }));
    expect(error.code).toBe("functions/invalid-argument");
  });
});

describe("uploadLimits", () => {
  it("needs a signed-in caller", async () => {
    expect((await callError(newClientApp().call("uploadLimits"))).code).toBe(
      "functions/unauthenticated",
    );
  });

  it("gives a new free user 20 uploads an hour", async () => {
    const user = await signUp("limits");
    expect(await user.call("uploadLimits")).toEqual({
      maxImageBytes: 10 * 1024 * 1024,
      maxAudioBytes: 50 * 1024 * 1024,
      perHour: 20,
      usedThisHour: 0,
      remainingThisHour: 20,
      nextSlotAt: null,
      premium: false,
      exempt: false,
    });
  });

  it("counts the uploads the trigger recorded in the last hour", async () => {
    const user = await signUp("limits");
    const now = Date.now();
    await db()
      .doc(`users/${user.user.uid}/rateLimits/uploads`)
      .set({ hits: [now - 2 * HOUR, now - 10 * 60_000, now - 5 * 60_000] });
    const limits = await user.call<{
      usedThisHour: number;
      remainingThisHour: number;
      nextSlotAt: string;
    }>("uploadLimits");
    expect(limits).toMatchObject({ usedThisHour: 2, remainingThisHour: 18 });
    expect(Date.parse(limits.nextSlotAt)).toBe(now - 10 * 60_000 + HOUR);
  });

  it("gives a premium user 100 an hour, counted separately", async () => {
    const user = await signUp("limits");
    await makePremium(user.user.uid);
    await db()
      .doc(`users/${user.user.uid}/rateLimits/uploads`)
      .set({ hits: [Date.now() - 1000] });
    expect(await user.call("uploadLimits")).toMatchObject({
      perHour: 100,
      usedThisHour: 0,
      premium: true,
    });
  });
});

describe("listMyMedia", () => {
  it("lists only the caller's records, newest first, a page at a time", async () => {
    const [alice, bob] = await Promise.all([signUp("alice"), signUp("bob")]);
    const t = Date.now() - HOUR;
    const a1 = await seedRecord(
      { ownerUid: alice.user.uid },
      `user-content/${alice.user.uid}/a1.jpg`,
      t + 1,
    );
    const a2 = await seedRecord(
      { ownerUid: alice.user.uid },
      `user-content/${alice.user.uid}/a2.jpg`,
      t + 2,
    );
    const a3 = await seedRecord(
      { ownerUid: alice.user.uid },
      `user-content/${alice.user.uid}/a3.jpg`,
      t + 3,
    );
    await seedRecord({ ownerUid: bob.user.uid }, `user-content/${bob.user.uid}/b1.jpg`, t + 4);

    type Page = {
      items: { id: string; path: string; status: string; variants: object }[];
      nextStartAfter: string | null;
    };
    const first = await alice.call<Page>("listMyMedia", { limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([a3, a2]);
    expect(first.nextStartAfter).toBe(a2);
    expect(first.items[0]).toMatchObject({
      path: `user-content/${alice.user.uid}/a3.jpg`,
      status: "ready",
      kind: "image",
      width: 800,
      variants: { small: `user-content/${alice.user.uid}/variants/a3.jpg/small.webp` },
      createdAt: new Date(t + 3).toISOString(),
    });
    const second = await alice.call<Page>("listMyMedia", { limit: 2, startAfter: a2 });
    expect(second.items.map((item) => item.id)).toEqual([a1]);
    expect(second.nextStartAfter).toBeNull();
    expect((await bob.call<Page>("listMyMedia")).items).toHaveLength(1);
  });

  it("refuses a cursor that is not the caller's, and bad limits, naming the field", async () => {
    const [alice, bob] = await Promise.all([signUp("alice"), signUp("bob")]);
    const bobs = await seedRecord(
      { ownerUid: bob.user.uid },
      `user-content/${bob.user.uid}/b1.jpg`,
      Date.now(),
    );
    const cursor = await callError(alice.call("listMyMedia", { startAfter: bobs }));
    expect(cursor).toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("startAfter"),
    });
    for (const limit of [0, 51, 2.5, "10"]) {
      const error = await callError(alice.call("listMyMedia", { limit }));
      expect(error).toMatchObject({
        code: "functions/invalid-argument",
        message: expect.stringContaining("limit"),
      });
    }
    expect((await callError(newClientApp().call("listMyMedia"))).code).toBe(
      "functions/unauthenticated",
    );
  });
});

describe("deleteMedia", () => {
  it("lets the owner delete their upload's record (and its objects where Storage runs)", async () => {
    const alice = await signUp("alice");
    const id = await seedRecord(
      { ownerUid: alice.user.uid },
      `user-content/${alice.user.uid}/a.jpg`,
      Date.now(),
    );
    const result = await alice.call<{ deleted: boolean; objects: string }>("deleteMedia", {
      mediaId: id,
    });
    expect(result).toMatchObject({ mediaId: id, deleted: true });
    expect(result.objects).toBe(storageRunning ? "deleted" : "storage-unavailable");
    expect((await db().doc(`media/${id}`).get()).exists).toBe(false);
  });

  it("refuses other users, unknown ids and malformed ids", async () => {
    const [alice, bob] = await Promise.all([signUp("alice"), signUp("bob")]);
    const id = await seedRecord(
      { ownerUid: alice.user.uid },
      `user-content/${alice.user.uid}/a.jpg`,
      Date.now(),
    );
    expect((await callError(bob.call("deleteMedia", { mediaId: id }))).code).toBe(
      "functions/permission-denied",
    );
    expect((await callError(bob.call("deleteMedia", { mediaId: "nope" }))).code).toBe(
      "functions/not-found",
    );
    for (const mediaId of ["", "a/b", "../x", 7, null]) {
      const error = await callError(bob.call("deleteMedia", { mediaId }));
      expect(error).toMatchObject({
        code: "functions/invalid-argument",
        message: expect.stringContaining("mediaId"),
      });
    }
    expect((await callError(newClientApp().call("deleteMedia", { mediaId: id }))).code).toBe(
      "functions/unauthenticated",
    );
    expect((await db().doc(`media/${id}`).get()).exists).toBe(true);
  });

  it("lets an admin delete a character's media, and the gallery item loses its variants", async () => {
    await seedCharacter();
    const admin = await signUpAdmin();
    const id = await seedRecord(
      { characterId: "pub" },
      "characters/pub/gallery/free1/beach.jpg",
      Date.now(),
    );
    await admin.call("deleteMedia", { mediaId: id });
    expect((await db().doc(`media/${id}`).get()).exists).toBe(false);
    expect((await db().doc("characters/pub/gallery/free1").get()).get("variants")).toEqual({});
    expect((await db().doc("characters/pub/gallery/prem1").get()).exists).toBe(true);
  });
});

describe("getSignedUrl through the emulator", () => {
  it("refuses signed-out callers and malformed input, naming the field", async () => {
    expect(
      (await callError(newClientApp().call("getSignedUrl", { path: "user-content/x/a.jpg" }))).code,
    ).toBe("functions/unauthenticated");
    const user = await signUp("signer");
    const own = `user-content/${user.user.uid}/a.jpg`;
    const cases: [unknown, string][] = [
      [{}, "path"],
      [{ path: "" }, "path"],
      [{ path: `/${own}` }, "path"],
      [{ path: `user-content/${user.user.uid}/../x/a.jpg` }, "path"],
      [{ path: `user-content//a.jpg` }, "path"],
      [{ path: "x".repeat(1025) }, "path"],
      [{ path: own, expiresInSeconds: 0 }, "expiresInSeconds"],
      [{ path: own, expiresInSeconds: 3601 }, "expiresInSeconds"],
      [{ path: own, expiresInSeconds: 1.5 }, "expiresInSeconds"],
      [{ path: own, bucket: "other" }, "bucket"],
    ];
    for (const [input, field] of cases) {
      const error = await callError(user.call("getSignedUrl", input));
      expect(error, JSON.stringify(input).slice(0, 80)).toMatchObject({
        code: "functions/invalid-argument",
        message: expect.stringContaining(field),
      });
    }
  });

  it("refuses paths the caller may not read under storage.rules", async () => {
    await seedCharacter();
    const [alice, bob] = await Promise.all([signUp("alice"), signUp("bob")]);
    const refusals = [
      `user-content/${alice.user.uid}/a.jpg`,
      "characters/pub/gallery/prem1/night.jpg",
      "characters/pub/gallery/loose.jpg",
      "characters/draft/avatar/a.png",
      `conversations/${alice.user.uid}_pub/audio/r.mp3`,
      "characters/pub/cards/luna.png",
    ];
    for (const path of refusals) {
      expect((await callError(bob.call("getSignedUrl", { path }))).code, path).toBe(
        "functions/permission-denied",
      );
    }
  });

  it("signs a readable path where Storage runs, and says why not where it does not", async () => {
    const user = await signUp("signer");
    const path = `user-content/${user.user.uid}/a.jpg`;
    if (!storageRunning) {
      expect(await callError(user.call("getSignedUrl", { path }))).toMatchObject({
        code: "functions/failed-precondition",
        message: expect.stringContaining("Storage is not available"),
      });
      return;
    }
    // The Storage emulator does not give the functions a key to sign with either; whichever
    // happens, it is never a refusal of access.
    try {
      const signed = await user.call<{ url: string }>("getSignedUrl", { path });
      expect(signed.url).toContain(encodeURI(path));
    } catch (error) {
      expect(String(error)).toContain("failed-precondition");
    }
  });
});

// ---- signing with a generated service-account key, in this process ----------------------------

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const SIGNER_EMAIL = "media-signer@demo-aichat.iam.gserviceaccount.com";
const BUCKET = "demo-aichat-media";
// A real @google-cloud/storage client holding the generated key: v4 signing is local crypto,
// so no network and no Storage emulator are involved.
const keyedStorage = new Storage({
  projectId: "demo-aichat",
  apiEndpoint: "https://storage.googleapis.com",
  credentials: {
    client_email: SIGNER_EMAIL,
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  },
});
const keySigner = async (path: string, expiresAtMs: number) => {
  const [url] = await keyedStorage
    .bucket(BUCKET)
    .file(path)
    .getSignedUrl({ version: "v4", action: "read", expires: expiresAtMs });
  return url;
};

/** The callable request a signed-in client's call carries, with its verified token. */
async function requestOf(client: User, data: unknown): Promise<MediaRequest> {
  const rawToken = await client.user.getIdToken(true);
  const token = await adminAuth().verifyIdToken(rawToken);
  return { auth: { uid: token.uid, token, rawToken }, data };
}

/** Checks a v4 URL's signature against the public key, per the V4 signing process. */
function verifyV4(url: string): { path: string; params: URLSearchParams } {
  const parsed = new URL(url);
  const params = new URLSearchParams(parsed.search);
  const signature = params.get("X-Goog-Signature") ?? "";
  params.delete("X-Goog-Signature");
  const canonicalQuery = [...params.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
  const canonicalRequest = [
    "GET",
    parsed.pathname,
    canonicalQuery,
    `host:${parsed.host}`,
    "",
    "host",
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const credential = params.get("X-Goog-Credential") ?? "";
  const scope = credential.slice(credential.indexOf("/") + 1);
  const stringToSign = [
    "GOOG4-RSA-SHA256",
    params.get("X-Goog-Date") ?? "",
    scope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const key = createPublicKey(publicKey.export({ type: "spki", format: "pem" }));
  expect(verify("RSA-SHA256", Buffer.from(stringToSign), key, Buffer.from(signature, "hex"))).toBe(
    true,
  );
  return { path: decodeURIComponent(parsed.pathname), params };
}

describe("getSignedUrl with a generated key", () => {
  it("signs the caller's own file for the asked time, verifiably", async () => {
    const user = await signUp("signer");
    const path = `user-content/${user.user.uid}/photos/cat.jpg`;
    const before = Date.now();
    const result = await getSignedUrl(
      await requestOf(user, { path, expiresInSeconds: 600 }),
      keySigner,
    );
    const { path: signedPath, params } = verifyV4(result.url);
    expect(signedPath).toBe(`/${BUCKET}/${path}`);
    expect(params.get("X-Goog-Expires")).toBe("600");
    expect(params.get("X-Goog-Credential")).toMatch(
      new RegExp(`^${SIGNER_EMAIL}/\\d{8}/auto/storage/goog4_request$`),
    );
    expect(Date.parse(result.expiresAt) - before).toBeGreaterThanOrEqual(600_000);
    expect(Date.parse(result.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it("defaults to 15 minutes", async () => {
    const user = await signUp("signer");
    const result = await getSignedUrl(
      await requestOf(user, { path: `user-content/${user.user.uid}/a.jpg` }),
      keySigner,
    );
    expect(verifyV4(result.url).params.get("X-Goog-Expires")).toBe("900");
  });

  it("signs gallery files as the rules allow: free for all, premium for premium users and admins", async () => {
    await seedCharacter();
    const [free, premium, admin] = await Promise.all([
      signUp("free"),
      signUp("premium"),
      signUpAdmin(),
    ]);
    await makePremium(premium.user.uid);
    const freeFile = "characters/pub/gallery/free1/variants/beach.jpg/small.webp";
    const premiumFile = "characters/pub/gallery/prem1/night.jpg";
    verifyV4((await getSignedUrl(await requestOf(free, { path: freeFile }), keySigner)).url);
    await expect(
      getSignedUrl(await requestOf(free, { path: premiumFile }), keySigner),
    ).rejects.toMatchObject({
      code: "permission-denied",
    });
    verifyV4((await getSignedUrl(await requestOf(premium, { path: premiumFile }), keySigner)).url);
    verifyV4((await getSignedUrl(await requestOf(admin, { path: premiumFile }), keySigner)).url);
    verifyV4(
      (
        await getSignedUrl(
          await requestOf(admin, { path: `user-content/${free.user.uid}/a.jpg` }),
          keySigner,
        )
      ).url,
    );
  });

  it("never calls the signer for a refused path", async () => {
    const [alice, bob] = await Promise.all([signUp("alice"), signUp("bob")]);
    let calls = 0;
    const counting = async (path: string, expiresAtMs: number) => {
      calls++;
      return keySigner(path, expiresAtMs);
    };
    await expect(
      getSignedUrl(
        await requestOf(bob, { path: `user-content/${alice.user.uid}/a.jpg` }),
        counting,
      ),
    ).rejects.toMatchObject({ code: "permission-denied" });
    expect(calls).toBe(0);
  });
});

// ---- the deployed trigger wraps the handler ---------------------------------------------------

describe("uploads the trigger refuses", () => {
  const rejected = (uid: string, name: string, contentType: string, generation = "1") => ({
    bucket: "demo-bucket",
    name: `user-content/${uid}/${name}`,
    generation,
    contentType,
    size: 2048,
  });

  it("count against the hourly upload limit once each, whatever their outcome", async () => {
    const user = await signUp("refused");
    const uid = user.user.uid;
    expect(await handleUpload(rejected(uid, "notes.txt", "text/plain"))).toBe("rejected");
    // A redelivery of the same event is not a second upload.
    expect(await handleUpload(rejected(uid, "notes.txt", "text/plain"))).toBe("duplicate");
    expect(await handleUpload(rejected(uid, "page.svg", "image/svg+xml"))).toBe("rejected");
    const window = await db().doc(`users/${uid}/rateLimits/uploads`).get();
    expect(window.get("hits")).toHaveLength(2);
    await expect(user.call("uploadLimits", {})).resolves.toMatchObject({
      usedThisHour: 2,
      remainingThisHour: 18,
    });
  });

  it("a profile picture must be an image, and its record is its user's", async () => {
    const user = await signUp("avatar");
    const uid = user.user.uid;
    expect(await handleUpload(rejected(uid, "avatars/me.mp3", "audio/mpeg"))).toBe("rejected");
    const listed = await user.call<{ items: { id: string; code: string; reason: string }[] }>(
      "listMyMedia",
      {},
    );
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      code: "rejected",
      reason: "An avatar must be an image.",
    });
    const mediaId = listed.items[0]?.id ?? "";
    await expect(user.call("deleteMedia", { mediaId })).resolves.toMatchObject({ deleted: true });

    // Removed with the account, like every other upload of the user.
    expect(await handleUpload(rejected(uid, "avatars/other.mp3", "audio/mpeg"))).toBe("rejected");
    await user.call("deleteAccount", { confirm: "DELETE" });
    const left = (await db().collection("media").get()).docs.filter((doc) =>
      String(doc.get("path")).startsWith(`user-content/${uid}/`),
    );
    expect(left).toEqual([]);
  });
});

describe("onMediaUploaded export", () => {
  const event = (data: Record<string, unknown>) => ({
    specversion: "1.0" as const,
    id: "evt-1",
    source: "//storage.googleapis.com/projects/_/buckets/demo-bucket",
    type: "google.cloud.storage.object.v1.finalized",
    time: new Date().toISOString(),
    bucket: "demo-bucket",
    data: {
      bucket: "demo-bucket",
      generation: 1,
      id: "demo-bucket/x/1",
      metageneration: 1,
      name: "x",
      size: 10,
      storageClass: "STANDARD",
      ...data,
    },
  });

  it("passes the event's object to the handler, which skips the trigger's own variants", async () => {
    const name = "user-content/u1/photos/variants/cat.jpg/small.webp";
    expect(await onMediaUploaded.run(event({ name, contentType: "image/webp" }))).toBe("skipped");
    expect(
      await onMediaUploaded.run(
        event({ name: "user-content/u1/a.jpg", metadata: { aichatFailed: "corrupt" } }),
      ),
    ).toBe("skipped");
    expect(await onMediaUploaded.run(event({ name: "", size: "not a number" }))).toBe("ignored");
    expect((await db().collection("media").get()).size).toBe(0);
  });
});
