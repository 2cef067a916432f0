// Produces a claimed reply: moderation, prompt, streamed generation into the reply
// document, output moderation, then one finalizing transaction.
import { logger } from "firebase-functions/v2";
import { readSettings, type Settings } from "../config";
import { aiSettingsSchema, characterProfileSchema } from "../contract/characters";
import { db } from "../shared/firebase";
import { FieldValue } from "../shared/firebase";
import { blockedMessage, moderationInput } from "./core/moderation";
import { contextWindowSchema } from "./core/memory";
import { offlineReply } from "./core/offline-responder";
import { assemblePrompt, PromptBudgetError, type ContextTurn } from "./core/prompt";
import { userFacingFailure, type ErrorKind } from "./core/retry";
import { StreamWriteThrottle } from "./core/stream-throttle";
import { finalizeReply, type FinalOutcome } from "./finalize";
import { chooseReply, attachReplyExtras } from "./reply-extras";
import { moderate, ProviderError, streamCompletion, type StreamOutcome } from "./provider";
import type { UserMessage } from "../contract/chat";
import { contextRef, messagesRef } from "./store";
import { modelSupportsVision } from "./core/models";
import { imageUrlForMessage, withTranscript } from "../media/message-media";

export const OFFLINE_MODEL = "offline-responder";

export interface GenerateJob {
  convId: string;
  messageId: string;
  replyId: string;
  message: UserMessage;
  owner: string;
  premium: boolean;
  userName: string;
  startedAtMs: number;
}

function messageTextForModel(message: UserMessage): string {
  if (message.type === "audio") return message.transcript ?? message.text ?? "";
  return message.text;
}

async function offlineStream(
  profileName: Parameters<typeof offlineReply>[0]["profile"],
  userName: string,
  userText: string,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  const reply = offlineReply({ profile: profileName, userName, userText, chunkCount: 6 });
  let text = "";
  let firstTextAtMs: number | null = null;
  for (const chunk of reply.chunks) {
    if (signal.aborted)
      return {
        text,
        usage: null,
        finishReason: "stopped",
        model: OFFLINE_MODEL,
        attempts: 1,
        firstTextAtMs,
      };
    text += chunk;
    firstTextAtMs ??= Date.now();
    onText(text);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    text,
    usage: null,
    finishReason: "stop",
    model: OFFLINE_MODEL,
    attempts: 1,
    firstTextAtMs,
  };
}

/**
 * Watches the reply while it streams (one listener, no polling): a stop request ends the
 * stream; a lease now held by another worker (this one was presumed dead and the reply
 * retaken) ends it too, and this worker stops writing.
 */
function watchReply(
  job: Pick<GenerateJob, "convId" | "replyId" | "owner">,
  controller: AbortController,
  onLeaseLost: () => void,
): () => void {
  return messagesRef(job.convId)
    .doc(job.replyId)
    .onSnapshot(
      (snapshot) => {
        const owner: unknown = snapshot.get("lease.owner");
        if (snapshot.get("status") === "generating" && owner !== job.owner) {
          onLeaseLost();
          controller.abort(new Error("lease lost"));
        } else if (snapshot.get("stopRequested") === true) {
          controller.abort(new Error("stopped by the user"));
        }
      },
      (error) =>
        logger.warn("reply watcher failed", { replyId: job.replyId, error: String(error) }),
    );
}

