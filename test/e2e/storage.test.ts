// Storage end to end: real client uploads through storage.rules, the onMediaUploaded trigger
// in the functions emulator, and the records it writes. These need the Storage emulator,
// whose rules runtime is a download; where it cannot start they are skipped, and the reason
// is printed. Nothing here imitates Storage.
import { FirebaseError } from "firebase/app";
import { collection, doc, getDocFromServer, query, where } from "firebase/firestore";
import {
  connectStorageEmulator,
  deleteObject,
  getBytes,
  getMetadata,
  getStorage,
  ref,
  uploadBytes,
  type FirebaseStorage,
  type UploadMetadata,
} from "firebase/storage";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { onMediaUploaded } from "../../functions/src/media/on-upload";
import { variantPathsFor } from "../../functions/src/media/variant-specs";
import { fakeOpenAIControl, fakeSpeech } from "../doubles/fake-openai";
import { sendText, waitForFinalReply } from "../helpers/chat";
import { adminStorage, Timestamp } from "../../functions/src/shared/firebase";
import { db, signUpAdmin, waitUntil } from "../helpers/admin";
import { closeAllClientApps, newClientApp, signUp, type ClientApp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { emulatorEnv } from "../helpers/env";
import { waitForQuery } from "../helpers/wait-for";
import sharp from "../unit/media/sharp";
import { ACCESS_CASES, WORLD, type AccessActor, type Uids } from "../unit/media/access-cases";

const running = process.env.AICHAT_STORAGE_EMULATOR_RUNNING === "1";
if (!running) {
  console.log(
    `storage.test.ts: SKIPPED, the Storage emulator is not running: ${process.env.AICHAT_STORAGE_SKIP_REASON || "no reason given"}`,
  );
}

type User = Awaited<ReturnType<typeof signUp>>;

const port = Number(process.env.AICHAT_STORAGE_PORT);
const bucketName = () => `${emulatorEnv().projectId}.appspot.com`;

const storages = new WeakMap<ClientApp, FirebaseStorage>();

function storageOf(client: ClientApp): FirebaseStorage {
  let storage = storages.get(client);
  if (!storage) {
    storage = getStorage(client.app, `gs://${bucketName()}`);
    connectStorageEmulator(storage, "127.0.0.1", port);
    storages.set(client, storage);
  }
  return storage;
}

async function upload(client: ClientApp, path: string, bytes: Buffer, metadata: UploadMetadata) {
  return uploadBytes(ref(storageOf(client), path), new Uint8Array(bytes), metadata);
}

/** The Storage error code of a refused client operation, e.g. "storage/unauthorized". */
async function storageError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FirebaseError) return error.code;
    throw error;
  }
  return "succeeded";
}

async function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Waits, as the owner's app would, for the media record of `path` to settle. */
async function settledRecord(client: User, path: string, timeoutMs = 30_000) {
  const records = query(
    collection(client.db, "media"),
    where("ownerUid", "==", client.user.uid),
    where("path", "==", path),
  );
  const snapshot = await waitForQuery(
    records,
    (each) => each.docs.some((record) => record.get("status") !== "processing"),
    timeoutMs,
    `media record of ${path}`,
  );
  const record = snapshot.docs[0];
  if (!record) throw new Error(`no media record for ${path}`);
  return record;
}

