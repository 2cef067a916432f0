// The spec's /api/ai routes as callables: status, models, cost estimate, admin test
// generation and usage statistics.
import type { CallableRequest } from "firebase-functions/v2/https";
import { z } from "zod";
import { readSettings } from "../config";
import { aiSettingsSchema, characterProfileSchema } from "../contract/characters";
import { enforceRateLimit } from "../limits/rate-limit";
import { fail, parseInput, requireAdmin, requireAuth } from "../shared/callable";
import { describeFeatures } from "../shared/features";
import { db } from "../shared/firebase";
import { estimateCost as estimate } from "./core/cost-estimate";
import { costOf, knownModels } from "./core/models";
import { offlineReply } from "./core/offline-responder";
import { assemblePrompt, PromptBudgetError } from "./core/prompt";
import { OFFLINE_MODEL, stripServerFields } from "./generate";
import { complete, ProviderError } from "./provider";
import { dayRange, usageReport, type UsageRow } from "./usage-report";

export function aiStatus(request: CallableRequest<unknown>) {
  requireAuth(request);
  parseInput(z.strictObject({}), request.data);
  const settings = readSettings();
  const openai = describeFeatures(settings).openai;
  return {
    enabled: openai.enabled,
    mode: openai.enabled ? "provider" : "offline-responder",
    defaultModel: openai.enabled ? settings.openAiModel : OFFLINE_MODEL,
    moderation: openai.enabled,
    ...(openai.reason ? { reason: openai.reason } : {}),
  };
}

export function listModels(request: CallableRequest<unknown>) {
  requireAuth(request);
  parseInput(z.strictObject({}), request.data);
  return {
    models: knownModels().map((model) => ({
      id: model.id,
      contextWindow: model.contextWindow,
      maxOutputTokens: model.maxOutputTokens,
      vision: model.vision,
      pricePerMillionTokens: model.price,
    })),
  };
}

const estimateInput = z.strictObject({
  text: z.string().min(1).max(20_000),
  model: z.string().min(1).max(100).optional(),
  expectedReplyTokens: z.number().int().min(0).max(16_000).default(400),
});

export async function estimateCost(request: CallableRequest<unknown>) {
  const caller = requireAuth(request);
  const input = parseInput(estimateInput, request.data);
  await enforceRateLimit(caller.uid, "costEstimate");
  const model = input.model ?? readSettings().openAiModel;
  return { model, ...estimate(input.text, model, input.expectedReplyTokens) };
}

const testInput = z.strictObject({
  characterId: z.string().min(1).max(64),
  message: z.string().min(1).max(5000),
});

/** Admins try a character's AI settings without a conversation; nothing is stored. */
export async function testGeneration(request: CallableRequest<unknown>) {
  const admin = requireAdmin(request);
  const input = parseInput(testInput, request.data);
  await enforceRateLimit(admin.uid, "aiTest");
  const character = db().collection("characters").doc(input.characterId);
  const [profileSnap, aiSnap] = await Promise.all([
    character.get(),
    character.collection("private").doc("ai").get(),
  ]);
  if (!profileSnap.exists) fail("character_not_found");
  const profile = characterProfileSchema.parse(stripServerFields(profileSnap.data()));
  const ai = aiSettingsSchema.parse(stripServerFields(aiSnap.data()));
  const settings = readSettings();
  if (!settings.openAiApiKey) {
    const reply = offlineReply({ profile, userName: "Admin", userText: input.message });
    return { text: reply.text, model: OFFLINE_MODEL, usage: null, costUsd: 0, promptTokens: 0 };
  }
  const model = ai.model || settings.openAiModel;
  let prompt;
  try {
    prompt = assemblePrompt({
      profile,
      ai,
      userName: "Admin",
      summary: "",
      recentTurns: [],
      newMessage: { role: "user", text: input.message },
      model,
    });
  } catch (error) {
    if (error instanceof PromptBudgetError) fail("prompt_budget", error.message);
    throw error;
  }
  try {
    const result = await complete(
      { model, messages: prompt.messages, temperature: ai.temperature, maxTokens: ai.maxTokens },
      settings,
    );
    return {
      text: result.text,
      model: result.model,
      usage: result.usage,
      costUsd: result.usage ? costOf(result.model, result.usage).usd : 0,
      promptTokens: prompt.promptTokens,
    };
  } catch (error) {
    if (error instanceof ProviderError)
      fail("model_unavailable", `The model could not answer (${error.kind}).`);
    throw error;
  }
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const statsInput = z.strictObject({
  from: z.string().regex(dayPattern, "must be YYYY-MM-DD"),
  to: z.string().regex(dayPattern, "must be YYYY-MM-DD"),
});

/** Tokens and cost per day, per user and per character (the spec's GET /api/ai/usage). */
export async function aiUsageStats(request: CallableRequest<unknown>) {
  requireAdmin(request);
  const input = parseInput(statsInput, request.data);
  const days = dayRange(input.from, input.to);
  if (!days) fail("invalid_input", "to: must be on or after from, at most 31 days later");
  const rows: UsageRow[] = [];
  for (const day of days) {
    const snapshot = await db().collection("aiUsageDaily").where("day", "==", day).get();
    for (const doc of snapshot.docs) {
      const row = usageRowSchema.safeParse(doc.data());
      if (row.success) rows.push(row.data);
    }
  }
  return usageReport(rows);
}

const usageRowSchema = z.object({
  day: z.string(),
  scope: z.string(),
  id: z.string(),
  replies: z.number().default(0),
  promptTokens: z.number().default(0),
  completionTokens: z.number().default(0),
  cachedTokens: z.number().default(0),
  costUsd: z.number().default(0),
});
