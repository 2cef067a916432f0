// Media callables: status, upload limits, a user's media list, deletion and signed URLs.
// Uploads themselves go straight from the client SDK to Cloud Storage (storage.rules); the
// trigger (on-upload.ts) records them in media/{id}.
import { logger } from "firebase-functions/v2";
import type { CallableRequest } from "firebase-functions/v2/https";
import { readSettings } from "../config";
import {
  deleteMediaInput,
  getSignedUrlInput,
  listMyMediaInput,
  mediaStatusInput,
  SIGNED_URL_MAX_SECONDS,
  uploadLimitsInput,
  type DeleteMediaOutput,
  type GetSignedUrlOutput,
  type ListMyMediaOutput,
  type MediaItem,
  type MediaRecord,
  type MediaStatusOutput,
  type UploadLimitsOutput,
} from "../contract/media";
import type { TimestampLike } from "../contract/timestamp";
import { rateLimitWindowSchema } from "../contract/usage";
import { isPremiumProfile, userDoc } from "../identity/profiles";
import { RATE_LIMITS } from "../limits/policy";
import { rateLimitRef } from "../limits/rate-limit";
import { fail, parseInput, requireAuth, type Caller } from "../shared/callable";
import { describeFeatures, type FeatureState } from "../shared/features";
import { adminStorage, db } from "../shared/firebase";
import { storageReachable } from "../shared/storage";
import { classifyPath, decideRead, readNeeds, type ReadFacts } from "./access";
import { adminSigner, type UrlSigner } from "./signing";
import { mediaCollection, mediaRef, parseMediaRecord } from "./store";
import {
  AUDIO_CONTENT_TYPES,
  IMAGE_CONTENT_TYPES,
  MAX_AUDIO_BYTES,
  MAX_IMAGE_BYTES,
} from "./upload-filter";
import { uploadAllowance } from "./upload-limits";
import { VARIANT_SPECS, variantPathsFor } from "./variant-specs";

/** What the handlers read from a callable request; tests may pass just these. */
export type MediaRequest = Pick<CallableRequest<unknown>, "auth" | "data">;

function storageState(): FeatureState {
  const configured = describeFeatures(readSettings()).storage;
  if (!configured.enabled) return configured;
  if (!storageReachable()) {
    return {
      enabled: false,
      reason:
        "the Storage emulator is not running here; uploads, variants and signed URLs are unavailable",
    };
  }
  return { enabled: true };
}

const LIMITS = {
  maxImageBytes: MAX_IMAGE_BYTES,
  maxAudioBytes: MAX_AUDIO_BYTES,
  imageContentTypes: [...IMAGE_CONTENT_TYPES],
  audioContentTypes: [...AUDIO_CONTENT_TYPES],
  uploadsPerHour: { free: RATE_LIMITS.uploads.limit, premium: RATE_LIMITS.uploadsPremium.limit },
  signedUrlMaxSeconds: SIGNED_URL_MAX_SECONDS,
  variants: VARIANT_SPECS.map(({ name, width, height, fit }) => ({ name, width, height, fit })),
};

/** Whether media works here, and the limits uploads must respect. No sign-in needed. */
export function mediaStatus(request: MediaRequest): MediaStatusOutput {
  parseInput(mediaStatusInput, request.data);
  return { storage: storageState(), limits: LIMITS };
}

async function premiumOf(uid: string, nowMs: number) {
  const profile = await userDoc(uid).get();
  return {
    premium: isPremiumProfile(profile, nowMs),
    exempt: profile.get("rateLimitExempt") === true,
  };
}

/** The caller's upload allowance this hour (the trigger enforces it). */
export async function uploadLimits(request: MediaRequest): Promise<UploadLimitsOutput> {
  const caller = requireAuth(request);
  parseInput(uploadLimitsInput, request.data);
  const nowMs = Date.now();
  const { premium, exempt } = await premiumOf(caller.uid, nowMs);
  const allowance = uploadAllowance([], nowMs, premium);
  const stored = await rateLimitRef(caller.uid, allowance.bucket).get();
  const parsed = rateLimitWindowSchema.safeParse(stored.data() ?? {});
  const used = uploadAllowance(parsed.success ? parsed.data.hits : [], nowMs, premium);
  return {
    maxImageBytes: MAX_IMAGE_BYTES,
    maxAudioBytes: MAX_AUDIO_BYTES,
    perHour: used.perHour,
    usedThisHour: used.usedThisHour,
    remainingThisHour: exempt ? used.perHour : used.remainingThisHour,
    nextSlotAt: used.nextSlotAtMs === null ? null : new Date(used.nextSlotAtMs).toISOString(),
    premium,
    exempt,
  };
}

const iso = (value: TimestampLike | undefined) => (value ? value.toDate().toISOString() : null);

function publicRecord(id: string, record: MediaRecord): MediaItem {
  return {
    id,
    path: record.path,
    kind: record.kind,
    status: record.status,
    code: record.code,
    reason: record.reason,
    contentType: record.contentType,
    size: record.size,
    variants: record.variants,
    width: record.width,
    height: record.height,
    format: record.format,
    audio: record.audio,
    transcript: record.transcript,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
  };
}

