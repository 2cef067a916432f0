// The admin entry point (`@aichat/client/admin`): characters (create, edit, AI settings,
// publish, delete, gallery items, Character Card import and export), accounts (roles,
// premium, rate-limit exemption) and AI usage statistics. Every call needs the `admin`
// custom claim on the signed-in user; the functions check it.
import { orderBy, query } from "firebase/firestore";
import {
  aiSettingsSchema,
  announcementJobId,
  fanoutProgressSchema,
  characterSchema,
  paths,
  storageFolders,
  type AddGalleryItemOutput,
  type AiSettings,
  type CallableInput,
  type CharacterStats,
  type FanoutProgress,
  type GalleryType,
  type ImportCardOutput,
  type Role,
  type SendAnnouncementInput,
  type SendAnnouncementOutput,
  type TestGenerationOutput,
  type UsageReport,
} from "../../functions/src/contract/index.js";
import { call } from "./call.js";
import type { CharacterDoc } from "./characters.js";
import type { AiChatClient } from "./connect.js";
import {
  typedCollection,
  typedDoc,
  watchDocument,
  watchQuery,
  type ErrorHandler,
  type Unsubscribe,
  type WithId,
} from "./documents.js";
import { AppError } from "./errors.js";
import { uploadToPath, type UploadOptions } from "./media.js";

/** Whether the signed-in user has the `admin` claim (refreshes the token to be sure). */
export async function isAdmin(client: AiChatClient): Promise<boolean> {
  const user = client.auth.currentUser;
  if (!user) return false;
  const token = await user.getIdTokenResult(true);
  return token.claims.admin === true;
}

// ---- characters ---------------------------------------------------------------------------

/** Every character, drafts included, by name (admins may read unpublished ones). */
export function watchAllCharacters(
  client: AiChatClient,
  onChange: (characters: CharacterDoc[]) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchQuery(
    query(typedCollection(client, paths.characters(), characterSchema), orderBy("name")),
    onChange,
    onError,
  );
}

/** Creates a character (unpublished unless `profile.published`); the id is derived from the name unless given. */
export async function createCharacter(
  client: AiChatClient,
  input: CallableInput<"createCharacter">,
): Promise<string> {
  return (await call(client, "createCharacter", input)).id;
}

/**
 * Changes some profile fields and/or AI settings; fields not named stay as they are
 * (`personality` merges one level deep). Returns the fields that changed.
 */
export async function updateCharacter(
  client: AiChatClient,
  input: CallableInput<"updateCharacter">,
): Promise<string[]> {
  return (await call(client, "updateCharacter", input)).changed;
}

export async function updateAiSettings(
  client: AiChatClient,
  id: string,
  ai: CallableInput<"updateAiSettings">["ai"],
): Promise<string[]> {
  return (await call(client, "updateAiSettings", { id, ai })).changed;
}

