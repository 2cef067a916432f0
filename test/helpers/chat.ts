// Sending messages as a client app does, and waiting for the character's reply. Paths, ids
// and statuses come from the contract the client library carries.
import {
  addDoc,
  collection,
  doc,
  serverTimestamp,
  setDoc,
  type DocumentData,
  type DocumentSnapshot,
} from "firebase/firestore";
import type { User } from "firebase/auth";
import {
  conversationId,
  FINAL_STATUSES as REPLY_FINAL_STATUSES,
  paths,
} from "../../client/src/index";
import type { ClientApp } from "./client";
import { checkReplyError } from "./error-codes";
import { waitForDoc } from "./wait-for";

/** The statuses a reply ends in, as the reply state machine defines them. */
export const FINAL_STATUSES: readonly string[] = REPLY_FINAL_STATUSES;

export const conversationIdFor = conversationId;

function textMessage(client: ClientApp & { user: User }, characterId: string, text: string) {
  return {
    role: "user",
    type: "text",
    text,
    characterId,
    userId: client.user.uid,
    createdAt: serverTimestamp(),
  };
}

/**
 * Writes a text message straight to Firestore. `extra` adds or overrides fields, so tests
 * can also send what the rules must refuse (the library's sendMessage never would).
 */
export async function sendText(
  client: ClientApp & { user: User },
  characterId: string,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<{ messageId: string; conversationId: string }> {
  const convId = conversationId(client.user.uid, characterId);
  const ref = await addDoc(collection(client.db, paths.messages(convId)), {
    ...textMessage(client, characterId, text),
    ...extra,
  });
  return { messageId: ref.id, conversationId: convId };
}

/** The same, under a message id the test chose. */
export async function sendTextAs(
  client: ClientApp & { user: User },
  characterId: string,
  messageId: string,
  text: string,
): Promise<{ messageId: string; conversationId: string }> {
  const convId = conversationId(client.user.uid, characterId);
  await setDoc(
    doc(client.db, paths.message(convId, messageId)),
    textMessage(client, characterId, text),
  );
  return { messageId, conversationId: convId };
}

export function replyRef(client: ClientApp, convId: string, messageId: string) {
  return doc(client.db, paths.reply(convId, messageId));
}

export async function waitForFinalReply(
  client: ClientApp,
  convId: string,
  messageId: string,
  timeoutMs = 60_000,
): Promise<DocumentSnapshot<DocumentData>> {
  const reply = await waitForDoc(
    replyRef(client, convId, messageId),
    (snapshot) => FINAL_STATUSES.includes(String(snapshot.get("status"))),
    timeoutMs,
  );
  checkReplyError(reply.data());
  return reply;
}
