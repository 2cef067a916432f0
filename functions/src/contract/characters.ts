// The character data model: what clients read (`characters/{id}`, its gallery, ratings and
// view markers), what only admins and functions read (`characters/{id}/private/ai`), the
// listing queries apps run, and the character admin callables' inputs and outputs.
// Pure: zod only.
import { z } from "zod";
import { timestampSchema } from "./timestamp.js";
import { TRAITS, type Trait } from "./traits.js";

// ---- ids ----------------------------------------------------------------------------------

export const MAX_ID_LENGTH = 64;

/** Character ids are lowercase slugs: `luna-stargazer`. They appear in paths and conversation ids. */
export const characterIdSchema = z
  .string()
  .min(2, "must be at least 2 characters")
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    "must be a lowercase slug: letters a-z, digits and single hyphens",
  );

/** Firestore auto ids and similar: letters, digits, `_` and `-`. */
export const documentIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "is not a valid id");

// ---- the character -------------------------------------------------------------------------

export const TONES = [
  "warm",
  "playful",
  "neutral",
  "serious",
  "sarcastic",
  "mysterious",
  "romantic",
  "dramatic",
] as const;

const text = (max: number) => z.string().max(max);
const level = z.number().int().min(0).max(10);
const tag = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9 _-]*$/, "tags are lowercase letters, digits, space, _ or -");

export const traitSchema = z.enum(TRAITS as [Trait, ...Trait[]]);

/** The names a character card's `{{char}}` and `{{user}}` placeholders stand for. */
export interface PlaceholderNames {
  char: string;
  user: string;
}

/**
 * Replaces the `{{char}}` and `{{user}}` placeholders character cards use. The prompts and the
 * character page both fill them with this, so a reader sees the text the character is given.
 */
export function fillPlaceholders(text: string, names: PlaceholderNames): string {
  return text.replace(/\{\{\s*(char|user)\s*\}\}/gi, (_match, which: string) =>
    which.toLowerCase() === "char" ? names.char : names.user,
  );
}

export const personalitySchema = z.strictObject({
  traits: z.array(traitSchema).max(12).default([]),
  tone: z.enum(TONES).default("neutral"),
  /** 0 very casual ... 10 very formal */
  formality: level.default(5),
  humor: level.default(5),
  empathy: level.default(5),
  creativity: level.default(5),
  confidence: level.default(5),
});
export type Personality = z.infer<typeof personalitySchema>;

export const mediaRefSchema = z.strictObject({
  /** Cloud Storage object path of the original. */
  path: text(512),
  /** Variant name -> object path, filled in by the image pipeline. */
  variants: z.record(z.string(), text(512)).default({}),
});
export type MediaRef = z.infer<typeof mediaRefSchema>;

/** The fields an admin supplies; stats and timestamps are the server's. */
export const characterProfileSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  nickname: text(80).default(""),
  tagline: text(160).default(""),
  description: text(8000).default(""),
  avatar: mediaRefSchema.nullable().default(null),
  tags: z.array(tag).max(20).default([]),
  greeting: text(4000).default(""),
  alternateGreetings: z.array(text(4000)).max(20).default([]),
  groupOnlyGreetings: z.array(text(4000)).max(20).default([]),
  exampleDialogue: text(8000).default(""),
  scenario: text(4000).default(""),
  personality: personalitySchema.default({
    traits: [],
    tone: "neutral",
    formality: 5,
    humor: 5,
    empathy: 5,
    creativity: 5,
    confidence: 5,
  }),
  /** Free text from a character card's `personality` field. */
  personalitySummary: text(4000).default(""),
  premiumOnly: z.boolean().default(false),
  published: z.boolean().default(false),
  creator: text(120).default(""),
  creatorNotes: text(4000).default(""),
  characterVersion: text(40).default(""),
  /** Card `extensions`, kept verbatim (the card specs forbid dropping unknown keys). */
  extensions: z.record(z.string(), z.unknown()).default({}),
});
export type CharacterProfile = z.infer<typeof characterProfileSchema>;