/** A character's AI settings (model, temperature, prompt, knowledge base): admins only. */
export function watchAiSettings(
  client: AiChatClient,
  id: string,
  onChange: (ai: WithId<AiSettings> | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(typedDoc(client, paths.aiSettings(id), aiSettingsSchema), onChange, onError);
}

export async function setCharacterPublished(
  client: AiChatClient,
  id: string,
  published: boolean,
): Promise<void> {
  await call(client, "setCharacterPublished", { id, published });
}

/** Deletes the character with its settings, gallery, ratings and files; conversations stay. */
export async function deleteCharacter(client: AiChatClient, id: string): Promise<void> {
  await call(client, "deleteCharacter", { id });
}

export async function refreshCharacterStats(
  client: AiChatClient,
  id: string,
): Promise<CharacterStats> {
  return (await call(client, "refreshCharacterStats", { id })).stats;
}

// ---- gallery -------------------------------------------------------------------------------

/**
 * Uploads a gallery file to `characters/{id}/gallery/{itemId}/{name}` (the folder names the
 * item, which is how the storage rules find its premiumOnly flag) and adds the item.
 */
export async function uploadGalleryItem(
  client: AiChatClient,
  input: {
    characterId: string;
    itemId: string;
    type: GalleryType;
    caption?: string;
    tags?: string[];
    premiumOnly?: boolean;
  },
  data: Blob | Uint8Array | ArrayBuffer,
  options: UploadOptions,
): Promise<AddGalleryItemOutput> {
  const storagePath = `${storageFolders.gallery(input.characterId)}${input.itemId}/${options.name}`;
  await uploadToPath(client, storagePath, data, options);
  return addGalleryItem(client, {
    characterId: input.characterId,
    type: input.type,
    storagePath,
    ...(input.caption !== undefined ? { caption: input.caption } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    ...(input.premiumOnly !== undefined ? { premiumOnly: input.premiumOnly } : {}),
  });
}

/** Adds a gallery item for a file already in Storage under `characters/{id}/gallery/`. */
export function addGalleryItem(
  client: AiChatClient,
  input: CallableInput<"addGalleryItem">,
): Promise<AddGalleryItemOutput> {
  return call(client, "addGalleryItem", input);
}

export async function removeGalleryItem(
  client: AiChatClient,
  characterId: string,
  itemId: string,
): Promise<void> {
  await call(client, "removeGalleryItem", { characterId, itemId });
}

// ---- character cards -------------------------------------------------------------------------

/**
 * A card to import: its JSON (the text of a `.json` card file, or the object it parses to)
 * or a PNG card's bytes (or their base64).
 */
export type CardSource =
  | { json: string | Record<string, unknown> }
  | { png: Uint8Array | ArrayBuffer }
  | { pngBase64: string };

/**
 * Creates an unpublished character from a Character Card (V1, V2 or V3; JSON up to 2 MB,
 * PNG up to 20 MB). The callable takes the JSON as a string; an object is sent as its JSON.
 */
export function importCharacterCard(
  client: AiChatClient,
  card: CardSource,
  options: { id?: string } = {},
): Promise<ImportCardOutput> {
  const id = options.id ? { id: options.id } : {};
  if ("json" in card) {
    const json = typeof card.json === "string" ? card.json : JSON.stringify(card.json);
    return call(client, "importCharacterCard", { json, ...id });
  }
  const pngBase64 = "png" in card ? bytesToBase64(card.png) : card.pngBase64;
  return call(client, "importCharacterCard", { pngBase64, ...id });
}

/**
 * Exports a character as a Character Card: `json` is a V2 card as JSON text (save it as a
 * `.json` file, or JSON.parse it); `png` the bytes of a PNG card carrying V2 (`chara`) and
 * V3 (`ccv3`) chunks, with the avatar as its image when Storage has it.
 */
export async function exportCharacterCard(
  client: AiChatClient,
  id: string,
  format: "json",
): Promise<{ id: string; json: string }>;
export async function exportCharacterCard(
  client: AiChatClient,
  id: string,
  format: "png",
): Promise<{ id: string; png: Uint8Array }>;
export async function exportCharacterCard(
  client: AiChatClient,
  id: string,
  format: "json" | "png",
): Promise<{ id: string; json: string } | { id: string; png: Uint8Array }> {
  const exported = await call(client, "exportCharacterCard", { id, format });
  if ("json" in exported) return exported;
  return { id: exported.id, png: base64ToBytes(exported.pngBase64) };
}

function bytesToBase64(data: Uint8Array | ArrayBuffer): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = "";
  // In chunks: String.fromCharCode with millions of arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---- accounts --------------------------------------------------------------------------------

/** Grants or removes the admin role (an admin cannot remove their own). Audited. */
export async function setUserRole(client: AiChatClient, uid: string, role: Role): Promise<void> {
  await call(client, "setUserRole", { uid, role });
}

/**
 * Sets premium until a date (`null` revokes), or adds (or with a negative number removes)
 * days from the current expiry. Returns the new expiry. Audited.
 */
export async function setPremium(
  client: AiChatClient,
  uid: string,
  change: { until: Date | null } | { addDays: number },
): Promise<Date | null> {
  const input =
    "addDays" in change
      ? { uid, addDays: change.addDays }
      : { uid, premiumUntil: change.until === null ? null : change.until.toISOString() };
  const { premiumUntil } = await call(client, "setPremium", input);
  return premiumUntil === null ? null : new Date(premiumUntil);
}

/** Exempts an account from the per-minute message limit (its free tier still applies). */
export async function setRateLimitExempt(
  client: AiChatClient,
  uid: string,
  exempt: boolean,
): Promise<void> {
  await call(client, "setRateLimitExempt", { uid, exempt });
}

// ---- AI ------------------------------------------------------------------------------------

/**
 * Tokens and cost from `from` to `to` (`YYYY-MM-DD`, at most 31 days): totals, per day, and
 * the top 20 users and characters by cost.
 */
export function aiUsageStats(client: AiChatClient, from: string, to: string): Promise<UsageReport> {
  return call(client, "aiUsageStats", { from, to });
}

/** Tries a character's AI settings on one message without a conversation; nothing is stored. */
export function testGeneration(
  client: AiChatClient,
  characterId: string,
  message: string,
): Promise<TestGenerationOutput> {
  return call(client, "testGeneration", { characterId, message });
}

// ---- announcements --------------------------------------------------------------------------

/** A new announcement's id; every retry of the same announcement must send the same one. */
export function newAnnouncementId(): string {
  const random = Array.from({ length: 16 }, () => Math.floor(Math.random() * 36).toString(36));
  return `${Date.now().toString(36)}-${random.join("")}`;
}

/**
 * Sends an announcement (a notification) to every active account, or to premium members.
 * Resolves once it is under way (`status: "sending"`; watchAnnouncement follows it). A
 * connection lost before the answer is retried with the same id, which never sends twice.
 */
export async function sendAnnouncement(
  client: AiChatClient,
  announcement: Omit<SendAnnouncementInput, "announcementId"> & { announcementId?: string },
): Promise<SendAnnouncementOutput> {
  const input = {
    ...announcement,
    announcementId: announcement.announcementId ?? newAnnouncementId(),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(client, "sendAnnouncement", input);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "unavailable" || attempt === 3)
        throw error;
    }
  }
}

/** How far an announcement has been delivered, live; null until it exists. */
export function watchAnnouncement(
  client: AiChatClient,
  announcementId: string,
  onChange: (progress: WithId<FanoutProgress> | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(
    typedDoc(
      client,
      paths.notificationJob(announcementJobId(announcementId)),
      fanoutProgressSchema,
    ),
    onChange,
    onError,
  );
}
