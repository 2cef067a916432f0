// The spec's /api/ai routes as callables: status, models, cost estimate, admin test
// generation and usage statistics.
import type { CallableRequest } from "firebase-functions/v2/https";
import { readSettings } from "../config";
import {
  aiStatusInput,
  aiUsageDailySchema,
  aiUsageStatsInput,
  estimateCostInput,
  listModelsInput,
  testGenerationInput,
  type AiStatusOutput,
  type EstimateCostOutput,
  type ListModelsOutput,
  type TestGenerationOutput,
  type UsageReport,
  type UsageRow,
} from "../contract/ai";
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
import { dayRange, usageReport } from "./usage-report";

export function aiStatus(request: CallableRequest<unknown>): AiStatusOutput {
  requireAuth(request);
  parseInput(aiStatusInput, request.data);
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

export function listModels(request: CallableRequest<unknown>): ListModelsOutput {
  requireAuth(request);
  parseInput(listModelsInput, request.data);
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

export async function estimateCost(request: CallableRequest<unknown>): Promise<EstimateCostOutput> {
  const caller = requireAuth(request);
  const input = parseInput(estimateCostInput, request.data);
  await enforceRateLimit(caller.uid, "costEstimate");
  const model = input.model ?? readSettings().openAiModel;
  return { model, ...estimate(input.text, model, input.expectedReplyTokens) };
}

/** Admins try a character's AI settings without a conversation; nothing is stored. */
export async function testGeneration(
  request: CallableRequest<unknown>,
): Promise<TestGenerationOutput> {
  const admin = requireAdmin(request);
  const input = parseInput(testGenerationInput, request.data);
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

/** Tokens and cost per day, per user and per character (the spec's GET /api/ai/usage). */
export async function aiUsageStats(request: CallableRequest<unknown>): Promise<UsageReport> {
  requireAdmin(request);
  const input = parseInput(aiUsageStatsInput, request.data);
  const days = dayRange(input.from, input.to);
  if (!days) fail("invalid_input", "to: must be on or after from, at most 31 days later");
  const rows: UsageRow[] = [];
  for (const day of days) {
    const snapshot = await db().collection("aiUsageDaily").where("day", "==", day).get();
    for (const doc of snapshot.docs) {
      const row = aiUsageDailySchema.safeParse(doc.data());
      if (row.success) rows.push(row.data);
    }
  }
  return usageReport(rows);
}
