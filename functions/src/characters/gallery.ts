// Gallery items (admin callables) and their view counts. A view is a client-created marker at
// gallery/{item}/views/{uid} (once per user, by the rules); the trigger counts it into one of
// VIEW_SHARDS shards, and refreshes the item's `viewCount` from the shards at most once a
// minute so the item is never a hot document. The scheduled rollup catches up the rest.
import { FieldValue, type DocumentReference } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import { fail, parseInput } from "../shared/callable";
import { requireCurrentAdmin } from "../identity/guards";
import { recordAudit } from "../shared/audit";
import { db } from "../shared/firebase";
import { VIEW_SHARDS, pickShard, sumViewShards, viewCountRefreshDue } from "./counters";
import {
  addGalleryItemInput,
  removeGalleryItemInput,
  type AddGalleryItemOutput,
  type RemoveGalleryItemOutput,
} from "../contract/characters";
import { itemIdFromStoragePath, newGalleryItem } from "./gallery-model";
import {
  applyOnce,
  characterDoc,
  galleryItemDoc,
  newGalleryItemDoc,
  viewShardDoc,
  viewShardsOf,
} from "./store";
import { queueGalleryNotifications } from "../notifications/fanout";

/** The field of characters/{id} that counts free or premium-only gallery items. */
function galleryCountField(premiumOnly: boolean): string {
  return `galleryCounts.${premiumOnly ? "premium" : "free"}`;
}

export async function addGalleryItem(
  request: CallableRequest<unknown>,
): Promise<AddGalleryItemOutput> {
  const admin = await requireCurrentAdmin(request);
  const input = parseInput(addGalleryItemInput, request.data);
  const character = characterDoc(input.characterId);
  const folderId = itemIdFromStoragePath(input.characterId, input.storagePath);
  const item = newGalleryItemDoc(input.characterId, folderId);
  const fields = newGalleryItem(input);
  await db().runTransaction(async (tx) => {
    const [characterSnap, itemSnap] = await Promise.all([tx.get(character), tx.get(item)]);
    if (!characterSnap.exists) fail("character_not_found");
    if (itemSnap.exists) fail("gallery_folder_taken");
    tx.create(item, { ...fields, createdAt: FieldValue.serverTimestamp() });
    tx.update(character, { [galleryCountField(fields.premiumOnly)]: FieldValue.increment(1) });
    // Followers hear of the new item (a fan-out job, queued once with the item).
    if (characterSnap.get("published") === true) {
      queueGalleryNotifications(tx, {
        characterId: input.characterId,
        characterName: String(characterSnap.get("name") ?? ""),
        itemId: item.id,
        mediaType: fields.type,
        premiumOnly: fields.premiumOnly,
        caption: fields.caption,
      });
    }
    recordAudit(tx, {
      action: "addGalleryItem",
      actorUid: admin.uid,
      characterId: input.characterId,
      itemId: item.id,
      after: {
        type: fields.type,
        storagePath: fields.storagePath,
        premiumOnly: fields.premiumOnly,
      },
    });
  });
  return { characterId: input.characterId, itemId: item.id };
}

/** Removes the item with its views and view shards. The Storage object is left in place. */
export async function removeGalleryItem(
  request: CallableRequest<unknown>,
): Promise<RemoveGalleryItemOutput> {
  const admin = await requireCurrentAdmin(request);
  const { characterId, itemId } = parseInput(removeGalleryItemInput, request.data);
  const item = galleryItemDoc(characterId, itemId);
  const character = characterDoc(characterId);
  const found = await db().runTransaction(async (tx) => {
    const [snapshot, characterSnap] = await Promise.all([tx.get(item), tx.get(character)]);
    if (!snapshot.exists) return false;
    tx.delete(item);
    if (characterSnap.exists) {
      tx.update(character, {
        [galleryCountField(snapshot.get("premiumOnly") === true)]: FieldValue.increment(-1),
      });
    }
    recordAudit(tx, {
      action: "removeGalleryItem",
      actorUid: admin.uid,
      characterId,
      itemId,
      before: {
        type: String(snapshot.get("type")),
        storagePath: String(snapshot.get("storagePath")),
        premiumOnly: snapshot.get("premiumOnly") === true,
      },
    });
    return true;
  });
  // Also when the item is already gone: a removal interrupted here left its subcollections.
  await db().recursiveDelete(item);
  if (!found) fail("gallery_item_not_found");
  return { characterId, itemId, removed: true };
}

export interface GalleryViewEvent {
  eventId: string;
  characterId: string;
  itemId: string;
}

export type ViewOutcome = "counted" | "duplicate" | "no-item" | "draft";

export async function countGalleryView(
  event: GalleryViewEvent,
  nowMs = Date.now(),
): Promise<ViewOutcome> {
  const item = galleryItemDoc(event.characterId, event.itemId);
  return applyOnce("view", event.eventId, nowMs, async (tx) => {
    const [snapshot, character] = await Promise.all([
      tx.get(item),
      tx.get(characterDoc(event.characterId)),
    ]);
    if (!snapshot.exists) return "no-item";
    // A draft's gallery collects no views (the rules refuse its markers to users; an
    // admin's preview is not a view).
    if (character.get("published") !== true) return "draft";
    const refresh = viewCountRefreshDue(snapshot.get("viewCountRefreshedAtMs"), nowMs);
    const shards = refresh ? await tx.get(viewShardsOf(item)) : null;
    tx.set(
      viewShardDoc(item, pickShard(VIEW_SHARDS, Math.random())),
      { count: FieldValue.increment(1), updatedAtMs: nowMs },
      { merge: true },
    );
    if (shards) {
      const viewCount = sumViewShards(shards.docs.map((shard) => shard.data())) + 1;
      tx.update(item, { viewCount, viewCountRefreshedAtMs: nowMs });
    }
    return "counted";
  });
}

/** Sets the item's viewCount to its shards' sum; true when the item exists. Writes only on change. */
export async function refreshViewCount(
  item: DocumentReference,
  nowMs = Date.now(),
): Promise<boolean> {
  return db().runTransaction(async (tx) => {
    const [snapshot, shards] = await Promise.all([tx.get(item), tx.get(viewShardsOf(item))]);
    if (!snapshot.exists) return false;
    const viewCount = sumViewShards(shards.docs.map((shard) => shard.data()));
    if (snapshot.get("viewCount") !== viewCount)
      tx.update(item, { viewCount, viewCountRefreshedAtMs: nowMs });
    return true;
  });
}