export async function generateReply(
  claimed: GenerateJob,
  settings: Settings = readSettings(),
): Promise<FinalOutcome> {
  // An audio message gets its transcript first (stored on the message), so every step below
  // sees it; see media/message-media.ts.
  const job: GenerateJob = {
    ...claimed,
    message: await withTranscript(claimed, claimed.message, settings),
  };
  const firestore = db();
  const characterRef = firestore.collection("characters").doc(job.message.characterId);
  const [characterSnap, aiSnap, contextSnap] = await Promise.all([
    characterRef.get(),
    characterRef.collection("private").doc("ai").get(),
    contextRef(job.convId).get(),
  ]);
  const profile = characterProfileSchema.parse(stripServerFields(characterSnap.data()));
  const ai = aiSettingsSchema.parse(stripServerFields(aiSnap.data()));
  const contextDoc = contextSnap.data() ?? {};
  const window = contextWindowSchema.safeParse(contextDoc);
  const summary = typeof contextDoc.summary === "string" ? contextDoc.summary : "";
  const userText = messageTextForModel(job.message);
  const model = ai.model || settings.openAiModel;
  const offline = !settings.openAiApiKey;
  const base = { ...job, model: offline ? OFFLINE_MODEL : model };
  // A picture the model can see: a signed URL of the upload's small variant.
  const imageUrl =
    !offline && modelSupportsVision(model) ? await imageUrlForMessage(job.message) : undefined;

  if (!offline && (userText || imageUrl)) {
    let verdict;
    try {
      verdict = await moderate(moderationInput(userText, imageUrl), settings);
    } catch (error) {
      return finalizeReply(base, failure(error instanceof ProviderError ? error.kind : "unknown"));
    }
    if (!verdict.allowed) {
      logger.info("input blocked by moderation", {
        convId: job.convId,
        categories: verdict.categories,
      });
      return finalizeReply(base, { status: "blocked", text: "", error: blockedMessage("input") });
    }
  }

  const choice = await chooseReply(job, profile, settings);
  const recentTurns: ContextTurn[] = (window.success ? window.data.turns : [])
    .filter((turn) => turn.id !== job.messageId && turn.id !== job.replyId)
    .map((turn) => ({ role: turn.role, text: turn.text }));
  let prompt;
  try {
    prompt = assemblePrompt({
      profile,
      ai,
      userName: job.userName,
      summary,
      recentTurns,
      newMessage: {
        role: "user",
        text: userText || (imageUrl ? "" : "(no text)"),
        ...(imageUrl ? { imageUrl } : {}),
      },
      model,
    });
  } catch (error) {
    if (error instanceof PromptBudgetError) {
      logger.error("character AI settings leave no room for a prompt", {
        characterId: job.message.characterId,
        error: error.message,
      });
      return finalizeReply(base, failure("bad_request"));
    }
    throw error;
  }

  const replyRef = messagesRef(job.convId).doc(job.replyId);
  const throttle = new StreamWriteThrottle();
  const controller = new AbortController();
  let leaseLost = false;
  const unwatch = watchReply(job, controller, () => (leaseLost = true));
  let pendingWrite: Promise<unknown> = Promise.resolve();
  const onText = (text: string) => {
    if (leaseLost) return;
    if (text === "" || throttle.shouldWrite(text, Date.now())) {
      // Partial text only: status and lease stay as claimed. Writes are chained so an older
      // text never lands after a newer one.
      pendingWrite = pendingWrite.then(() =>
        replyRef
          .update({ text, updatedAt: FieldValue.serverTimestamp() })
          .catch((error: unknown) => {
            logger.warn("partial write failed", { replyId: job.replyId, error: String(error) });
          }),
      );
    }
  };

  let outcome: StreamOutcome;
  try {
    outcome = offline
      ? await offlineStream(profile, job.userName, userText, onText, controller.signal)
      : await streamCompletion(
          {
            model,
            messages: prompt.messages,
            temperature: ai.temperature,
            maxTokens: ai.maxTokens,
          },
          onText,
          controller.signal,
          settings,
        );
  } catch (error) {
    unwatch();
    await pendingWrite;
    const kind: ErrorKind = error instanceof ProviderError ? error.kind : "unknown";
    logger.warn("generation failed", {
      convId: job.convId,
      replyId: job.replyId,
      kind,
      detail: String(error),
    });
    return finalizeReply(base, failure(kind));
  }
  unwatch();
  await pendingWrite;

  const stopped = outcome.finishReason === "stopped";
  if (!stopped && !offline && outcome.text) {
    const verdict = await moderate(outcome.text, settings).catch(() => null);
    if (verdict && !verdict.allowed) {
      logger.info("output blocked by moderation", {
        convId: job.convId,
        categories: verdict.categories,
      });
      return finalizeReply(base, {
        status: "blocked",
        text: "",
        error: blockedMessage("output"),
        usage: outcome.usage,
        model: outcome.model,
      });
    }
  }
  const extras = stopped ? {} : await attachReplyExtras(job, choice, outcome.text, settings);
  return finalizeReply(base, {
    status: stopped ? "stopped" : "complete",
    text: outcome.text,
    usage: outcome.usage,
    model: outcome.model,
    finishReason: outcome.finishReason,
    firstTextAtMs: outcome.firstTextAtMs,
    attempts: outcome.attempts,
    promptInfo: {
      promptTokens: prompt.promptTokens,
      budget: prompt.budget,
      includedTurns: prompt.includedTurnCount,
      droppedTurns: prompt.droppedTurnCount,
      knowledge: prompt.activatedKnowledgeIds,
    },
    ...extras,
  });
}

/** Like generateReply, but a crash (a bug, unreadable stored data) still ends the reply. */
export async function generateReplySafely(job: GenerateJob): Promise<FinalOutcome> {
  try {
    return await generateReply(job);
  } catch (error) {
    logger.error("reply generation crashed", { replyId: job.replyId, error: String(error) });
    return finalizeReply({ ...job, model: "unknown" }, failure("unknown"));
  }
}

function failure(kind: ErrorKind) {
  return { status: "failed" as const, text: "", error: userFacingFailure(kind), errorKind: kind };
}

const SERVER_FIELDS = new Set([
  "stats",
  "galleryCounts",
  "createdAt",
  "updatedAt",
  "statsUpdatedAt",
]);

/** The character document without the server's fields, which are not part of the profile. */
export function stripServerFields(
  data: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data ?? {}).filter(([key]) => !SERVER_FIELDS.has(key)));
}
