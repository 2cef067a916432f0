// The reply trigger: a user message written by a client becomes the character's reply.
import { randomUUID } from "node:crypto";
import * as logger from "firebase-functions/logger";
import { claimTake, type ClaimOptions } from "./claim";
import { generateReplySafely, type GenerateResult } from "./generate";
import { turnLog } from "./log";
import { enqueueWithCloudTasks, type Enqueue } from "./queue";
import type { StreamOptions } from "./stream";
import { refreshSummaryIfDue } from "./summary";
import { replyIdFor, userMessageSchema } from "../contract/chat";

export interface MessageEvent {
  convId: string;
  messageId: string;
  data: Record<string, unknown> | undefined;
}

export interface MessageHandlerOptions extends ClaimOptions {
  stream?: StreamOptions;
  /** Where queued takes go (the Cloud Tasks queue; benchmarks drive a local model of it). */
  enqueue?: Enqueue;
}

export async function onMessageCreated(
  event: MessageEvent,
  options: MessageHandlerOptions = {},
): Promise<GenerateResult | null> {
  // Replies and greetings live in the same collection: only user messages are answered.
  if (event.data?.role !== "user") return null;
  const parsed = userMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    logger.warn("ignoring a malformed user message", {
      conversationId: event.convId,
      messageId: event.messageId,
    });
    return null;
  }
  const message = parsed.data;
  const log = turnLog({ ...event, replyId: replyIdFor(event.messageId) });
  const claim = await claimTake(
    "message",
    { convId: event.convId, messageId: event.messageId, message, owner: randomUUID() },
    options,
  );
  if (claim.action === "skip") {
    log.info("reply not claimed; duplicate delivery or live worker", { reason: claim.reason });
    return null;
  }
  if (claim.action === "queue") {
    await (options.enqueue ?? enqueueWithCloudTasks)(claim.task, claim.taskId);
    log.info("reply queued", { taskId: claim.taskId });
    return null;
  }
  if (claim.action !== "generate") {
    log.info("message not answered", { outcome: claim.action, code: claim.code });
    return null;
  }
  const result = await generateReplySafely(claim.job, options.settings, options.stream);
  if (result.summaryDue) await refreshSummaryIfDue(claim.job);
  return result;
}
