// Gallery items: the id an item takes from its folder, and the fields a new item starts with.
// The schemas are in contract/characters.ts. Pure: no Firebase imports.
import { galleryFolder, type AddGalleryItemInput, type GalleryItem } from "../contract/characters";

/**
 * Gallery files belong at `characters/{id}/gallery/{itemId}/{file}`: storage.rules find the
 * item (and its premiumOnly flag) from that folder name, so the item takes it as its id.
 * A file directly under `gallery/` gets a generated id.
 */
export function itemIdFromStoragePath(characterId: string, storagePath: string): string | null {
  const rest = storagePath.slice(galleryFolder(characterId).length).split("/");
  const [folder] = rest;
  if (rest.length < 2 || !folder || !/^[A-Za-z0-9_-]{1,128}$/.test(folder)) return null;
  return folder;
}

/** The stored item, less `createdAt` (a server timestamp the caller adds). */
export type GalleryItemFields = Omit<GalleryItem, "createdAt">;

export function newGalleryItem(input: AddGalleryItemInput): GalleryItemFields {
  return {
    type: input.type,
    storagePath: input.storagePath,
    caption: input.caption,
    tags: input.tags,
    premiumOnly: input.premiumOnly,
    variants: {},
    viewCount: 0,
    viewCountRefreshedAtMs: null,
  };
}
