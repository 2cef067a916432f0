// Admin management of characters through callables: every input is validated with the
// model's zod schemas, the public document (with its stats) and the private AI settings are
// written in one transaction, and each change is written together with its audit-log entry.
import { randomBytes } from "node:crypto";
import { Buffer } from "node:buffer";
import { FieldValue, type QuerySnapshot, type Transaction } from "firebase-admin/firestore";
import { logger } from "firebase-functions/v2";
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { z } from "zod";
import { recordAudit, type AuditEntry } from "../shared/audit";
import { callableError, fail, parseInput, requireAdmin, type Caller } from "../shared/callable";
import { deleteMatching } from "../shared/delete-matching";
import { db } from "../shared/firebase";
import { deleteStoragePrefix, mediaBucket, storageReachable } from "../shared/storage";
import {
  auditChanges,
  combineChanges,
  decodeBase64Bytes,
  idCandidates,
  mergeAi,
  mergeProfile,
  rawPatch,
  type AuditChanges,
} from "./admin-input";
import {
  CardError,
  cardToCharacter,
  characterToCardPng,
  characterToCardV2Json,
  parseCardJson,
  parseCardPng,
  type CharacterCard,
} from "./cards";
import {
  aiSettingsSchema,
  characterProfileSchema,
  characterRefInput,
  createCharacterInput,
  EMPTY_STATS,
  exportCardInput,
  importCardInput,
  setPublishedInput,
  updateAiSettingsInput,
  updateCharacterInput,
  type AiSettings,
  type CharacterInput,
  type CharacterProfile,
  type CreateCharacterOutput,
  type DeleteCharacterOutput,
  type ExportCardOutput,
  type ImportCardOutput,
  type SetPublishedOutput,
  type UpdateCharacterOutput,
} from "../contract/characters";
import { aiSettingsDoc, aiSettingsRef, characterDoc, characterProfileRef } from "./store";

// ---- create -----------------------------------------------------------------------------

class IdTaken extends Error {}

/** Writes a new character: public profile with empty stats, and private AI settings. */
function createIn(tx: Transaction, id: string, input: CharacterInput, leftovers: QuerySnapshot) {
  // Counters left by an earlier character with this id (written after it was deleted) must
  // not carry over.
  for (const shard of leftovers.docs) tx.delete(shard.ref);
  tx.create(characterDoc(id), {
    ...input.profile,
    stats: EMPTY_STATS,
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  });
  tx.set(aiSettingsDoc(id), input.ai);
}

/**
 * Creates the character under `explicitId` (already-exists if taken), or under the first free
 * id derived from its name. Returns the id used.
 */
async function createCharacterWithId(
  admin: Caller,
  explicitId: string | undefined,
  input: CharacterInput,
  audit: Pick<AuditEntry, "action"> & Record<string, unknown>,
): Promise<string> {
  const candidates = explicitId
    ? [explicitId]
    : idCandidates(input.profile.name, () => randomBytes(3).toString("hex"));
  for (const id of candidates) {
    try {
      await db().runTransaction(async (tx) => {
        const ref = characterDoc(id);
        const [existing, leftovers] = await Promise.all([
          tx.get(ref),
          tx.get(ref.collection("statShards")),
        ]);
        if (existing.exists) throw new IdTaken();
        createIn(tx, id, input, leftovers);
        recordAudit(tx, {
          ...audit,
          actorUid: admin.uid,
          characterId: id,
        });
      });
      return id;
    } catch (error) {
      if (!(error instanceof IdTaken)) throw error;
      if (explicitId) fail("character_exists", `A character with id "${id}" already exists.`);
    }
  }
  fail("character_id_unavailable");
}

export async function createCharacter(
  request: CallableRequest<unknown>,
): Promise<CreateCharacterOutput> {
  const admin = requireAdmin(request);
  const input = parseInput(createCharacterInput, request.data);
  const id = await createCharacterWithId(admin, input.id, input, {
    action: "createCharacter",
    after: { name: input.profile.name, published: input.profile.published },
  });
  return { id };
}

// ---- update -----------------------------------------------------------------------------

async function readCharacterIn(
  tx: Transaction,
  id: string,
): Promise<{ profile: CharacterProfile; ai: AiSettings }> {
  const [profileSnap, aiSnap] = await Promise.all([
    tx.get(characterProfileRef(id)),
    tx.get(aiSettingsRef(id)),
  ]);
  const profile = profileSnap.data();
  if (!profile) fail("character_not_found");
  return { profile, ai: aiSnap.data() ?? aiSettingsSchema.parse({}) };
}

