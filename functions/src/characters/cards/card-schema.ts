// The shapes of Character Card files (V1, V2 `chara_card_v2`, V3 `chara_card_v3`) as this app
// accepts them, and the one normalised shape every version is read into. Card text is only
// ever stored as data. Pure: zod only.
import { z } from "zod";

/** Absent and null both read as "not given": many tools write null for empty fields. */
const optionalText = z.string().nullish();
const optionalTextList = z.array(z.string()).nullish();
const record = z.record(z.string(), z.unknown());

/** Lorebook entry. Fields not listed are kept as they are and written back on export. */
export const cardEntrySchema = z.looseObject({
  keys: optionalTextList,
  content: z.string(),
  extensions: record.nullish(),
  enabled: z.boolean().nullish(),
  insertion_order: z.number().nullish(),
  constant: z.boolean().nullish(),
  name: optionalText,
  priority: z.number().nullish(),
  // V2 says number, V3 says string; both occur.
  id: z.union([z.number(), z.string()]).nullish(),
});
export type CardEntry = z.output<typeof cardEntrySchema>;

export const cardBookSchema = z.looseObject({
  name: optionalText,
  description: optionalText,
  scan_depth: z.number().nullish(),
  token_budget: z.number().nullish(),
  recursive_scanning: z.boolean().nullish(),
  extensions: record.nullish(),
  entries: z.array(cardEntrySchema),
});
export type CardBook = z.output<typeof cardBookSchema>;

export const cardAssetSchema = z.looseObject({
  type: z.string(),
  uri: z.string(),
  name: z.string(),
  ext: z.string(),
});

/** The V3-only fields that have no column of their own in our model. */
export const v3ExtrasSchema = z.strictObject({
  assets: z.array(cardAssetSchema).optional(),
  creation_date: z.number().optional(),
  modification_date: z.number().optional(),
  source: z.array(z.string()).optional(),
  creator_notes_multilingual: z.record(z.string(), z.string()).optional(),
});
export type V3Extras = z.output<typeof v3ExtrasSchema>;
export const V3_EXTRA_KEYS = [
  "assets",
  "creation_date",
  "modification_date",
  "source",
  "creator_notes_multilingual",
] as const;

/**
 * What a V2 card exported by this app carries under `extensions.aichat_ccv3`: the V3 fields a
 * V2 card has no place for, so a V3 character survives a trip through V2 JSON.
 */
export const carriedV3Schema = v3ExtrasSchema.extend({
  nickname: z.string().optional(),
  group_only_greetings: z.array(z.string()).optional(),
});
export type CarriedV3 = z.output<typeof carriedV3Schema>;

export const v1CardSchema = z.looseObject({
  name: z.string(),
  description: optionalText,
  personality: optionalText,
  scenario: optionalText,
  first_mes: optionalText,
  mes_example: optionalText,
});

/** `data` of a V2 card; V3 adds to it (see `v3DataSchema`). */
export const v2DataSchema = z.looseObject({
  name: z.string(),
  description: optionalText,
  personality: optionalText,
  scenario: optionalText,
  first_mes: optionalText,
  mes_example: optionalText,
  creator_notes: optionalText,
  system_prompt: optionalText,
  post_history_instructions: optionalText,
  alternate_greetings: optionalTextList,
  character_book: cardBookSchema.nullish(),
  tags: optionalTextList,
  creator: optionalText,
  character_version: optionalText,
  extensions: record.nullish(),
});

export const v3DataSchema = v2DataSchema.extend({
  nickname: optionalText,
  group_only_greetings: optionalTextList,
  assets: z.array(cardAssetSchema).nullish(),
  creation_date: z.number().nullish(),
  modification_date: z.number().nullish(),
  source: optionalTextList,
  creator_notes_multilingual: z.record(z.string(), z.string()).nullish(),
});

export type CardVersion = 1 | 2 | 3;

/** Any card version, read into one shape: missing text is "", missing lists are []. */
export interface CardData extends V3Extras {
  name: string;
  nickname: string;
  description: string;
  personality: string;
  scenario: string;
  first_mes: string;
  mes_example: string;
  creator_notes: string;
  system_prompt: string;
  post_history_instructions: string;
  alternate_greetings: string[];
  group_only_greetings: string[];
  tags: string[];
  creator: string;
  character_version: string;
  character_book?: CardBook;
  /** Verbatim, less the keys this app reads itself (`aichat_ccv3`). */
  extensions: Record<string, unknown>;
}

export interface CharacterCard {
  /** The version the card was written in. */
  version: CardVersion;
  data: CardData;
  /** The PNG the card came in, without its card chunks. */
  image?: Uint8Array;
}