describe.skipIf(!running)("storage end to end", () => {
  beforeAll(() => {
    // The Admin SDK in this process talks to the same Storage emulator.
    process.env.FIREBASE_STORAGE_EMULATOR_HOST ??= `127.0.0.1:${port}`;
  });
  beforeEach(async () => {
    await clearFirestore();
  });
  afterEach(async () => {
    await closeAllClientApps();
  });

  it("turns a user's photo into four WebP variants recorded on media/{id}", async () => {
    const user = await signUp("photo");
    const path = `user-content/${user.user.uid}/photos/cat.jpg`;
    await upload(user, path, await jpeg(1600, 1200), { contentType: "image/jpeg" });
    const record = await settledRecord(user, path);
    expect(record.data()).toMatchObject({
      status: "ready",
      kind: "image",
      ownerUid: user.user.uid,
      width: 1600,
      height: 1200,
      format: "jpeg",
      variants: variantPathsFor(path),
    });
    const small = adminStorage().bucket(bucketName()).file(variantPathsFor(path).small);
    const [metadata] = await small.getMetadata();
    expect(metadata).toMatchObject({
      contentType: "image/webp",
      cacheControl: expect.stringMatching(/^private, max-age=\d+$/),
      metadata: { aichatVariant: "true" },
    });
    // Variants are readable like their original: by the owner, not by others.
    expect(
      (await getBytes(ref(storageOf(user), variantPathsFor(path).small))).byteLength,
    ).toBeGreaterThan(0);
    const stranger = await signUp("stranger");
    expect(
      await storageError(getBytes(ref(storageOf(stranger), variantPathsFor(path).small))),
    ).toBe("storage/unauthorized");

    // A redelivered event finds the record finished and does no work.
    const [original] = await adminStorage().bucket(bucketName()).file(path).getMetadata();
    expect(await onMediaUploaded(original)).toBe("duplicate");
  });

  it("refuses uploads the rules do not allow", async () => {
    const [user, other] = await Promise.all([signUp("rules"), signUp("other")]);
    const own = (name: string) => `user-content/${user.user.uid}/${name}`;
    const photo = await jpeg(10, 10);
    const refused: [string, Promise<unknown>][] = [
      [
        "wrong type",
        upload(user, own("notes.txt"), Buffer.from("hello"), { contentType: "text/plain" }),
      ],
      [
        "image over 10 MB",
        upload(user, own("big.jpg"), Buffer.alloc(10 * 1024 * 1024 + 1, 1), {
          contentType: "image/jpeg",
        }),
      ],
      [
        "audio over 50 MB",
        upload(user, own("long.mp3"), Buffer.alloc(50 * 1024 * 1024 + 1, 1), {
          contentType: "audio/mpeg",
        }),
      ],
      [
        "another user's folder",
        upload(user, `user-content/${other.user.uid}/x.jpg`, photo, { contentType: "image/jpeg" }),
      ],
      [
        "a variants folder",
        upload(user, own("variants/x.jpg/small.webp"), photo, { contentType: "image/webp" }),
      ],
      [
        "a forged variant marker",
        upload(user, own("marked.jpg"), photo, {
          contentType: "image/jpeg",
          customMetadata: { aichatVariant: "true" },
        }),
      ],
      [
        "a character's gallery",
        upload(user, "characters/pub/gallery/free1/x.jpg", photo, { contentType: "image/jpeg" }),
      ],
      [
        "an SVG (it can carry script)",
        upload(user, own("logo.svg"), Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), {
          contentType: "image/svg+xml",
        }),
      ],
      [
        "an image type the trigger cannot read",
        upload(user, own("photo.heic"), photo, { contentType: "image/heic" }),
      ],
      [
        "an audio type the trigger cannot read",
        upload(user, own("voice.xyz"), Buffer.from("noise"), { contentType: "audio/x-made-up" }),
      ],
      [
        "audio as a profile picture",
        upload(user, own("avatars/me.mp3"), fakeSpeech("hello"), { contentType: "audio/mpeg" }),
      ],
    ];
    for (const [what, attempt] of refused)
      expect(await storageError(attempt), what).toBe("storage/unauthorized");

    // A deactivated account uploads nothing, until it is reactivated.
    await user.call("deactivateAccount", {});
    expect(
      await storageError(upload(user, own("asleep.jpg"), photo, { contentType: "image/jpeg" })),
    ).toBe("storage/unauthorized");
    await user.call("reactivateAccount", {});
    await upload(user, own("awake.jpg"), photo, { contentType: "image/jpeg" });

    // Created once, never overwritten or deleted from the client.
    await upload(user, own("once.jpg"), photo, { contentType: "image/jpeg" });
    expect(
      await storageError(upload(user, own("once.jpg"), photo, { contentType: "image/jpeg" })),
    ).toBe("storage/unauthorized");
    expect(await storageError(deleteObject(ref(storageOf(user), own("once.jpg"))))).toBe(
      "storage/unauthorized",
    );
  });

  it("deletes an upload over the hourly limit and records why", async () => {
    const user = await signUp("busy");
    const now = Date.now();
    await db()
      .doc(`users/${user.user.uid}/rateLimits/uploads`)
      .set({ hits: Array.from({ length: 20 }, (_, i) => now - i * 60_000) });
    const path = `user-content/${user.user.uid}/one-too-many.jpg`;
    await upload(user, path, await jpeg(20, 20), { contentType: "image/jpeg" });
    const record = await settledRecord(user, path);
    expect(record.data()).toMatchObject({ status: "failed", code: "rate-limited", variants: {} });
    expect(record.get("reason")).toContain("20 an hour");
    await waitUntil(
      async () => !(await adminStorage().bucket(bucketName()).file(path).exists())[0],
      15_000,
      "the over-limit object to be deleted",
    );
  });

  it("marks a file that is not an image as failed, once", async () => {
    const user = await signUp("corrupt");
    const path = `user-content/${user.user.uid}/fake.png`;
    await upload(user, path, Buffer.from("this is text, not a PNG"), { contentType: "image/png" });
    const record = await settledRecord(user, path);
    expect(record.data()).toMatchObject({ status: "failed", code: "unsupported-format" });
    const file = adminStorage().bucket(bucketName()).file(path);
    await waitUntil(
      async () => (await file.getMetadata())[0].metadata?.aichatFailed === "unsupported-format",
    );
  });

  it("deletes a file the trigger rejects, and counts it against the hourly limit", async () => {
    const user = await signUp("sneaky");
    // Written past the rules (the Admin SDK), as a file the rules would refuse.
    const path = `user-content/${user.user.uid}/notes.txt`;
    await adminStorage()
      .bucket(bucketName())
      .file(path)
      .save(Buffer.from("not media"), { resumable: false, contentType: "text/plain" });
    const record = await settledRecord(user, path);
    expect(record.data()).toMatchObject({ status: "failed", code: "rejected" });
    await waitUntil(
      async () => !(await adminStorage().bucket(bucketName()).file(path).exists())[0],
      15_000,
      "the rejected object to be deleted",
    );
    const window = await db().doc(`users/${user.user.uid}/rateLimits/uploads`).get();
    expect(window.get("hits")).toHaveLength(1);
  });

  it("keeps a profile picture's record with its user: listed and deletable", async () => {
    const user = await signUp("selfie");
    const path = `user-content/${user.user.uid}/avatars/me.jpg`;
    await upload(user, path, await jpeg(300, 300), { contentType: "image/jpeg" });
    const record = await settledRecord(user, path);
    expect(record.data()).toMatchObject({ status: "ready", ownerUid: user.user.uid });
    const listed = await user.call<{ items: { id: string; path: string }[] }>("listMyMedia", {});
    expect(listed.items.map((item) => item.path)).toEqual([path]);
    await user.call("deleteMedia", { mediaId: record.id });
    await waitUntil(
      async () => !(await adminStorage().bucket(bucketName()).file(path).exists())[0],
      15_000,
      "the avatar to be deleted",
    );
  });

  it("reads a voice message's format on upload; only its reply pays for a transcript", async () => {
    await db().doc("characters/pub").set({ name: "Luna", published: true, premiumOnly: false });
    await db().doc("characters/pub/private/ai").set({ model: "gpt-4o-mini" });
    const openAi = fakeOpenAIControl(process.env.OPENAI_BASE_URL ?? "");
    await openAi.reset();
    const user = await signUp("voice");
    const spoken = `tell me about the ${user.user.uid} lighthouse`;
    const path = `user-content/${user.user.uid}/voice/m1.mp3`;
    await upload(user, path, fakeSpeech(spoken), { contentType: "audio/mpeg" });
    const record = await settledRecord(user, path);
    expect(record.data()).toMatchObject({ status: "ready", kind: "audio", transcript: null });
    expect(record.get("audio")).toMatchObject({ container: "MPEG", sampleRate: 44100 });
    expect(record.get("audio.durationSec")).toBeGreaterThan(0);
    const transcriptions = async () =>
      (await openAi.requests()).filter((each) => each.path === "/v1/audio/transcriptions");
    expect(await transcriptions()).toHaveLength(0);

    // The client claims 1 s; the transcription goes by the duration read from the file.
    const { conversationId, messageId } = await sendText(user, "pub", "", {
      type: "audio",
      storagePath: path,
      durationSec: 1,
    });
    await waitForFinalReply(user, conversationId, messageId, 60_000);
    const message = await db().doc(`conversations/${conversationId}/messages/${messageId}`).get();
    expect(message.get("transcript")).toBe(spoken);
    expect(await transcriptions()).toHaveLength(1);
    await waitUntil(
      async () => (await db().doc(`media/${record.id}`).get()).get("transcript") === spoken,
      15_000,
      "the transcript on the media record",
    );
  });

  it("records a gallery image's variants on its item, cacheable by CDNs", async () => {
    await db().doc("characters/pub").set({ name: "Luna", published: true, premiumOnly: false });
    const path = `characters/pub/gallery/${WORLD.freeItem}/beach.jpg`;
    await db().doc(`characters/pub/gallery/${WORLD.freeItem}`).set({
      type: "image",
      storagePath: path,
      premiumOnly: false,
      variants: {},
    });
    const admin = await signUpAdmin();
    await upload(admin, path, await jpeg(900, 600), { contentType: "image/jpeg" });
    await waitUntil(
      async () =>
        Object.keys(
          (await db().doc(`characters/pub/gallery/${WORLD.freeItem}`).get()).get("variants") ?? {},
        ).length === 4,
      30_000,
      "the gallery item's variants",
    );
    const [metadata] = await adminStorage()
      .bucket(bucketName())
      .file(variantPathsFor(path).thumbnail)
      .getMetadata();
    expect(metadata.cacheControl).toBe("public, max-age=31536000, immutable");
  });
});