const mergedSchema = z.strictObject({
  profile: characterProfileSchema.optional(),
  ai: aiSettingsSchema.optional(),
});

/** Applies profile/AI patches in a transaction; returns what changed. Stats are never touched. */
async function patchCharacter(
  admin: Caller,
  id: string,
  patch: {
    profile?: Record<string, unknown> | undefined;
    ai?: Record<string, unknown> | undefined;
  },
  action: string,
): Promise<AuditChanges> {
  return db().runTransaction(async (tx) => {
    const stored = await readCharacterIn(tx, id);
    // The merged result is validated as a whole, so errors name `profile.<field>`/`ai.<field>`.
    const merged = parseInput(mergedSchema, {
      profile: patch.profile ? mergeProfile(stored.profile, patch.profile) : undefined,
      ai: patch.ai ? mergeAi(stored.ai, patch.ai) : undefined,
    });
    const profileChanges = merged.profile
      ? auditChanges("profile", stored.profile, merged.profile)
      : null;
    const aiChanges = merged.ai ? auditChanges("ai", stored.ai, merged.ai) : null;
    const changes = combineChanges(...[profileChanges, aiChanges].filter((part) => part !== null));
    if (changes.fields.length === 0) return changes;
    if (merged.profile && profileChanges && profileChanges.fields.length > 0) {
      // Top-level fields replace the stored ones (maps included); stats are not among them.
      tx.update(characterDoc(id), { ...merged.profile, updatedAt: FieldValue.serverTimestamp() });
    }
    if (merged.ai && aiChanges && aiChanges.fields.length > 0) tx.set(aiSettingsDoc(id), merged.ai);
    recordAudit(tx, {
      action,
      actorUid: admin.uid,
      characterId: id,
      ...changes,
    });
    return changes;
  });
}

export async function updateCharacter(
  request: CallableRequest<unknown>,
): Promise<UpdateCharacterOutput> {
  const admin = requireAdmin(request);
  const { id } = parseInput(updateCharacterInput, request.data);
  const changes = await patchCharacter(admin, id, rawPatch(request.data), "updateCharacter");
  return { id, changed: changes.fields };
}

/** The spec's PUT /api/ai/characters/:id/settings. */
export async function updateAiSettings(
  request: CallableRequest<unknown>,
): Promise<UpdateCharacterOutput> {
  const admin = requireAdmin(request);
  const { id } = parseInput(updateAiSettingsInput, request.data);
  const changes = await patchCharacter(
    admin,
    id,
    { ai: rawPatch(request.data).ai },
    "updateAiSettings",
  );
  return { id, changed: changes.fields };
}

export async function setCharacterPublished(
  request: CallableRequest<unknown>,
): Promise<SetPublishedOutput> {
  const admin = requireAdmin(request);
  const { id, published } = parseInput(setPublishedInput, request.data);
  await db().runTransaction(async (tx) => {
    const snapshot = await tx.get(characterDoc(id));
    if (!snapshot.exists) fail("character_not_found");
    const before = snapshot.get("published") === true;
    if (before === published) return;
    tx.update(characterDoc(id), { published, updatedAt: FieldValue.serverTimestamp() });
    recordAudit(tx, {
      action: "setCharacterPublished",
      actorUid: admin.uid,
      characterId: id,
      before: { published: before },
      after: { published },
    });
  });
  return { id, published };
}

// ---- delete -----------------------------------------------------------------------------

/**
 * Deletes the character document (with its audit entry) first, so that the rating deletions
 * that follow find it gone and touch no counters; then everything under it (private settings,
 * gallery items with their views, ratings, stat shards) and its Storage folder. The
 * conversations users had with it stay theirs.
 */
