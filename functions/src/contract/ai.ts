// The AI callables' inputs and outputs (status, models, cost estimates, admin test generation,
// usage statistics) and the aiUsageDaily documents behind the statistics. Pure: zod only.
import { z } from "zod";
import { tokenUsageSchema } from "./chat.js";
import { emptyInput } from "./common.js";

export const aiStatusInput = emptyInput;
export const aiStatusOutput = z.object({
  enabled: z.boolean(),
  /** `offline-responder`: no OPENAI_API_KEY, replies are the labelled offline responder's. */
  mode: z.enum(["provider", "offline-responder"]),
  defaultModel: z.string(),
  moderation: z.boolean(),
  reason: z.string().optional(),
});
export type AiStatusOutput = z.infer<typeof aiStatusOutput>;

export const listModelsInput = emptyInput;
export const listModelsOutput = z.object({
  models: z.array(
    z.object({
      id: z.string(),
      contextWindow: z.number(),
      maxOutputTokens: z.number(),
      vision: z.boolean(),
      /** US dollars per million tokens. */
      pricePerMillionTokens: z.object({
        input: z.number(),
        cachedInput: z.number().nullable(),
        output: z.number(),
      }),
    }),
  ),
});
export type ListModelsOutput = z.infer<typeof listModelsOutput>;

export const estimateCostInput = z.strictObject({
  text: z.string().min(1).max(20_000),
  model: z.string().min(1).max(100).optional(),
  expectedReplyTokens: z.number().int().min(0).max(16_000).default(400),
});
export const estimateCostOutput = z.object({
  model: z.string(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  usd: z.number(),
  /** False when the model is not in the price table (usd is then 0). */
  priced: z.boolean(),
});
export type EstimateCostOutput = z.infer<typeof estimateCostOutput>;

export const testGenerationInput = z.strictObject({
  characterId: z.string().min(1).max(64),
  message: z.string().min(1).max(5000),
});
export const testGenerationOutput = z.object({
  text: z.string(),
  model: z.string(),
  usage: tokenUsageSchema.nullable(),
  costUsd: z.number(),
  promptTokens: z.number(),
});
export type TestGenerationOutput = z.infer<typeof testGenerationOutput>;

/** aiUsageDaily/{day}_{scope}_{id}_{shard}: tokens and cost of one day, summed by shard. */
export const aiUsageDailySchema = z.object({
  day: z.string(),
  /** `all`, `character` or `user`; `id` is the character's or user's id (`all` for all). */
  scope: z.string(),
  id: z.string(),
  replies: z.number().default(0),
  promptTokens: z.number().default(0),
  completionTokens: z.number().default(0),
  cachedTokens: z.number().default(0),
  costUsd: z.number().default(0),
});
export type UsageRow = z.infer<typeof aiUsageDailySchema>;

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
export const aiUsageStatsInput = z.strictObject({
  from: z.string().regex(dayPattern, "must be YYYY-MM-DD"),
  to: z.string().regex(dayPattern, "must be YYYY-MM-DD"),
});

export const usageTotalsSchema = z.object({
  replies: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  cachedTokens: z.number(),
  costUsd: z.number(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

/** Totals over the days, per day, and the top users and characters by cost. */
export const aiUsageStatsOutput = z.object({
  total: usageTotalsSchema,
  days: z.record(z.string(), usageTotalsSchema),
  users: z.array(z.object({ id: z.string(), totals: usageTotalsSchema })),
  characters: z.array(z.object({ id: z.string(), totals: usageTotalsSchema })),
});
export type UsageReport = z.infer<typeof aiUsageStatsOutput>;
