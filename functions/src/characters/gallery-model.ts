// Gallery items: what an admin supplies and what is stored at characters/{id}/gallery/{itemId}.
// Pure: zod only.
import { z } from "zod";
import { characterIdSchema, documentIdSchema } from "./admin-input";
import { characterProfileSchema } from "./model";

export const GALLERY_TYPES = ["image", "video", "audio"] as const;
export type GalleryType = (typeof GALLERY_TYPES)[number];

/** The same tag rule as character tags. */
const tagsSchema = characterProfileSchema.shape.tags;

/** Where a character's gallery media lives in Cloud Storage (the media pipeline watches it). */
export function galleryFolder(characterId: string): string {
  return `characters/${characterId}/gallery/`;
}

const storagePathSchema = z
  .string()
  .min(1)
  .max(512)
  .refine(
    (path) =>
      path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".."),
    "must not have empty, '.' or '..' segments",
  );

export const addGalleryItemInput = z
  .strictObject({
    characterId: characterIdSchema,
    type: z.enum(GALLERY_TYPES),
    storagePath: storagePathSchema,
    caption: z.string().max(500).default(""),
    tags: tagsSchema,
    premiumOnly: z.boolean().default(false),
  })
  .superRefine((input, context) => {
    const folder = galleryFolder(input.characterId);
    if (!input.storagePath.startsWith(folder) || input.storagePath.length === folder.length) {
      context.addIssue({
        code: "custom",
        path: ["storagePath"],
        message: `must be a file under ${folder}`,
      });
    }
  });
export type AddGalleryItemInput = z.infer<typeof addGalleryItemInput>;

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

export const removeGalleryItemInput = z.strictObject({
  characterId: characterIdSchema,
  itemId: documentIdSchema,
});

/** The stored item, less `createdAt` (a server timestamp the caller adds). */
export interface GalleryItemFields {
  type: GalleryType;
  storagePath: string;
  caption: string;
  tags: string[];
  premiumOnly: boolean;
  /** Variant name -> object path, filled in by the media pipeline. */
  variants: Record<string, string>;
  /** Refreshed from the view shards; see VIEW_COUNT_REFRESH_MS. */
  viewCount: number;
  viewCountRefreshedAtMs: number | null;
}

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
