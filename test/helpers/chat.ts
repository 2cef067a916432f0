// Sending messages as a client app does, and waiting for the character's reply.
import {
  addDoc,
  collection,
  doc,
  serverTimestamp,
  type DocumentData,
  type DocumentSnapshot,
} from "firebase/firestore";
import type { ClientApp } from "./client";
import { waitForDoc } from "./wait-for";
import type { User } from "firebase/auth";
import { TERMINAL_STATUSES } from "../../functions/src/contract/chat";

/** The statuses a reply ends in, as the reply state machine defines them. */
export const FINAL_STATUSES: readonly string[] = TERMINAL_STATUSES;

export function conversationIdFor(uid: string, characterId: string): string {
  return `${uid}_${characterId}`;
}

export async function sendText(
  client: ClientApp & { user: User },
  characterId: string,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<{ messageId: string; conversationId: string }> {
  const conversationId = conversationIdFor(client.user.uid, characterId);
  const ref = await addDoc(collection(client.db, "conversations", conversationId, "messages"), {
    role: "user",
    type: "text",
    text,
    characterId,
    userId: client.user.uid,
    createdAt: serverTimestamp(),
    ...extra,
  });
  return { messageId: ref.id, conversationId };
}

export function replyRef(client: ClientApp, conversationId: string, messageId: string) {
  return doc(client.db, "conversations", conversationId, "messages", `${messageId}_reply`);
}

export async function waitForFinalReply(
  client: ClientApp,
  conversationId: string,
  messageId: string,
  timeoutMs = 30_000,
): Promise<DocumentSnapshot<DocumentData>> {
  return waitForDoc(
    replyRef(client, conversationId, messageId),
    (snapshot) => FINAL_STATUSES.includes(String(snapshot.get("status"))),
    timeoutMs,
  );
}