export async function deleteCharacter(
  request: CallableRequest<unknown>,
): Promise<DeleteCharacterOutput> {
  const admin = requireAdmin(request);
  const { id } = parseInput(characterRefInput, request.data);
  const ref = characterDoc(id);
  const found = await db().runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    if (!snapshot.exists) return false;
    tx.delete(ref);
    recordAudit(tx, {
      action: "deleteCharacter",
      actorUid: admin.uid,
      characterId: id,
      before: { name: String(snapshot.get("name")), published: snapshot.get("published") === true },
    });
    return true;
  });
  // Also when the document is already gone: a deletion interrupted after the transaction left
  // its subcollections, files and media records, and calling again finishes the job.
  await db().recursiveDelete(ref);
  await deleteStoragePrefix(`characters/${id}/`);
  // Records go after the files they describe, so a failure in between never leaves a file
  // without its record.
  await deleteMatching(db().collection("media").where("characterId", "==", id));
  if (!found) fail("character_not_found");
  return { id, deleted: true };
}

// ---- character cards --------------------------------------------------------------------

function cardRefusal(error: CardError): HttpsError {
  return callableError("card_invalid", `card: ${error.reason}`, { field: error.field ?? null });
}

function readCard(input: {
  json?: string | undefined;
  pngBase64?: string | undefined;
}): CharacterCard {
  if (input.json !== undefined) return parseCardJson(input.json);
  const bytes = decodeBase64Bytes(input.pngBase64 ?? "");
  if (!bytes) fail("invalid_input", "pngBase64: is not valid base64");
  return parseCardPng(bytes);
}

/** Stores the card's image as the avatar; false where there is no Storage (local emulators). */
async function storeAvatar(id: string, png: Uint8Array): Promise<boolean> {
  if (!storageReachable()) return false;
  const path = `characters/${id}/avatar/card.png`;
  try {
    await mediaBucket()
      .file(path)
      .save(Buffer.from(png), { contentType: "image/png", resumable: false });
    await characterDoc(id).update({
      avatar: { path, variants: {} },
      updatedAt: FieldValue.serverTimestamp(),
    });
    return true;
  } catch (error) {
    logger.warn("storing an imported card's avatar failed; the character has none", {
      id,
      error: String(error),
    });
    return false;
  }
}

/** Creates an unpublished character from a card (JSON text or base64 PNG). */
export async function importCharacterCard(
  request: CallableRequest<unknown>,
): Promise<ImportCardOutput> {
  const admin = requireAdmin(request);
  const input = parseInput(importCardInput, request.data);
  let imported;
  try {
    imported = cardToCharacter(readCard(input));
  } catch (error) {
    if (error instanceof CardError) throw cardRefusal(error);
    throw error;
  }
  const character = imported.input;
  const id = await createCharacterWithId(admin, input.id, character, {
    action: "importCharacterCard",
    after: {
      name: character.profile.name,
      format: input.json !== undefined ? "json" : "png",
      knowledgeEntries: character.ai.knowledgeBase.length,
    },
  });
  const avatarStored = imported.avatarPng ? await storeAvatar(id, imported.avatarPng) : false;
  return {
    id,
    name: character.profile.name,
    published: character.profile.published,
    knowledgeEntries: character.ai.knowledgeBase.length,
    avatarStored,
  };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The avatar as PNG bytes for a card image, or undefined (the export draws a plain square). */
async function avatarPng(profile: CharacterProfile): Promise<Uint8Array | undefined> {
  if (!profile.avatar || !storageReachable()) return undefined;
  try {
    const [bytes] = await mediaBucket().file(profile.avatar.path).download();
    if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return new Uint8Array(bytes);
    const { default: sharp } = await import("sharp");
    return new Uint8Array(await sharp(bytes).rotate().png().toBuffer());
  } catch (error) {
    logger.warn("reading the avatar for a card export failed; exporting without it", {
      path: profile.avatar.path,
      error: String(error),
    });
    return undefined;
  }
}

/** Exports a character as a V2 JSON card or a PNG card (V2 `chara` and V3 `ccv3` chunks). */
export async function exportCharacterCard(
  request: CallableRequest<unknown>,
): Promise<ExportCardOutput> {
  requireAdmin(request);
  const { id, format } = parseInput(exportCardInput, request.data);
  const [profileSnap, aiSnap] = await Promise.all([
    characterProfileRef(id).get(),
    aiSettingsRef(id).get(),
  ]);
  const profile = profileSnap.data();
  if (!profile) fail("character_not_found");
  const character: CharacterInput = { profile, ai: aiSnap.data() ?? aiSettingsSchema.parse({}) };
  if (format === "json") return { id, json: characterToCardV2Json(character) };
  const png = characterToCardPng(character, await avatarPng(profile));
  return { id, pngBase64: Buffer.from(png).toString("base64") };
}
