// The reply trigger: a user message written by a client becomes the character's reply.
import { randomUUID } from "node:crypto";
import { logger } from "firebase-functions/v2";
import { FieldValue } from "../shared/firebase";
import { claimReply } from "./claim";
import { generateReplySafely } from "./generate";
import { searchKeywords } from "./search-keywords";
import { refreshSummaryIfDue } from "./summary";
import { userMessageSchema } from "../contract/chat";
import { messagesRef } from "./store";

export interface MessageEvent {
  convId: string;
  messageId: string;
  data: Record<string, unknown> | undefined;
}

export async function onMessageCreated(event: MessageEvent): Promise<void> {
  // Replies and greetings live in the same collection: only user messages are answered.
  if (event.data?.role !== "user") return;
  const parsed = userMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    logger.warn("ignoring a malformed user message", {
      convId: event.convId,
      messageId: event.messageId,
    });
    return;
  }
  const message = parsed.data;
  const startedAtMs = Date.now();
  const owner = randomUUID();
  const claim = await claimReply(event.convId, event.messageId, message, owner, startedAtMs);
  if (claim.action === "skip") {
    logger.info("reply already claimed; duplicate delivery ignored", {
      messageId: event.messageId,
      reason: claim.reason,
    });
    return;
  }
  // Search keywords on the user's message (server-written; clients cannot set them).
  await messagesRef(event.convId)
    .doc(event.messageId)
    .update({
      keywords: searchKeywords(message.transcript ?? message.text),
      indexedAt: FieldValue.serverTimestamp(),
    })
    .catch((error: unknown) => logger.warn("could not index message", { error: String(error) }));
  if (claim.action === "refused") {
    logger.info("message not answered", {
      messageId: event.messageId,
      status: claim.status,
      code: claim.code,
    });
    return;
  }
  const job = {
    convId: event.convId,
    messageId: event.messageId,
    replyId: claim.replyId,
    message,
    owner,
    premium: claim.premium,
    userName: claim.userName,
    startedAtMs,
  };
  const outcome = await generateReplySafely(job);
  logger.info("reply finished", {
    replyId: claim.replyId,
    status: outcome.status,
    ms: Date.now() - startedAtMs,
  });
  if (outcome.status === "complete")
    await refreshSummaryIfDue(event.convId, message.characterId, claim.userName);
}