export const knowledgeEntrySchema = z.strictObject({
  id: z.string().min(1).max(64),
  /** Activation keywords, matched case-insensitively against recent messages. */
  keys: z.array(z.string().min(1).max(100)).max(50).default([]),
  content: z.string().min(1).max(4000),
  enabled: z.boolean().default(true),
  /** Always inserted, whatever the keywords. */
  constant: z.boolean().default(false),
  insertionOrder: z.number().int().min(-10000).max(10000).default(100),
  /** Higher wins when the knowledge budget cannot hold every active entry. */
  priority: z.number().int().min(-10000).max(10000).default(10),
  name: text(120).default(""),
  /** Unmapped lorebook entry fields, kept for export. */
  extensions: z.record(z.string(), z.unknown()).default({}),
});
export type KnowledgeEntry = z.infer<typeof knowledgeEntrySchema>;

export const aiSettingsSchema = z.strictObject({
  /** Empty: the deployment's default model (OPENAI_MODEL). */
  model: text(100).default(""),
  temperature: z.number().min(0).max(2).default(0.8),
  maxTokens: z.number().int().min(16).max(4096).default(400),
  contextWindow: z.number().int().min(1024).max(1_000_000).default(8192),
  systemPromptOverride: text(8000).default(""),
  postHistoryInstructions: text(4000).default(""),
  knowledgeBase: z.array(knowledgeEntrySchema).max(500).default([]),
  /** Token budget for activated knowledge entries. */
  knowledgeBudgetTokens: z.number().int().min(0).max(32000).default(800),
  restrictedTopics: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** Lorebook-level fields from a card (name, scan depth...), kept for export. */
  lorebook: z.record(z.string(), z.unknown()).default({}),
});
export type AiSettings = z.infer<typeof aiSettingsSchema>;

export const characterStatsSchema = z.strictObject({
  conversations: z.number().int().min(0),
  messages: z.number().int().min(0),
  ratingCount: z.number().int().min(0),
  ratingSum: z.number().int().min(0),
  ratingAverage: z.number().min(0).max(5),
  popularity: z.number().min(0),
  /** The character's last reply (or new conversation), epoch ms, as of the last rollup. */
  lastActiveAt: z.number().int().min(0).nullable(),
  /** Users following the character (stats written before follows existed read as 0). */
  followers: z.number().int().min(0).default(0),
});
export type CharacterStats = z.infer<typeof characterStatsSchema>;

export const EMPTY_STATS: CharacterStats = {
  conversations: 0,
  messages: 0,
  ratingCount: 0,
  ratingSum: 0,
  ratingAverage: 0,
  popularity: 0,
  lastActiveAt: null,
  followers: 0,
};

/** A whole character as admins create it: public profile plus private AI settings. */
export const characterInputSchema = z.strictObject({
  profile: characterProfileSchema,
  ai: aiSettingsSchema.default(aiSettingsSchema.parse({})),
});
export type CharacterInput = z.infer<typeof characterInputSchema>;

/**
 * How many gallery items the character has, kept by the gallery callables: a free user cannot
 * read premium-only items, so this is how an app shows that they exist (locked).
 */
export const galleryCountsSchema = z.object({
  // Each count is incremented on its own (`galleryCounts.premium`), so a character whose
  // items are all of one kind has never had the other field written.
  free: z.number().int().default(0),
  premium: z.number().int().default(0),
});
export type GalleryCounts = z.infer<typeof galleryCountsSchema>;
export const EMPTY_GALLERY_COUNTS: GalleryCounts = { free: 0, premium: 0 };

/**
 * characters/{id} as clients read it: the public profile, its stats and timestamps. Unknown
 * keys are dropped, so a newer server field never breaks an older app.
 */
export const characterSchema = z.object({
  ...characterProfileSchema.shape,
  stats: characterStatsSchema.default(EMPTY_STATS),
  galleryCounts: galleryCountsSchema.default(EMPTY_GALLERY_COUNTS),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
});
export type Character = z.infer<typeof characterSchema>;

