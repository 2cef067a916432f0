// The upload trigger: every finalized object in the media folders gets a media/{id} record;
// images get their WebP variants, audio its format and duration. Audio is never transcribed
// here: a transcript costs money by the minute, so only the reply to a voice message the
// quota allowed asks for one (message-media.ts withTranscript).
//
// Flow: decideUpload (loop guard, placement, type and size) -> claim the record in a
// transaction (with the uploader's hourly rate limit on a first delivery) -> work -> one
// finalizing transaction that records the result on media/{id} and on the gallery item or
// character avatar that names the object. Idempotent: a redelivered event finds the record
// claimed or finished. Every user upload counts against the uploader's hourly limit, whatever
// its outcome. Permanent failures (bad type, corrupt image, bomb, unreadable audio, over the
// rate limit) are recorded once and never retried; rejected and over-limit files are deleted; transient ones (Storage or
// network errors) release the lease and throw, so the platform retries, at most
// MAX_PROCESS_ATTEMPTS times in all.
import { randomUUID } from "node:crypto";
import type { DocumentReference, Transaction } from "firebase-admin/firestore";
import * as logger from "firebase-functions/logger";
import { z } from "zod";
import { characterDoc, galleryItemsShowing } from "../characters/store";
import { isPremiumProfile, userDoc } from "../identity/profiles";
import { checkRateLimitIn } from "../limits/rate-limit";
import { RATE_LIMITS } from "../limits/policy";
import { adminStorage, db, FieldValue } from "../shared/firebase";
import { storageReachable } from "../shared/storage";
import { classifyPath } from "./access";
import { readAudioInfo, type AudioInfo } from "./audio-info";
import {
  cacheControlFor,
  decideMediaClaim,
  gaveUpReason,
  mediaIdFor,
  PROCESS_LEASE_MS,
  rateLimitedReason,
  type MediaFailureCode,
} from "./media-state";
import { mediaRef, parseMediaRecord } from "./store";
import { uploadBucket } from "./upload-limits";
import {
  decideUpload,
  FAILED_MARKER,
  VARIANT_MARKER,
  type UploadKind,
  type UploadOwner,
} from "./upload-filter";
import { variantPathsFor } from "./variant-specs";
import { makeVariants, VariantError } from "./variants";

