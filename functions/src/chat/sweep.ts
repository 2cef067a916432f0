// Replies whose worker died (instance killed mid-stream) keep status `generating` with an
// expired lease. The sweeper retakes them, or fails them after MAX_TAKES; and it fails a
// take left in the reply queue past all the queue's retries. So every message ends in
// exactly one final state.
import * as logger from "firebase-functions/logger";
import { randomUUID } from "node:crypto";
import { claimTake, type ClaimOptions } from "./claim";
import { generateReplySafely } from "./generate";
import { userMessageSchema } from "../contract/chat";
import { QUEUE_GIVE_UP_MS } from "./queue";
import { staleQueuedRepliesQuery, staleRepliesQuery } from "./store";

export async function sweepStaleReplies(
  nowMs = Date.now(),
  limit = 20,
  options: Omit<ClaimOptions, "nowMs"> = {},
): Promise<{ retaken: number; failed: number }> {
  const [dead, forgotten] = await Promise.all([
    staleRepliesQuery(nowMs, limit).get(),
    staleQueuedRepliesQuery(nowMs - QUEUE_GIVE_UP_MS, limit).get(),
  ]);
  let retaken = 0;
  let failed = 0;
  for (const reply of [...dead.docs, ...forgotten.docs]) {
    const messageId: unknown = reply.get("replyTo");
    const messages = reply.ref.parent;
    const convId = messages.parent?.id;
    if (typeof messageId !== "string" || !convId) continue;
    const message = userMessageSchema.safeParse((await messages.doc(messageId).get()).data());
    if (!message.success) continue;
    const claim = await claimTake(
      "sweep",
      { convId, messageId, message: message.data, owner: randomUUID() },
      { ...options, nowMs },
    );
    if (claim.action === "fail") failed++;
    if (claim.action !== "generate") continue;
    retaken++;
    await generateReplySafely(claim.job, options.settings);
  }
  if (retaken + failed > 0) logger.info("stale replies swept", { retaken, failed });
  return { retaken, failed };
}
