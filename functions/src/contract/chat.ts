// Conversations, messages and replies as clients read and write them, the reply's status
// machine, and the chat callables' inputs and outputs. Pure: zod only.
//
// conversations/{uid}_{characterId}                 one per user and character
// conversations/{id}/messages/greeting              the character's opening line
// conversations/{id}/messages/{messageId}           user messages (client-written)
// conversations/{id}/messages/{messageId}_reply     the character's reply to it
import { z } from "zod";
import { REPLY_ERRORS, type ReplyErrorCode } from "./errors.js";
import { MAX_KEYWORDS } from "./search.js";
import { timestampSchema } from "./timestamp.js";

export const MESSAGE_TYPES = ["text", "audio", "media"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** A user has one conversation per character, so its id is derived from both. */
export function conversationId(uid: string, characterId: string): string {
  return `${uid}_${characterId}`;
}

/** A reply's document id: the id of the user message it answers, plus `_reply`. */
export function replyIdFor(messageId: string): string {
  return `${messageId}_reply`;
}

/** The message that opens a conversation with the character's greeting. */
export const GREETING_MESSAGE_ID = "greeting";

// ---- reply statuses -------------------------------------------------------------------------

export const REPLY_STATUSES = [
  "queued",
  "generating",
  "complete",
  "blocked",
  "failed",
  "stopped",
  "limit_reached",
  "rate_limited",
] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

// A reply document is first written by the claim, already decided: `generating` (premium,
// straight away), `queued` (free users, when capacity is shared through the reply queue), or
// one of the refusals (`failed`, `limit_reached`, `rate_limited`).
const TRANSITIONS: Record<ReplyStatus, readonly ReplyStatus[]> = {
  // Waiting in the reply queue: dispatched, stopped by the user, or given up on.
  queued: ["generating", "stopped", "failed"],
  // generating -> generating is a retake after a crash. Input moderation runs while the
  // model starts, so a blocked input also ends a generating reply. A queued take the
  // provider turned away (429) goes back to the queue.
  generating: ["generating", "queued", "complete", "blocked", "failed", "stopped"],
  // A delivered, stopped, failed or blocked reply may be taken again (regenerateReply).
  complete: ["generating", "queued"],
  blocked: ["generating", "queued"],
  failed: ["generating", "queued"],
  stopped: ["generating", "queued"],
  // A refused message is not answered later: the user sends a new one.
  limit_reached: [],
  rate_limited: [],
};

/** A worker is on it (`generating`, the typing indicator) or will be (`queued`). */
export const PENDING_STATUSES: readonly ReplyStatus[] = ["queued", "generating"];

/** The statuses a reply rests in: no worker is on it, and none will be. */
export const FINAL_STATUSES: readonly ReplyStatus[] = REPLY_STATUSES.filter(
  (status) => !PENDING_STATUSES.includes(status),
);

/** Final statuses regenerateReply may start from. */
export const REGENERABLE_STATUSES: readonly ReplyStatus[] = FINAL_STATUSES.filter((status) =>
  TRANSITIONS[status].includes("generating"),
);

export function isFinal(status: ReplyStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function canTransition(from: ReplyStatus, to: ReplyStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: ReplyStatus): readonly ReplyStatus[] {
  return TRANSITIONS[from];
}

// ---- messages -------------------------------------------------------------------------------

/** A user message as stored (the reply trigger reads it with this schema). */
export const userMessageSchema = z.object({
  role: z.literal("user"),
  type: z.enum(MESSAGE_TYPES),
  userId: z.string().min(1),
  characterId: z.string().min(1),
  text: z.string().max(5000).default(""),
  storagePath: z.string().max(512).optional(),
  durationSec: z.number().positive().max(600).optional(),
  requestedReplyType: z.enum(MESSAGE_TYPES).optional(),
  /** Search keywords (contract/search.ts); the claim writes the right ones if these are not. */
  keywords: z.array(z.string()).max(MAX_KEYWORDS).optional(),
  /** Filled in by the media pipeline for audio messages. */
  transcript: z.string().optional(),
  createdAt: timestampSchema.optional(),
});
export type UserMessage = z.infer<typeof userMessageSchema>;

/**
 * What a client may write as a new message (firestore.rules enforce the same shapes): text of
 * 1-5000 characters, or an audio or media file it uploaded under `user-content/{uid}/` with an
 * optional caption. `requestedReplyType` asks for a text, voice or photo reply.
 */
export const newMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("text"),
    text: z.string().min(1).max(5000),
    requestedReplyType: z.enum(MESSAGE_TYPES).optional(),
  }),
  z.strictObject({
    type: z.literal("audio"),
    storagePath: z.string().min(1).max(512),
    durationSec: z.number().positive().max(300),
    text: z.string().max(1000).optional(),
    requestedReplyType: z.enum(MESSAGE_TYPES).optional(),
  }),
  z.strictObject({
    type: z.literal("media"),
    storagePath: z.string().min(1).max(512),
    text: z.string().max(1000).optional(),
    requestedReplyType: z.enum(MESSAGE_TYPES).optional(),
  }),
]);
export type NewMessage = z.input<typeof newMessageSchema>;

