// Where the chat loop keeps things, and the shapes it reads back.
//
// conversations/{uid}_{characterId}                 one per user and character
// conversations/{id}/messages/{messageId}           user messages (client-written)
// conversations/{id}/messages/{messageId}_reply     the character's reply to it
// conversations/{id}/context/window                 recent turns + rolling summary
import { z } from "zod";
import { db } from "../shared/firebase";
import { timestampSchema } from "../shared/timestamps";
import { REPLY_STATUSES } from "./core/reply-state";

export const MESSAGE_TYPES = ["text", "audio", "media"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export function conversationId(uid: string, characterId: string): string {
  return `${uid}_${characterId}`;
}

export function replyIdFor(messageId: string): string {
  return `${messageId}_reply`;
}

export function conversationRef(id: string) {
  return db().collection("conversations").doc(id);
}

export function messagesRef(id: string) {
  return conversationRef(id).collection("messages");
}

export function contextRef(id: string) {
  return conversationRef(id).collection("context").doc("window");
}

/** Daily AI usage documents (chat/ai-usage.ts writes them). */
export function aiUsageDailyCollection() {
  return db().collection("aiUsageDaily");
}

export function aiUsageOfDay(day: string) {
  return aiUsageDailyCollection().where("day", "==", day);
}

/** Replies still `generating` whose lease ran out: their worker died (chat/sweep.ts). */
export function staleRepliesQuery(nowMs: number, limit: number) {
  return db()
    .collectionGroup("messages")
    .where("status", "==", "generating")
    .where("lease.expiresAtMs", "<", nowMs)
    .limit(limit);
}

/** A user's conversations' latest user message (only the latest reply can be regenerated). */
export function latestUserMessageQuery(convId: string) {
  return messagesRef(convId).where("role", "==", "user").orderBy("createdAt", "desc").limit(1);
}

export const userMessageSchema = z.object({
  role: z.literal("user"),
  type: z.enum(MESSAGE_TYPES),
  userId: z.string().min(1),
  characterId: z.string().min(1),
  text: z.string().max(5000).default(""),
  storagePath: z.string().max(512).optional(),
  durationSec: z.number().positive().max(600).optional(),
  requestedReplyType: z.enum(MESSAGE_TYPES).optional(),
  /** Filled in by the media pipeline for audio messages. */
  transcript: z.string().optional(),
  createdAt: timestampSchema.optional(),
});
export type UserMessage = z.infer<typeof userMessageSchema>;

/** An earlier take of a reply that delivered text, kept so the user can swipe back to it. */
export const replyVersionSchema = z.object({
  text: z.string(),
  status: z.enum(REPLY_STATUSES),
  atMs: z.number(),
});
export type ReplyVersion = z.infer<typeof replyVersionSchema>;

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
  /** The free-tier unit the user message holds (limits/policy.ts MessageUnit). */
  unit: z
    .object({ charged: z.boolean(), deliveredSinceCharge: z.boolean() })
    .default({ charged: false, deliveredSinceCharge: false }),
  /** Some take of this message delivered text (statistics count a message once). */
  answered: z.boolean().default(false),
  /** The conversation's counts include the user message. */
  userCounted: z.boolean().default(true),
  /** Earlier takes that delivered text, oldest first (at most MAX_REPLY_VERSIONS). */
  versions: z.array(replyVersionSchema).default([]),
});

/** Regenerating keeps this many earlier versions; older ones are dropped. */
export const MAX_REPLY_VERSIONS = 20;
export type StoredReply = z.infer<typeof replySchema>;