/** The object fields of a finalize event. Sizes and generations arrive as strings. */
export const finalizedObjectSchema = z.object({
  bucket: z.string().min(1),
  name: z.string().min(1),
  generation: z.union([z.string(), z.number()]).transform(String),
  contentType: z.string().optional(),
  size: z.coerce.number(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type FinalizedObject = z.infer<typeof finalizedObjectSchema>;

export type UploadOutcome =
  | "ignored"
  | "skipped"
  | "rejected"
  | "rate-limited"
  | "duplicate"
  | "gave-up"
  | "failed"
  | "ready";

/** A failure that retrying cannot fix. */
class PermanentFailure extends Error {
  constructor(
    readonly code: MediaFailureCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Another delivery holds a live lease: throwing makes the platform deliver again later. */
export class MediaBusyError extends Error {}

export async function onMediaUploaded(data: unknown): Promise<UploadOutcome> {
  const parsed = finalizedObjectSchema.safeParse(data);
  if (!parsed.success) {
    logger.warn("finalize event without a usable object", {
      issue: parsed.error.issues[0]?.message,
    });
    return "ignored";
  }
  const object = parsed.data;
  const decision = decideUpload({
    name: object.name,
    contentType: object.contentType,
    size: object.size,
    metadata: object.metadata ?? undefined,
  });
  if (decision.action === "skip") {
    logger.debug("upload skipped", { path: object.name, reason: decision.reason });
    return "skipped";
  }
  const id = mediaIdFor(object.bucket, object.name, object.generation);
  if (decision.action === "reject") return reject(id, object, decision.reason);

  const leaseOwner = randomUUID();
  const claim = await claimUpload(
    id,
    object,
    decision.kind,
    decision.owner,
    leaseOwner,
    Date.now(),
  );
  switch (claim.action) {
    case "skip":
      logger.info("upload already handled; duplicate delivery ignored", {
        mediaId: id,
        reason: claim.reason,
      });
      return "duplicate";
    case "busy":
      throw new MediaBusyError(`media ${id} is being processed by another delivery`);
    case "rate-limited":
      await deleteUpload(object, "over-limit");
      logger.info("upload over the rate limit; deleted", { mediaId: id, uid: claim.uid });
      return "rate-limited";
    case "give-up":
      await markFailed(object, "gave-up");
      logger.error("media processing gave up", {
        mediaId: id,
        path: object.name,
        attempts: claim.attempts,
      });
      return "gave-up";
    case "work":
      break;
  }

  try {
    if (decision.kind === "image") await processImage(id, object, decision.owner, leaseOwner);
    else await processAudio(id, object, leaseOwner);
    logger.info("media ready", { mediaId: id, path: object.name, kind: decision.kind });
    return "ready";
  } catch (error) {
    const permanent =
      error instanceof VariantError
        ? new PermanentFailure(error.code, error.reason)
        : error instanceof PermanentFailure
          ? error
          : null;
    if (permanent) {
      const detail = error instanceof VariantError ? error.detail : undefined;
      logger.warn("media failed", { mediaId: id, path: object.name, code: permanent.code, detail });
      await finishIfOwner(id, leaseOwner, () => ({
        status: "failed",
        code: permanent.code,
        reason: permanent.reason,
      }));
      await markFailed(object, permanent.code);
      return "failed";
    }
    logger.warn("media processing interrupted; the platform will retry", {
      mediaId: id,
      error: String(error),
    });
    await finishIfOwner(id, leaseOwner, () => ({ lastError: String(error).slice(0, 500) })).catch(
      () => undefined,
    );
    throw error;
  }
}

function storageFile(object: FinalizedObject) {
  return adminStorage().bucket(object.bucket).file(object.name);
}

/** Removes this generation of the object (a newer upload to the same path stays). */
async function deleteUpload(object: FinalizedObject, why: "over-limit" | "rejected") {
  if (!storageReachable()) {
    logger.warn(`storage is not reachable here; the ${why} upload was not deleted`, {
      path: object.name,
    });
    return;
  }
  await storageFile(object)
    .delete({ ignoreNotFound: true, ifGenerationMatch: object.generation })
    .catch((error: unknown) =>
      logger.warn(`could not delete an ${why} upload`, {
        path: object.name,
        error: String(error),
      }),
    );
}

/** The failed marker stops any later finalize of this object from being worked on again. */
async function markFailed(object: FinalizedObject, code: MediaFailureCode): Promise<void> {
  await storageFile(object)
    .setMetadata({ metadata: { [FAILED_MARKER]: code } }, { ifGenerationMatch: object.generation })
    .catch((error: unknown) =>
      logger.warn("could not mark the object failed", { path: object.name, error: String(error) }),
    );
}

/** Who the record belongs to, from the path alone (also for rejected uploads). */
function ownerFields(name: string) {
  const area = classifyPath(name);
  // A profile picture is the user's upload like any other: listed, deletable, removed with
  // the account.
  if (area.area === "user" || area.area === "user-avatar")
    return { ownerUid: area.uid, characterId: null, scope: "user" as const };
  if (area.area === "avatar")
    return { ownerUid: null, characterId: area.characterId, scope: "avatar" as const };
  if (area.area === "gallery")
    return { ownerUid: null, characterId: area.characterId, scope: "gallery" as const };
  return { ownerUid: null, characterId: null, scope: null };
}

function baseRecord(object: FinalizedObject, kind: UploadKind | null) {
  return {
    path: object.name,
    bucket: object.bucket,
    generation: object.generation,
    ...ownerFields(object.name),
    kind,
    contentType: object.contentType ?? null,
    size: object.size,
    code: null,
    reason: null,
    variants: {},
    width: null,
    height: null,
    format: null,
    audio: null,
    transcript: null,
    transcriptError: null,
    attempts: 0,
    lease: null,
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/**
 * Records a rejected upload and deletes it. A user's rejected upload still counts against
 * their hourly limit (on its first delivery), so refused files cannot be sent without end.
 */
async function reject(id: string, object: FinalizedObject, reason: string): Promise<UploadOutcome> {
  const { ownerUid } = ownerFields(object.name);
  const created = await db().runTransaction(async (tx) => {
    if ((await tx.get(mediaRef(id))).exists) return false;
    if (ownerUid !== null) await checkUploadLimit(tx, ownerUid, Date.now());
    tx.create(mediaRef(id), {
      ...baseRecord(object, null),
      status: "failed",
      code: "rejected",
      reason,
    });
    return true;
  });
  await deleteUpload(object, "rejected");
  logger.info(created ? "upload rejected" : "rejected upload already recorded", {
    mediaId: id,
    path: object.name,
    reason,
  });
  return created ? "rejected" : "duplicate";
}

type UploadClaim =
  | { action: "work" }
  | { action: "skip"; reason: string }
  | { action: "busy" }
  | { action: "rate-limited"; uid: string }
  | { action: "give-up"; attempts: number };

async function claimUpload(
  id: string,
  object: FinalizedObject,
  kind: UploadKind,
  owner: UploadOwner,
  leaseOwner: string,
  nowMs: number,
): Promise<UploadClaim> {
  const ref = mediaRef(id);
  const lease = { owner: leaseOwner, expiresAtMs: nowMs + PROCESS_LEASE_MS };
  return db().runTransaction(async (tx: Transaction): Promise<UploadClaim> => {
    const snapshot = await tx.get(ref);
    const stored = snapshot.exists ? parseMediaRecord(snapshot.data()) : null;
    const decision = decideMediaClaim(
      stored
        ? {
            status: stored.status,
            attempts: stored.attempts,
            leaseExpiresAtMs: stored.lease?.expiresAtMs ?? null,
          }
        : null,
      nowMs,
    );
    switch (decision.action) {
      case "skip":
        return decision;
      case "busy":
        return { action: "busy" };
      case "give-up":
        tx.update(ref, {
          status: "failed",
          code: "gave-up",
          reason: gaveUpReason(decision.attempts),
          lease: null,
          updatedAt: FieldValue.serverTimestamp(),
        });
        return decision;
      case "retry":
        tx.update(ref, {
          attempts: decision.attempt,
          lease,
          updatedAt: FieldValue.serverTimestamp(),
        });
        return { action: "work" };
      case "start":
        break;
    }
    // A first delivery: count it against the uploader's hourly limit.
    if (owner.type === "user") {
      const limited = await checkUploadLimit(tx, owner.uid, nowMs);
      if (limited !== null) {
        tx.create(ref, {
          ...baseRecord(object, kind),
          status: "failed",
          code: "rate-limited",
          reason: limited,
        });
        return { action: "rate-limited", uid: owner.uid };
      }
    }
    tx.create(ref, { ...baseRecord(object, kind), status: "processing", attempts: 1, lease });
    return { action: "work" };
  });
}

/** Null when the upload fits the uploader's limit (and is counted); otherwise the reason. */
async function checkUploadLimit(
  tx: Transaction,
  uid: string,
  nowMs: number,
): Promise<string | null> {
  const profile = await tx.get(userDoc(uid));
  if (profile.get("rateLimitExempt") === true) return null;
  const premium = isPremiumProfile(profile, nowMs);
  const bucket = uploadBucket(premium);
  const check = await checkRateLimitIn(tx, uid, bucket, nowMs);
  if (!check.decision.allowed)
    return rateLimitedReason(RATE_LIMITS[bucket].limit, check.decision.retryAfterMs);
  check.commit();
  return null;
}

/**
 * Writes the result if this delivery still holds the lease (a slower attempt that lost its
 * lease to a retry must not overwrite the retry's result). `extra` adds writes to other
 * documents in the same transaction; it runs after every read.
 */
async function finishIfOwner(
  id: string,
  leaseOwner: string,
  fields: () => Record<string, unknown>,
  extra?: { reads: (tx: Transaction) => Promise<(tx: Transaction) => void> },
): Promise<boolean> {
  const ref = mediaRef(id);
  return db().runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    const stored = parseMediaRecord(snapshot.data());
    const writeExtra = extra ? await extra.reads(tx) : null;
    if (stored?.lease?.owner !== leaseOwner) return false;
    tx.update(ref, { ...fields(), lease: null, updatedAt: FieldValue.serverTimestamp() });
    writeExtra?.(tx);
    return true;
  });
}

async function download(object: FinalizedObject): Promise<Buffer> {
  // This generation exactly: bytes replaced since the event are not this record's.
  const [bytes] = await adminStorage()
    .bucket(object.bucket)
    .file(object.name, { generation: object.generation })
    .download();
  return bytes;
}

/** Gallery items that name this object, and whether any of them is premium-only. */
async function galleryItemsFor(owner: UploadOwner, path: string) {
  if (owner.type !== "character" || owner.scope !== "gallery")
    return { refs: [], premiumOnly: null };
  const snapshot = await galleryItemsShowing(owner.characterId, path).get();
  if (snapshot.empty) return { refs: [], premiumOnly: null };
  return {
    refs: snapshot.docs.map((doc) => doc.ref),
    premiumOnly: snapshot.docs.some((doc) => doc.get("premiumOnly") !== false),
  };
}

async function processImage(
  id: string,
  object: FinalizedObject,
  owner: UploadOwner,
  leaseOwner: string,
) {
  const bytes = await download(object);
  const made = await makeVariants(bytes);
  const gallery = await galleryItemsFor(owner, object.name);
  const cacheControl = cacheControlFor(owner, gallery.premiumOnly);
  const paths = variantPathsFor(object.name);
  const bucket = adminStorage().bucket(object.bucket);
  await Promise.all(
    made.variants.map((variant) =>
      bucket.file(paths[variant.name]).save(variant.bytes, {
        resumable: false,
        contentType: variant.contentType,
        metadata: { cacheControl, metadata: { [VARIANT_MARKER]: "true" } },
      }),
    ),
  );
  const variants = Object.fromEntries(
    made.variants.map((variant) => [variant.name, paths[variant.name]]),
  );
  const committed = await finishIfOwner(
    id,
    leaseOwner,
    () => ({
      status: "ready",
      variants,
      width: made.original.width,
      height: made.original.height,
      format: made.original.format,
    }),
    { reads: (tx) => linkWrites(tx, owner, object.name, gallery.refs, variants) },
  );
  if (!committed)
    logger.info("another delivery took this upload over; its result stands", { mediaId: id });
}

/** Records the variants where clients already look: the gallery item or character avatar. */
async function linkWrites(
  tx: Transaction,
  owner: UploadOwner,
  path: string,
  galleryRefs: DocumentReference[],
  variants: Record<string, string>,
): Promise<(tx: Transaction) => void> {
  if (owner.type !== "character") return () => undefined;
  if (owner.scope === "gallery") {
    return (write) => {
      for (const ref of galleryRefs) write.update(ref, { variants });
    };
  }
  const characterRef = characterDoc(owner.characterId);
  const character = await tx.get(characterRef);
  const avatarPath: unknown = character.get("avatar.path");
  if (avatarPath !== path) return () => undefined;
  return (write) => write.update(characterRef, { "avatar.variants": variants });
}

async function processAudio(id: string, object: FinalizedObject, leaseOwner: string) {
  const bytes = await download(object);
  const info: AudioInfo | null = await readAudioInfo(bytes, object.contentType ?? "");
  if (info === null) {
    throw new PermanentFailure("unreadable-audio", "The audio file cannot be read.");
  }
  const committed = await finishIfOwner(id, leaseOwner, () => ({ status: "ready", audio: info }));
  if (!committed)
    logger.info("another delivery took this upload over; its result stands", { mediaId: id });
}
