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
import { aiSettingsSchema, characterProfileSchema } from "./model";

/** The profile fields of a stored character; server fields (stats, timestamps) are dropped. */
export const storedProfileSchema = z.object(characterProfileSchema.shape);
/** Stored AI settings; unknown keys are dropped. */
export const storedAiSchema = z.object(aiSettingsSchema.shape);

export function characterDoc(id: string) {
  return db().collection("characters").doc(id);
}

export function characterProfileRef(id: string) {
  return characterDoc(id).withConverter(zodConverter(storedProfileSchema));
}

export function aiSettingsDoc(id: string) {
  return characterDoc(id).collection("private").doc("ai");
}

export function aiSettingsRef(id: string) {
  return aiSettingsDoc(id).withConverter(zodConverter(storedAiSchema));
}

export function galleryItemDoc(characterId: string, itemId: string) {
  return characterDoc(characterId).collection("gallery").doc(itemId);
}

export function viewShardDoc(item: DocumentReference, shard: number) {
  return item.collection("viewShards").doc(String(shard));
}

export function auditDoc() {
  return db().collection("auditLog").doc();
}

// ---- processed-event markers ------------------------------------------------------------

/** Markers outlive any redelivery by far; a TTL policy on expireAt removes them. */
export const PROCESSED_EVENT_TTL_MS = 7 * 86_400_000;

export function processedEventDoc(trigger: string, eventId: string) {
  return db().collection("processedEvents").doc(`${trigger}_${eventId}`);
}

/** Records, in the transaction that applies it, that an event has been handled. */
export function markProcessed(
  tx: Transaction,
  marker: DocumentReference,
  trigger: string,
  effect: string,
  nowMs: number,
): void {
  tx.create(marker, {
    trigger,
    effect,
    at: FieldValue.serverTimestamp(),
    expireAt: Timestamp.fromMillis(nowMs + PROCESSED_EVENT_TTL_MS),
  });
}
