// Creating a conversation: its document, its context window and the greeting that opens it.
import { FieldValue, Timestamp, type Transaction } from "firebase-admin/firestore";
import { statShardRef } from "./stats";
import { GREETING_MESSAGE_ID, type MessageType } from "../contract/chat";
import { contextRef, conversationRef, messagesRef } from "./store";

export function writeNewConversation(
  tx: Transaction,
  convId: string,
  uid: string,
  characterId: string,
  greeting: unknown,
  greetingAtMs: number,
  userCounts: Partial<Record<MessageType, number>> = {},
): void {
  const hasGreeting = typeof greeting === "string" && greeting.trim() !== "";
  tx.set(conversationRef(convId), {
    userId: uid,
    characterId,
    counts: {
      user: { text: 0, audio: 0, media: 0, ...userCounts },
      assistant: hasGreeting ? 1 : 0,
    },
    tokens: { prompt: 0, completion: 0, cached: 0 },
    costUsd: 0,
    unread: 0,
    lastReadAt: null,
    lastMessage: hasGreeting
      ? {
          role: "assistant",
          type: "text",
          text: greeting.slice(0, 200),
          at: Timestamp.fromMillis(greetingAtMs),
        }
      : null,
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
  tx.set(
    statShardRef(characterId),
    { conversations: FieldValue.increment(1), lastActiveAtMs: Date.now() },
    { merge: true },
  );
}
