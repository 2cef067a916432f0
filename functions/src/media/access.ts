// Who may read a Cloud Storage object: the same decisions as the `allow get` lines of
// storage.rules, for the getSignedUrl callable. Pure: the caller fetches the few Firestore
// facts a decision needs (readNeeds) and passes them in.
//
// Areas (anything else is nobody's to read through the client):
//   user-content/{uid}/avatars/{file}          profile pictures: every signed-in user
//   user-content/{uid}/...                     the user's uploads: owner, admins
//   characters/{id}/avatar/...                 signed-in users when the character is
//                                              published; admins always
//   characters/{id}/gallery/{itemId}/...       signed-in users when the gallery item exists
//                                              and is not premium-only; premium users and
//                                              admins always
//   conversations/{uid}_{characterId}/audio/.. spoken replies: the conversation's owner
// Variants live inside their original's folder, so they are readable exactly like it.
import { isWellFormedPath } from "../contract/media";

export type StorageArea =
  | { area: "user"; uid: string }
  | { area: "user-avatar"; uid: string }
  | { area: "avatar"; characterId: string }
  | { area: "gallery"; characterId: string; itemId: string }
  | { area: "conversation-audio"; conversationId: string }
  | { area: "none" };

export interface Viewer {
  uid: string;
  isAdmin: boolean;
}

/** What the decision needs from Firestore, fetched only when readNeeds asks for it. */
export interface ReadFacts {
  /** users/{viewer}.premiumUntil is in the future. */
  premium?: boolean;
  /** characters/{id}.published; false when the character does not exist. */
  characterPublished?: boolean;
  /** characters/{id}/gallery/{itemId}: null when it does not exist. */
  galleryItem?: { premiumOnly: boolean } | null;
}

export interface ReadNeeds {
  premium: boolean;
  character: string | null;
  galleryItem: { characterId: string; itemId: string } | null;
}

export type ReadDecision = { allowed: true } | { allowed: false; reason: string };

/** Firebase Auth uids and Firestore ids used in paths: the same rule as upload-filter.ts. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const CONVERSATION_ID = /^([A-Za-z0-9-]{1,128})_[A-Za-z0-9_-]{1,128}$/;

export function classifyPath(path: string): StorageArea {
  if (!isWellFormedPath(path)) return { area: "none" };
  const [root = "", id = "", scope = "", next = "", ...rest] = path.split("/");
  if (root === "user-content" && ID.test(id) && scope !== "") {
    // Profile pictures (user-content/{uid}/avatars/{file}) are public to signed-in users.
    if (scope === "avatars" && next !== "" && rest.length === 0)
      return { area: "user-avatar", uid: id };
    return { area: "user", uid: id };
  }
  if (root === "characters" && ID.test(id)) {
    if (scope === "avatar" && next !== "") return { area: "avatar", characterId: id };
    // The first segment after gallery/ names the item (gallery/{itemId}/{file}); a file
    // directly in gallery/ names an item that does not exist, so only premium users and
    // admins read it, as the rules do.
    if (scope === "gallery" && next !== "")
      return { area: "gallery", characterId: id, itemId: next };
  }
  if (root === "conversations" && CONVERSATION_ID.test(id) && scope === "audio") {
    if (next !== "" && rest.length === 0) return { area: "conversation-audio", conversationId: id };
  }
  return { area: "none" };
}

export function readNeeds(area: StorageArea, viewer: Viewer | null): ReadNeeds {
  const none: ReadNeeds = { premium: false, character: null, galleryItem: null };
  if (viewer === null || viewer.isAdmin) return none;
  if (area.area === "avatar") return { ...none, character: area.characterId };
  if (area.area === "gallery") {
    return {
      ...none,
      premium: true,
      galleryItem: { characterId: area.characterId, itemId: area.itemId },
    };
  }
  return none;
}

export function decideRead(
  area: StorageArea,
  viewer: Viewer | null,
  facts: ReadFacts = {},
): ReadDecision {
  const deny = (reason: string): ReadDecision => ({ allowed: false, reason });
  if (area.area === "none") return deny("Nobody reads this path through the client.");
  if (viewer === null) return deny("Sign in to read files.");
  switch (area.area) {
    case "user-avatar":
      return { allowed: true };
    case "user":
      return viewer.isAdmin || viewer.uid === area.uid
        ? { allowed: true }
        : deny("These are another user's files.");
    case "avatar":
      return viewer.isAdmin || facts.characterPublished === true
        ? { allowed: true }
        : deny("The character is not published.");
    case "gallery": {
      if (viewer.isAdmin || facts.premium === true) return { allowed: true };
      const item = facts.galleryItem;
      if (item === undefined || item === null) return deny("No gallery item holds this file.");
      return item.premiumOnly
        ? deny("This gallery item is for premium members.")
        : { allowed: true };
    }
    case "conversation-audio":
      return area.conversationId.startsWith(`${viewer.uid}_`)
        ? { allowed: true }
        : deny("This is another user's conversation.");
  }
}