/** An earlier take of a reply that delivered text, kept in `versions` so the user can swipe back. */
export const replyVersionSchema = z.object({
  text: z.string(),
  status: z.enum(REPLY_STATUSES),
  /** When it was replaced, in epoch milliseconds. */
  atMs: z.number(),
});
export type ReplyVersion = z.infer<typeof replyVersionSchema>;

/** Regenerating keeps this many earlier versions; older ones are dropped. */
export const MAX_REPLY_VERSIONS = 20;

/**
 * The free-tier unit a user message holds. It belongs to the message, not to a take:
 * regenerating a delivered reply costs nothing more, and the unit is given back only if no
 * take delivered text while it was held.
 */
export const messageUnitSchema = z.object({
  charged: z.boolean(),
  deliveredSinceCharge: z.boolean(),
});
export type MessageUnit = z.infer<typeof messageUnitSchema>;

/**
 * A take waiting in the reply queue (free users, while the model provider's capacity is
 * shared; premium replies never wait). `estimatedWaitMs` is the queue's recent wait, an
 * estimate an app can show ("about 20 s").
 */
export const replyQueueSchema = z.object({
  enqueuedAtMs: z.number(),
  estimatedWaitMs: z.number().nullable(),
  /** Times the provider turned this take away (429) and it went back to the queue. */
  deferrals: z.number().int().default(0),
  /** The queue task of this take (a second enqueue of the same take is a no-op). */
  taskId: z.string(),
});
export type ReplyQueue = z.infer<typeof replyQueueSchema>;

/** The reply fields the functions read back (claim, stop, regenerate, finalize). */
export const replySchema = z.object({
  role: z.literal("assistant"),
  replyTo: z.string(),
  status: z.enum(REPLY_STATUSES),
  text: z.string().default(""),
  type: z.enum(MESSAGE_TYPES).default("text"),
  /** Tries of the current take (a retake after a crash is another try). */
  attempt: z.number().int().default(1),
  lease: z.object({ owner: z.string(), expiresAtMs: z.number() }).nullable().default(null),
  stopRequested: z.boolean().default(false),
  unit: messageUnitSchema.default({ charged: false, deliveredSinceCharge: false }),
  /** Some take of this message delivered text (statistics count a message once). */
  answered: z.boolean().default(false),
  /** The conversation's counts include the user message. */
  userCounted: z.boolean().default(true),
  /** Earlier takes that delivered text, oldest first (at most MAX_REPLY_VERSIONS). */
  versions: z.array(replyVersionSchema).max(MAX_REPLY_VERSIONS).default([]),
  /** While `queued`: when the take joined the reply queue and about how long it will wait. */
  queue: replyQueueSchema.nullable().default(null),
});
export type StoredReply = z.infer<typeof replySchema>;

// ---- replies as clients see them ------------------------------------------------------------

const REPLY_ERROR_CODES = Object.keys(REPLY_ERRORS) as [ReplyErrorCode, ...ReplyErrorCode[]];

/** What going premium costs, on a `limit_reached` reply's error. */
export const replyUpgradeSchema = z.object({
  priceCents: z.number().int(),
  currency: z.string(),
  days: z.number().int(),
  /** The callable that starts the purchase. */
  callable: z.literal("createCheckoutSession"),
});
export type ReplyUpgrade = z.infer<typeof replyUpgradeSchema>;

/** A reply's `error`: why it failed, was refused or held back, with a message to show. */
export const replyErrorSchema = z.object({
  code: z.enum(REPLY_ERROR_CODES),
  message: z.string(),
  /** On `rate_limited`: when the next message will be accepted. */
  retryAt: timestampSchema.optional(),
  /** On `limit_reached` (including `premium_required`). */
  upgrade: replyUpgradeSchema.optional(),
});
export type ReplyErrorDoc = z.infer<typeof replyErrorSchema>;

