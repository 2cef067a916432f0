// Free-tier usage and rate-limit windows as clients read them (users/{uid}/usage/{characterId},
// users/{uid}/rateLimits/{bucket}), and the getUsage callable. Only functions write them.
// Pure: zod only.
import { z } from "zod";
import { timestampSchema } from "./timestamp.js";

/** Messages of each type counted against the free tier, per character. */
export const usageSchema = z.object({
  text: z.number().int().min(0).default(0),
  audio: z.number().int().min(0).default(0),
  media: z.number().int().min(0).default(0),
});
export type Usage = z.infer<typeof usageSchema>;

/** A sliding-window log: the times (epoch ms) of the requests accepted in the window. */
export const rateLimitWindowSchema = z.object({
  hits: z.array(z.number()).default([]),
  updatedAt: timestampSchema.optional(),
});
export type RateLimitWindow = z.infer<typeof rateLimitWindowSchema>;

export const getUsageInput = z.strictObject({
  /** One character's usage; all characters the user has used when absent. */
  characterId: z.string().min(1).max(128).optional(),
});

const countsSchema = z.object({ text: z.number(), audio: z.number(), media: z.number() });
/** Null per type means unlimited (premium). */
const remainingSchema = z.object({
  text: z.number().nullable(),
  audio: z.number().nullable(),
  media: z.number().nullable(),
});

export const getUsageOutput = z.object({
  premium: z.boolean(),
  /** ISO 8601 while premium is active, else null. */
  premiumUntil: z.string().nullable(),
  /** The limits that apply to this user per character: the free tier, or null for premium. */
  limits: countsSchema.nullable(),
  /** The free tier per character (30 text, 5 audio, 5 media), premium or not. */
  freeTier: countsSchema,
  characters: z.array(
    z.object({ characterId: z.string(), used: countsSchema, remaining: remainingSchema }),
  ),
});
export type GetUsageOutput = z.infer<typeof getUsageOutput>;
