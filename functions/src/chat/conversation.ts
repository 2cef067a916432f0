// Creating a conversation: its document, its context window and the greeting that opens it.
import { FieldValue, Timestamp, type Transaction } from "firebase-admin/firestore";
import { statShardRef } from "./stats";
import { GREETING_MESSAGE_ID, type MessageType } from "../contract/chat";
import { contextRef, conversationRef, messagesRef } from "./store";

export interface NewConversation {
  convId: string;
  uid: string;
  characterId: string;
  greeting: unknown;
  greetingAtMs: number;
  /** User messages already in it (the first message, when a message creates it). */
  userCounts?: Partial<Record<MessageType, number>>;
  /** The last message to show, when it is not the greeting. */
  lastMessage?: Record<string, unknown>;
  /**
   * Count it in the character's `stats.conversations`: only the first conversation a user
   * ever starts with a character counts (the caller knows from the user's meter), so
   * deleting and starting again does not inflate the statistic.
   */
  countStart: boolean;
}

/** Writes the new conversation in `tx`; true when it counted toward the statistics. */
export function writeNewConversation(tx: Transaction, conversation: NewConversation): boolean {
  const { convId, uid, characterId, greeting, greetingAtMs } = conversation;
  const hasGreeting = typeof greeting === "string" && greeting.trim() !== "";
  const greetingMessage = hasGreeting
    ? {
        role: "assistant",
        type: "text",
        text: greeting.slice(0, 200),
        at: Timestamp.fromMillis(greetingAtMs),
      }
    : null;
  tx.set(conversationRef(convId), {
    userId: uid,
    characterId,
    counts: {
      user: { text: 0, audio: 0, media: 0, ...conversation.userCounts },
      assistant: hasGreeting ? 1 : 0,
    },
    tokens: { prompt: 0, completion: 0, cached: 0 },
    costUsd: 0,
    unread: 0,
    lastReadAt: null,
    lastMessage: conversation.lastMessage ?? greetingMessage,
    deleted: false,
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  });
  tx.set(contextRef(convId), {
    turns: hasGreeting
      ? [{ id: GREETING_MESSAGE_ID, role: "assistant", text: greeting, atMs: greetingAtMs }]
      : [],
    turnsSinceSummary: 0,
    summary: "",
  });
  if (hasGreeting) {
    // The greeting opens the conversation, so it sorts before the first message.
    tx.set(messagesRef(convId).doc(GREETING_MESSAGE_ID), {
      role: "assistant",
      userId: uid,
      characterId,
      replyTo: null,
      status: "complete",
      type: "text",
      text: greeting,
      greeting: true,
      createdAt: Timestamp.fromMillis(greetingAtMs),
      updatedAt: FieldValue.serverTimestamp(),
    });
  }
  if (conversation.countStart) {
    tx.set(
      statShardRef(characterId),
      { conversations: FieldValue.increment(1), lastActiveAtMs: Date.now() },
      { merge: true },
    );
  }
  return conversation.countStart;
}