/** The limits of a character card an admin imports. */
export const MAX_CARD_JSON_BYTES = 2 * 1024 * 1024;
export const MAX_PNG_BYTES = 20 * 1024 * 1024;

// ---- gallery, ratings, views -------------------------------------------------------------------

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

export const removeGalleryItemInput = z.strictObject({
  characterId: characterIdSchema,
  itemId: documentIdSchema,
});

/** characters/{id}/gallery/{itemId}: one image, video or audio file of the character. */
export const galleryItemSchema = z.object({
  type: z.enum(GALLERY_TYPES),
  storagePath: z.string(),
  caption: z.string(),
  tags: z.array(z.string()),
  premiumOnly: z.boolean(),
  /** Variant name -> object path, filled in by the media pipeline. */
  variants: z.record(z.string(), z.string()),
  /** Refreshed from the view shards about once a minute, so it lags a little. */
  viewCount: z.number().int().min(0),
  viewCountRefreshedAtMs: z.number().nullable(),
  createdAt: timestampSchema.optional(),
});
export type GalleryItem = z.infer<typeof galleryItemSchema>;

/** characters/{id}/ratings/{uid}: one rating per user, written by the user. */
export const ratingSchema = z.object({
  uid: z.string(),
  stars: z.number().int().min(1).max(5),
  updatedAt: timestampSchema.optional(),
});
export type Rating = z.infer<typeof ratingSchema>;

/** characters/{id}/gallery/{itemId}/views/{uid}: created once by the viewer, never changed. */
export const galleryViewSchema = z.object({
  uid: z.string(),
  viewedAt: timestampSchema.optional(),
});
export type GalleryView = z.infer<typeof galleryViewSchema>;

// ---- listing queries -------------------------------------------------------------------------

// The queries client apps run to list characters and gallery items, described as data so that
// the client library, docs, end-to-end tests and the index check all use the same shapes.
export interface QueryShape {
  /** Collection id (a subcollection for gallery queries). */
  collection: "characters" | "gallery";
  /** Fields filtered with `==`. */
  equality: string[];
  /** A field filtered with `array-contains`, if any. */
  arrayContains?: string;
  orderBy: { field: string; direction: "asc" | "desc" }[];
}

const popular = { field: "stats.popularity", direction: "desc" } as const;
const newest = { field: "createdAt", direction: "desc" } as const;

/** Published characters, most popular first; cursors with startAfter(lastSnapshot). */
export const CHARACTER_QUERIES = {
  popular: { collection: "characters", equality: ["published"], orderBy: [popular] },
  byTag: {
    collection: "characters",
    equality: ["published"],
    arrayContains: "tags",
    orderBy: [popular],
  },
  byTrait: {
    collection: "characters",
    equality: ["published"],
    arrayContains: "personality.traits",
    orderBy: [popular],
  },
} as const satisfies Record<string, QueryShape>;

/**
 * A character's gallery, newest first. Free users must filter `premiumOnly == false` (the rules
 * refuse a query that could return premium items); premium users and admins may list all.
 */
export const GALLERY_QUERIES = {
  free: { collection: "gallery", equality: ["premiumOnly"], orderBy: [newest] },
  freeByType: { collection: "gallery", equality: ["type", "premiumOnly"], orderBy: [newest] },
  all: { collection: "gallery", equality: [], orderBy: [newest] },
  allByType: { collection: "gallery", equality: ["type"], orderBy: [newest] },
} as const satisfies Record<string, QueryShape>;

// ---- admin callables ------------------------------------------------------------------------

export const createCharacterInput = z.strictObject({
  id: characterIdSchema.optional(),
  profile: characterProfileSchema,
  ai: aiSettingsSchema.default(aiSettingsSchema.parse({})),
});
export type CreateCharacterInput = z.infer<typeof createCharacterInput>;

/**
 * A profile patch. Publishing has its own callable (and audit action), so `published` is not
 * accepted here. The parsed value is used only to validate: zod fills defaults for absent
 * keys, so the merge reads the keys the caller actually sent (see `mergeProfile`).
 */
