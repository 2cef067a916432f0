// Where characters live in Firestore and how they read back, typed through zod:
//   characters/{id}                 public profile + stats (+ createdAt, updatedAt, statsUpdatedAt)
//   characters/{id}/private/ai      AI settings (exactly the model's aiSettingsSchema)
//   characters/{id}/gallery/{item}  gallery items, with views/{uid} and viewShards/{n}
//   characters/{id}/ratings/{uid}   one rating per user
//   characters/{id}/statShards/{n}  counters behind stats
//   processedEvents/{trigger}_{eventId}  markers that make triggers idempotent
//   config/traits                   the personality traits list clients read
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type Transaction,
} from "firebase-admin/firestore";
import { z } from "zod";
import { zodConverter } from "../shared/converter";
import { db } from "../shared/firebase";
import { aiSettingsSchema, characterProfileSchema } from "../contract/characters";
import { paths } from "../contract/paths";

/** The profile fields of a stored character; server fields (stats, timestamps) are dropped. */
export const storedProfileSchema = z.object(characterProfileSchema.shape);
/** Stored AI settings; unknown keys are dropped. */
export const storedAiSchema = z.object(aiSettingsSchema.shape);

export function characterDoc(id: string) {
  return db().doc(paths.character(id));
}

export function characterProfileRef(id: string) {
  return characterDoc(id).withConverter(zodConverter(storedProfileSchema));
}

export function aiSettingsDoc(id: string) {
  return db().doc(paths.aiSettings(id));
}

export function aiSettingsRef(id: string) {
  return aiSettingsDoc(id).withConverter(zodConverter(storedAiSchema));
}

export function galleryCollection(characterId: string) {
  return db().collection(paths.gallery(characterId));
}

export function galleryItemDoc(characterId: string, itemId: string) {
  return db().doc(paths.galleryItem(characterId, itemId));
}

/** A new gallery item's document: in `folderId` when the upload path names one. */
export function newGalleryItemDoc(characterId: string, folderId: string | null) {
  const gallery = characterDoc(characterId).collection("gallery");
  return folderId ? gallery.doc(folderId) : gallery.doc();
}

/** The gallery items of a character that show the object at `storagePath`. */
export function galleryItemsShowing(characterId: string, storagePath: string) {
  return characterDoc(characterId)
    .collection("gallery")
    .where("storagePath", "==", storagePath)
    .limit(10);
}

export function viewShardsOf(item: DocumentReference) {
  return item.collection("viewShards");
}

export function viewShardDoc(item: DocumentReference, shard: number) {
  return viewShardsOf(item).doc(String(shard));
}

export function statShardsOf(characterId: string) {
  return characterDoc(characterId).collection("statShards");
}

/** Every character's stat shards, for the scheduled rollup. */
export function allStatShards() {
  return db().collectionGroup("statShards");
}

/** Every gallery item's view shards, for the scheduled rollup. */
export function allViewShards() {
  return db().collectionGroup("viewShards");
}

/** The ratings a user gave, across characters. */
export function ratingsBy(uid: string) {
  return db().collectionGroup("ratings").where("uid", "==", uid);
}

/** The gallery view markers a user left, across characters. */
export function viewsBy(uid: string) {
  return db().collectionGroup("views").where("uid", "==", uid);
}

export function traitsConfigDoc() {
  return db().collection("config").doc("traits");
}

/** The characters a user follows (users/{uid}/following/{characterId}). */
export function followingOf(uid: string) {
  return db().collection(paths.following(uid));
}

// ---- processed-event markers ------------------------------------------------------------

/** Markers outlive any redelivery by far; a TTL policy on expireAt removes them. */
export const PROCESSED_EVENT_TTL_MS = 7 * 86_400_000;

/**
 * Runs `apply` in a transaction at most once per event. A marker keyed by the trigger and the
 * event id is created in the same transaction and records the outcome, so a redelivered
 * event finds it and answers "duplicate" without applying anything.
 */
export function applyOnce<Outcome extends string>(
  trigger: string,
  eventId: string,
  nowMs: number,
  apply: (tx: Transaction) => Promise<Outcome>,
): Promise<Outcome | "duplicate"> {
  const marker = db().collection("processedEvents").doc(`${trigger}_${eventId}`);
  return db().runTransaction(async (tx) => {
    if ((await tx.get(marker)).exists) return "duplicate";
    const outcome = await apply(tx);
    tx.create(marker, {
      trigger,
      effect: outcome,
      at: FieldValue.serverTimestamp(),
      expireAt: Timestamp.fromMillis(nowMs + PROCESSED_EVENT_TTL_MS),
    });
    return outcome;
  });
}
