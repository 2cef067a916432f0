// Where the chat loop keeps things, and the shapes it reads back.
//
// conversations/{uid}_{characterId}                 one per user and character
// conversations/{id}/messages/{messageId}           user messages (client-written)
// conversations/{id}/messages/{messageId}_reply     the character's reply to it
// conversations/{id}/context/window                 recent turns + rolling summary
import { z } from "zod";
import { db } from "../shared/firebase";
import { timestampSchema } from "../contract/timestamp";
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

export const replyVersionSchema = z.object({
  text: z.string(),
  status: z.enum(REPLY_STATUSES),
  model: z.string().nullable(),
  atMs: z.number(),
});
export type ReplyVersion = z.infer<typeof replyVersionSchema>;

export const replySchema = z.object({
  role: z.literal("assistant"),
  replyTo: z.string(),
  status: z.enum(REPLY_STATUSES),
  text: z.string().default(""),
  type: z.enum(MESSAGE_TYPES).default("text"),
  attempt: z.number().int().default(1),
  lease: z.object({ owner: z.string(), expiresAtMs: z.number() }).nullable().default(null),
  stopRequested: z.boolean().default(false),
  quotaCharged: z.boolean().default(false),
  /** Earlier generations of this reply, kept when it is regenerated. */
  versions: z.array(replyVersionSchema).default([]),
});
export type StoredReply = z.infer<typeof replySchema>;
