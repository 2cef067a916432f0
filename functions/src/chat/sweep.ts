// Replies whose worker died (instance killed mid-stream) keep status `generating` with an
// expired lease. The sweeper retakes them, or fails them after MAX_TAKES, so every message
// ends in exactly one final state.
import { logger } from "firebase-functions/v2";
import { randomUUID } from "node:crypto";
import { db } from "../shared/firebase";
import { claimReply } from "./claim";
import { generateReplySafely } from "./generate";
import { userMessageSchema } from "../contract/chat";

export async function sweepStaleReplies(
  nowMs = Date.now(),
  limit = 20,
): Promise<{ retaken: number; failed: number }> {
  const stale = await db()
    .collectionGroup("messages")
    .where("status", "==", "generating")
    .where("lease.expiresAtMs", "<", nowMs)
    .limit(limit)
    .get();
  let retaken = 0;
  let failed = 0;
  for (const reply of stale.docs) {
    const messageId: unknown = reply.get("replyTo");
    const messages = reply.ref.parent;
    const convId = messages.parent?.id;
    if (typeof messageId !== "string" || !convId) continue;
    const message = userMessageSchema.safeParse((await messages.doc(messageId).get()).data());
    if (!message.success) continue;
    const owner = randomUUID();
    const claim = await claimReply(convId, messageId, message.data, owner, nowMs);
    if (claim.action === "refused") failed++;
    if (claim.action !== "generate") continue;
    retaken++;
    await generateReplySafely({
      convId,
      messageId,
      replyId: claim.replyId,
      message: message.data,
      owner,
      premium: claim.premium,
      userName: claim.userName,
      startedAtMs: Date.now(),
    });
  }
  if (retaken + failed > 0) logger.info("stale replies swept", { retaken, failed });
  return { retaken, failed };
}