/** The caller's uploads, newest first, a page at a time. */
export async function listMyMedia(request: MediaRequest): Promise<ListMyMediaOutput> {
  const caller = requireAuth(request);
  const input = parseInput(listMyMediaInput, request.data);
  let query = mediaCollection()
    .where("ownerUid", "==", caller.uid)
    .orderBy("createdAt", "desc")
    .limit(input.limit + 1);
  if (input.startAfter !== undefined) {
    const cursor = await mediaRef(input.startAfter).get();
    if (!cursor.exists || cursor.get("ownerUid") !== caller.uid) {
      fail("invalid_input", "startAfter: not one of your media ids");
    }
    query = query.startAfter(cursor);
  }
  const snapshot = await query.get();
  const page = snapshot.docs.slice(0, input.limit);
  return {
    items: page.flatMap((doc) => {
      const record = parseMediaRecord(doc.data());
      return record ? [publicRecord(doc.id, record)] : [];
    }),
    nextStartAfter: snapshot.docs.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/**
 * Deletes an upload: the object (when it is still this record's generation), its variants,
 * and its record; gallery items and the avatar that named it lose their variants. The
 * owner or an admin only. Where no Storage backend runs (the emulator suite without the
 * Storage emulator) the objects are skipped with a logged warning.
 */
export async function deleteMedia(request: MediaRequest): Promise<DeleteMediaOutput> {
  const caller = requireAuth(request);
  const { mediaId } = parseInput(deleteMediaInput, request.data);
  const ref = mediaRef(mediaId);
  const snapshot = await ref.get();
  if (!snapshot.exists) fail("media_not_found");
  const ownerUid: unknown = snapshot.get("ownerUid");
  if (!caller.isAdmin && ownerUid !== caller.uid) {
    fail("media_not_owned", "Only the owner or an admin can delete this.");
  }
  const record = parseMediaRecord(snapshot.data());
  if (record === null) fail("media_malformed");

  let objects: "deleted" | "kept-newer-upload" | "storage-unavailable" = "storage-unavailable";
  if (storageReachable()) objects = await deleteObjects(record);
  else
    logger.warn("storage is not reachable here; deleted the record only", {
      mediaId,
      path: record.path,
    });

  await unlinkVariants(record);
  await ref.delete();
  return { mediaId, deleted: true, objects };
}

async function deleteObjects(record: MediaRecord): Promise<"deleted" | "kept-newer-upload"> {
  const bucket = adminStorage().bucket(record.bucket);
  const original = bucket.file(record.path);
  let liveGeneration: string | null = null;
  try {
    const [metadata] = await original.getMetadata();
    liveGeneration = metadata.generation === undefined ? null : String(metadata.generation);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  // Variant paths are per object path, so they belong to whichever generation is live.
  if (liveGeneration !== null && liveGeneration !== record.generation) return "kept-newer-upload";
  const variants = record.kind === "image" ? Object.values(variantPathsFor(record.path)) : [];
  const paths = new Set([record.path, ...Object.values(record.variants), ...variants]);
  await Promise.all([...paths].map((path) => bucket.file(path).delete({ ignoreNotFound: true })));
  return "deleted";
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === 404;
}

async function unlinkVariants(record: MediaRecord): Promise<void> {
  if (record.characterId === null) return;
  const character = db().collection("characters").doc(record.characterId);
  if (record.scope === "gallery") {
    const items = await character
      .collection("gallery")
      .where("storagePath", "==", record.path)
      .limit(10)
      .get();
    await Promise.all(items.docs.map((doc) => doc.ref.update({ variants: {} })));
  }
  if (record.scope === "avatar") {
    await db().runTransaction(async (tx) => {
      const snapshot = await tx.get(character);
      if (snapshot.exists && snapshot.get("avatar.path") === record.path) {
        tx.update(character, { "avatar.variants": {} });
      }
    });
  }
}

async function readFacts(caller: Caller, path: string): Promise<ReadFacts> {
  const area = classifyPath(path);
  const needs = readNeeds(area, { uid: caller.uid, isAdmin: caller.isAdmin });
  const characters = db().collection("characters");
  const [premium, character, item] = await Promise.all([
    needs.premium ? premiumOf(caller.uid, Date.now()).then((each) => each.premium) : undefined,
    needs.character ? characters.doc(needs.character).get() : undefined,
    needs.galleryItem
      ? characters
          .doc(needs.galleryItem.characterId)
          .collection("gallery")
          .doc(needs.galleryItem.itemId)
          .get()
      : undefined,
  ]);
  const facts: ReadFacts = {};
  if (premium !== undefined) facts.premium = premium;
  if (character) facts.characterPublished = character.get("published") === true;
  if (item)
    facts.galleryItem = item.exists ? { premiumOnly: item.get("premiumOnly") !== false } : null;
  return facts;
}

/**
 * A v4 signed read URL for a path the caller may read under storage.rules (the same
 * decision, from access.ts). `signer` is the Admin SDK's unless a caller supplies another.
 */
export async function getSignedUrl(
  request: MediaRequest,
  signer: UrlSigner = adminSigner,
): Promise<GetSignedUrlOutput> {
  const caller = requireAuth(request);
  const input = parseInput(getSignedUrlInput, request.data);
  const area = classifyPath(input.path);
  const decision = decideRead(
    area,
    { uid: caller.uid, isAdmin: caller.isAdmin },
    await readFacts(caller, input.path),
  );
  if (!decision.allowed) fail("media_access_denied", decision.reason);
  const expiresAtMs = Date.now() + input.expiresInSeconds * 1000;
  let url: string;
  try {
    url = await signer(input.path, expiresAtMs);
  } catch (error) {
    if (!storageReachable()) {
      logger.warn("no URL signed: Storage is not reachable here", { path: input.path });
      fail("storage_unavailable");
    }
    logger.error("could not sign a URL", { path: input.path, error: String(error) });
    fail("url_signing_unavailable");
  }
  return { url, path: input.path, expiresAt: new Date(expiresAtMs).toISOString() };
}
