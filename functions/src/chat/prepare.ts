// The stage before the model call: what the reply is about (the message, with the transcript
// of a voice message or the picture of a photo message), the character's private AI
// settings and the context window (one read each, in parallel), and the prompt.
import type { Settings } from "../config";
import {
  aiSettingsSchema,
  characterProfileSchema,
  type AiSettings,
  type CharacterProfile,
} from "../contract/characters";
import { aiSettingsDoc } from "../characters/store";
import { imageUrlForMessage, withTranscript } from "../media/message-media";
import { contextWindowSchema, EMPTY_WINDOW } from "./core/memory";
import { modelSupportsVision } from "./core/models";
import { assemblePrompt, type AssembledPrompt, type ContextTurn } from "./core/prompt";
import type { ContextSnapshot } from "./finalize";
import type { ReplyJob } from "./job";
import { chooseReply, type ReplyPlan } from "./reply-extras";
import type { UserMessage } from "../contract/chat";
import { contextRef } from "./store";

export const OFFLINE_MODEL = "offline-responder";

export interface PreparedTurn {
  /** The job, its message carrying the transcript when there is one. */
  job: ReplyJob;
  profile: CharacterProfile;
  ai: AiSettings;
  model: string;
  /** No key configured: the clearly labelled offline responder answers. */
  offline: boolean;
  userText: string;
  imageUrl: string | undefined;
  prompt: AssembledPrompt;
  plan: ReplyPlan;
  context: ContextSnapshot;
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

function messageTextForModel(message: UserMessage): string {
  if (message.type === "audio") return message.transcript ?? message.text ?? "";
  return message.text;
}

/** Throws PromptBudgetError when the character's AI settings leave no room for a prompt. */
export async function prepareTurn(claimed: ReplyJob, settings: Settings): Promise<PreparedTurn> {
  const [message, aiSnap, contextSnap] = await Promise.all([
    // A voice message gets its transcript first (stored on the message); see media/.
    withTranscript(claimed, claimed.message, settings),
    aiSettingsDoc(claimed.message.characterId).get(),
    contextRef(claimed.convId).get(),
  ]);
  const job: ReplyJob = { ...claimed, message };
  const profile = characterProfileSchema.parse(stripServerFields(job.character));
  const ai = aiSettingsSchema.parse(stripServerFields(aiSnap.data()));
  const contextDoc = contextSnap.data() ?? {};
  const window = contextWindowSchema.safeParse(contextDoc);
  const summary = typeof contextDoc.summary === "string" ? contextDoc.summary : "";
  const userText = messageTextForModel(message);
  const model = ai.model || settings.openAiModel;
  const offline = !settings.openAiApiKey;
  // A picture the model can see: a signed URL of the upload's small variant.
  const imageUrl =
    !offline && modelSupportsVision(model) ? await imageUrlForMessage(message) : undefined;
  const recentTurns: ContextTurn[] = (window.success ? window.data.turns : [])
    .filter((turn) => turn.id !== job.messageId && turn.id !== job.replyId)
    .map((turn) => ({ role: turn.role, text: turn.text }));
  const prompt = assemblePrompt({
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
  const plan = await chooseReply(job, settings);
  return {
    job,
    profile,
    ai,
    model: offline ? OFFLINE_MODEL : model,
    offline,
    userText,
    imageUrl,
    prompt,
    plan,
    context: {
      window: window.success ? window.data : EMPTY_WINDOW,
      updateTime: contextSnap.exists ? (contextSnap.updateTime ?? null) : null,
    },
  };
}