export const tokenUsageSchema = z.object({
  promptTokens: z.number(),
  /** The part of promptTokens served from the provider's prompt cache. */
  cachedTokens: z.number(),
  completionTokens: z.number(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** A photo reply: the gallery item sent, with its variants. */
export const replyMediaSchema = z.object({
  itemId: z.string(),
  path: z.string(),
  variants: z.record(z.string(), z.string()),
  caption: z.string(),
});

/** A voice reply: the spoken text as an MP3 in Cloud Storage. */
export const replyAudioSchema = z.object({
  path: z.string(),
  contentType: z.string(),
  bytes: z.number(),
});

/**
 * An assistant message: a reply (`replyTo` is the user message's id) or the greeting
 * (`replyTo` null, `greeting` true). Its `text` grows while `status` is `generating`.
 */
export const assistantMessageSchema = replySchema.extend({
  replyTo: z.string().nullable(),
  greeting: z.boolean().default(false),
  userId: z.string().optional(),
  characterId: z.string().optional(),
  error: replyErrorSchema.nullable().default(null),
  finishReason: z.string().nullable().optional(),
  usage: tokenUsageSchema.nullable().optional(),
  costUsd: z.number().optional(),
  latencyMs: z
    .object({ total: z.number(), firstText: z.number().nullable() })
    .nullable()
    .optional(),
  /** Provider calls made for the last generation (retries included). */
  attempts: z.number().int().optional(),
  media: replyMediaSchema.nullable().optional(),
  audio: replyAudioSchema.nullable().optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  completedAt: timestampSchema.optional(),
});
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;

/** Any document of conversations/{id}/messages. */
export const chatMessageSchema = z.discriminatedUnion("role", [
  userMessageSchema,
  assistantMessageSchema,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

// ---- conversations --------------------------------------------------------------------------

const countsByTypeSchema = z.object({
  text: z.number().int(),
  audio: z.number().int(),
  media: z.number().int(),
});

/** conversations/{uid}_{characterId}: written by the server; the owner only marks it read. */
export const conversationSchema = z.object({
  userId: z.string(),
  characterId: z.string(),
  counts: z.object({ user: countsByTypeSchema, assistant: z.number().int() }),
  tokens: z.object({ prompt: z.number(), completion: z.number(), cached: z.number() }),
  costUsd: z.number(),
  /** Replies delivered since the owner last marked the conversation read. */
  unread: z.number().int(),
  lastReadAt: timestampSchema.nullable(),
  /** When the owner's app last reported this conversation on screen; null when it closed. */
  viewingAt: timestampSchema.nullable().optional(),
  lastMessage: z
    .object({
      role: z.enum(["user", "assistant"]),
      type: z.enum(MESSAGE_TYPES),
      /** The first 200 characters. */
      text: z.string(),
      at: timestampSchema.optional(),
    })
    .nullable(),
  /** Soft-deleted: hidden from the user's list; a new message brings it back. */
  deleted: z.boolean(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
});
export type Conversation = z.infer<typeof conversationSchema>;

// ---- callables ------------------------------------------------------------------------------

/** Conversation, character and message ids in chat callables. */
export const chatIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, "is not a valid id");

export const startConversationInput = z.strictObject({ characterId: chatIdSchema });
export const startConversationOutput = z.object({
  conversationId: z.string(),
  /** False when the conversation existed (a soft-deleted one is restored). */
  created: z.boolean(),
});
export type StartConversationOutput = z.infer<typeof startConversationOutput>;

/** stopReply and regenerateReply: the user message whose reply is meant. */
export const replyTargetInput = z.strictObject({
  conversationId: chatIdSchema,
  messageId: chatIdSchema,
});
export type ReplyTarget = z.input<typeof replyTargetInput>;

/**
 * `stopping`: the generating worker was asked to stop; the reply reaches `stopped` a moment
 * later. Otherwise the reply's status now (`stopped` when its worker had died, or the final
 * status of a reply that had already ended).
 */
export const stopReplyOutput = z.object({
  status: z.union([z.literal("stopping"), z.enum(REPLY_STATUSES)]),
});
export type StopReplyOutput = z.infer<typeof stopReplyOutput>;

/**
 * The regenerated take's final status when it ran in the call; `queued` when it waits in the
 * reply queue (free users while capacity is shared), or `generating` if another worker took
 * it over: the reply document shows how it ends.
 */
export const regenerateReplyOutput = z.object({
  status: z.enum(["complete", "blocked", "failed", "stopped", "generating", "queued"]),
});
export type RegenerateReplyOutput = z.infer<typeof regenerateReplyOutput>;

/** `version` is an index into the reply's `versions`; the current text takes its place. */
export const selectReplyVersionInput = replyTargetInput.extend({
  version: z
    .number()
    .int()
    .min(0)
    .max(MAX_REPLY_VERSIONS - 1),
});
export const selectReplyVersionOutput = z.object({ selected: z.number().int() });
export type SelectReplyVersionOutput = z.infer<typeof selectReplyVersionOutput>;

export const deleteConversationInput = z.strictObject({
  conversationId: chatIdSchema,
  hard: z.boolean().default(false),
});
export const deleteConversationOutput = z.object({ deleted: z.enum(["soft", "hard"]) });
export type DeleteConversationOutput = z.infer<typeof deleteConversationOutput>;

export const searchMessagesInput = z.strictObject({
  conversationId: chatIdSchema,
  query: z.string().trim().min(1).max(200),
  limit: z.number().int().min(1).max(50).default(20),
});
export const searchMessagesOutput = z.object({
  /** Newest first; each has every word of the query. */
  results: z.array(
    z.object({
      messageId: z.string(),
      role: z.string(),
      text: z.string(),
      /** ISO 8601. */
      createdAt: z.string().nullable(),
    }),
  ),
});
export type SearchMessagesOutput = z.infer<typeof searchMessagesOutput>;

export const conversationStatsInput = z.strictObject({ conversationId: chatIdSchema });
export const conversationStatsOutput = z.object({
  counts: conversationSchema.shape.counts.nullable(),
  tokens: conversationSchema.shape.tokens.nullable(),
  costUsd: z.number(),
});
export type ConversationStatsOutput = z.infer<typeof conversationStatsOutput>;