const profilePatchSchema = characterProfileSchema
  .omit({ published: true })
  .extend({ personality: personalitySchema.partial() })
  .partial();

const aiPatchSchema = aiSettingsSchema.partial();

export const updateCharacterInput = z.strictObject({
  id: characterIdSchema,
  profile: profilePatchSchema.optional(),
  ai: aiPatchSchema.optional(),
});

export const updateAiSettingsInput = z.strictObject({
  id: characterIdSchema,
  ai: aiPatchSchema,
});

export const updateCharacterOutput = z.object({
  id: z.string(),
  /** The fields that changed, e.g. `profile.name`, `ai.temperature`; empty when none did. */
  changed: z.array(z.string()),
});
export type UpdateCharacterOutput = z.infer<typeof updateCharacterOutput>;

export const createCharacterOutput = z.object({ id: z.string() });
export type CreateCharacterOutput = z.infer<typeof createCharacterOutput>;

export const characterRefInput = z.strictObject({ id: characterIdSchema });

export const setPublishedInput = z.strictObject({ id: characterIdSchema, published: z.boolean() });

/** Base64 of a PNG at most MAX_PNG_BYTES long (4 characters per 3 bytes, plus padding). */
const MAX_PNG_BASE64 = Math.ceil(MAX_PNG_BYTES / 3) * 4 + 64;

export const importCardInput = z
  .strictObject({
    json: z.string().min(1).max(MAX_CARD_JSON_BYTES, "the card is larger than 2 MB").optional(),
    pngBase64: z
      .string()
      .min(1)
      .max(MAX_PNG_BASE64, `the PNG is larger than ${MAX_PNG_BYTES / (1024 * 1024)} MB`)
      .optional(),
    id: characterIdSchema.optional(),
  })
  .superRefine((input, context) => {
    const given = [input.json, input.pngBase64].filter((value) => value !== undefined).length;
    if (given !== 1) {
      context.addIssue({
        code: "custom",
        path: [input.json === undefined ? "json" : "pngBase64"],
        message: "give exactly one of json or pngBase64",
      });
    }
  });

export const exportCardInput = z.strictObject({
  id: characterIdSchema,
  format: z.enum(["json", "png"]),
});

export const setPublishedOutput = z.object({ id: z.string(), published: z.boolean() });
export type SetPublishedOutput = z.infer<typeof setPublishedOutput>;

export const deleteCharacterOutput = z.object({ id: z.string(), deleted: z.literal(true) });
export type DeleteCharacterOutput = z.infer<typeof deleteCharacterOutput>;

export const refreshCharacterStatsOutput = z.object({
  id: z.string(),
  stats: characterStatsSchema,
});
export type RefreshCharacterStatsOutput = z.infer<typeof refreshCharacterStatsOutput>;

export const importCardOutput = z.object({
  id: z.string(),
  name: z.string(),
  /** Imported characters start unpublished. */
  published: z.boolean(),
  knowledgeEntries: z.number().int(),
  /** Whether the card's image became the avatar (false where Storage does not run). */
  avatarStored: z.boolean(),
});
export type ImportCardOutput = z.infer<typeof importCardOutput>;

/** `json` is the V2 card as JSON text; `pngBase64` a PNG card (V2 and V3 chunks), base64. */
export const exportCardOutput = z.union([
  z.object({ id: z.string(), json: z.string() }),
  z.object({ id: z.string(), pngBase64: z.string() }),
]);
export type ExportCardOutput = z.infer<typeof exportCardOutput>;

export const addGalleryItemOutput = z.object({ characterId: z.string(), itemId: z.string() });
export type AddGalleryItemOutput = z.infer<typeof addGalleryItemOutput>;

export const removeGalleryItemOutput = z.object({
  characterId: z.string(),
  itemId: z.string(),
  removed: z.literal(true),
});
export type RemoveGalleryItemOutput = z.infer<typeof removeGalleryItemOutput>;