describe.skipIf(!running)("storage.rules reads: the same cases as media/access.ts", () => {
  const actors = new Map<AccessActor, ClientApp>();
  let uids: Uids;

  beforeAll(async () => {
    process.env.FIREBASE_STORAGE_EMULATOR_HOST ??= `127.0.0.1:${port}`;
    await clearFirestore();
    const [owner, stranger, premium, admin] = await Promise.all([
      signUp("owner"),
      signUp("stranger"),
      signUp("premium"),
      signUpAdmin(),
    ]);
    uids = {
      owner: owner.user.uid,
      stranger: stranger.user.uid,
      premium: premium.user.uid,
      admin: admin.user.uid,
    };
    await db()
      .doc(`users/${premium.user.uid}`)
      .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 86_400_000) });
    await db().doc(`characters/${WORLD.publishedCharacter}`).set({ name: "Luna", published: true });
    await db().doc(`characters/${WORLD.draftCharacter}`).set({ name: "Draft", published: false });
    const gallery = `characters/${WORLD.publishedCharacter}/gallery`;
    await db().doc(`${gallery}/${WORLD.freeItem}`).set({ type: "image", premiumOnly: false });
    await db().doc(`${gallery}/${WORLD.premiumItem}`).set({ type: "image", premiumOnly: true });
    await db()
      .doc(`characters/${WORLD.draftCharacter}/gallery/${WORLD.draftItem}`)
      .set({ type: "image", premiumOnly: false });
    // Fixtures carry the variant marker, so the trigger leaves them alone.
    const bucket = adminStorage().bucket(bucketName());
    for (const each of ACCESS_CASES) {
      await bucket.file(each.path(uids)).save(Buffer.from("fixture"), {
        resumable: false,
        contentType: "application/octet-stream",
        metadata: { metadata: { aichatVariant: "true" } },
      });
    }
    actors.set("anonymous", newClientApp());
    actors.set("owner", owner);
    actors.set("stranger", stranger);
    actors.set("premium", premium);
    actors.set("admin", admin);
    // The profiles exist before any rule reads them.
    await getDocFromServer(doc(owner.db, "users", owner.user.uid));
  });

  it.each(ACCESS_CASES.map((each) => [each.name, each] as const))("%s", async (_name, each) => {
    const client = actors.get(each.actor);
    if (!client) throw new Error(`no client for ${each.actor}`);
    const outcome = await storageError(getMetadata(ref(storageOf(client), each.path(uids))));
    expect(outcome).toBe(each.allowed ? "succeeded" : "storage/unauthorized");
  });

  afterAll(async () => {
    await closeAllClientApps();
  });
});
