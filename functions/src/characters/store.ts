// Where characters live in Firestore and how they read back, typed through zod:
//   characters/{id}                 public profile + stats (+ createdAt, updatedAt, statsUpdatedAt)
//   characters/{id}/private/ai      AI settings (exactly the model's aiSettingsSchema)
//   characters/{id}/gallery/{item}  gallery items, with views/{uid} and viewShards/{n}
//   characters/{id}/ratings/{uid}   one rating per user
//   characters/{id}/statShards/{n}  counters behind stats
//   processedEvents/{trigger}_{eventId}  markers that make triggers idempotent
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

export function viewShardDoc(item: DocumentReference, shard: number) {
  return item.collection("viewShards").doc(String(shard));
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
