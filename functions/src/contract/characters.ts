// The character data model: what clients read (`characters/{id}`) and what only admins and
// functions read (`characters/{id}/private/ai`). Pure: zod only.
import { z } from "zod";
import { TRAITS, type Trait } from "./traits";

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
  lastActiveAt: z.number().int().min(0).nullable(),
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
};

/** A whole character as admins create it: public profile plus private AI settings. */
export const characterInputSchema = z.strictObject({
  profile: characterProfileSchema,
  ai: aiSettingsSchema.default(aiSettingsSchema.parse({})),
});
export type CharacterInput = z.infer<typeof characterInputSchema>;
