// Our own fields that Character Cards have no place for travel in the card's `extensions`
// under keys of ours, so that a card this app exports comes back whole. Pure: zod only.
import { z } from "zod";
import {
  aiSettingsSchema,
  characterProfileSchema,
  personalitySchema,
} from "../../contract/characters";

/** Personality, tagline, access and AI settings: see `aichatExtensionSchema`. */
export const AICHAT_KEY = "aichat";
/** V3-only card fields, carried inside V2 cards and kept on the stored profile. */
export const CARRIED_V3_KEY = "aichat_ccv3";

const profile = characterProfileSchema.shape;
const ai = aiSettingsSchema.shape;

// Built from the model's own fields, so the limits are the model's. Every field is optional:
// a missing one takes the model's default.
export const aichatExtensionSchema = z.strictObject({
  tagline: profile.tagline.unwrap().optional(),
  premiumOnly: profile.premiumOnly.unwrap().optional(),
  /** Honoured only when the importer trusts the card (the seed loader does). */
  published: profile.published.unwrap().optional(),
  personality: personalitySchema.optional(),
  ai: z
    .strictObject({
      model: ai.model.unwrap().optional(),
      temperature: ai.temperature.unwrap().optional(),
      maxTokens: ai.maxTokens.unwrap().optional(),
      contextWindow: ai.contextWindow.unwrap().optional(),
      knowledgeBudgetTokens: ai.knowledgeBudgetTokens.unwrap().optional(),
      restrictedTopics: ai.restrictedTopics.unwrap().optional(),
    })
    .optional(),
});
export type AichatExtension = z.output<typeof aichatExtensionSchema>;
