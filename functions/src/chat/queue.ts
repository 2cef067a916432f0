// The reply queue: free users' takes wait in a Cloud Tasks queue (the `dispatchReply`
// task-queue function) whose dispatch rate and concurrency are settings, so when the model
// provider's capacity runs short, free users wait and premium replies (which never queue) do
// not. The claim has already decided and charged a queued take; a task only starts it.
//
// What a task carries: everything a worker needs that the claim read, so starting a take
// reads one document (the reply) instead of five.
import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { userMessageSchema, type UserMessage } from "../contract/chat";
import type { ReplyJob } from "./job";
import { replyQueueStatsRef } from "./store";

export const REPLY_QUEUE_FUNCTION = "dispatchReply";

/** A queued take not started for this long is failed by the sweeper (the queue gave up). */
export const QUEUE_GIVE_UP_MS = 15 * 60_000;

export const replyTaskSchema = z.object({
  convId: z.string().min(1),
  messageId: z.string().min(1),
  /** The user message, its time in epoch milliseconds (tasks carry JSON). */
  message: userMessageSchema
    .omit({ createdAt: true })
    .extend({ createdAtMs: z.number().nullable() }),
  take: z.enum(["first", "regenerate"]),
  userName: z.string(),
  /** The character's profile fields as the claim read them (server fields left out). */
  character: z.record(z.string(), z.unknown()),
  /** When the take joined the queue. */
  enqueuedAtMs: z.number(),
});
export type ReplyTask = z.infer<typeof replyTaskSchema>;

/** Puts a task in the queue; `taskId` makes a second enqueue of the same take a no-op. */
export type Enqueue = (task: ReplyTask, taskId: string) => Promise<void>;

/** A fresh task id for a take (Cloud Tasks ids: letters, digits, `-` and `_`). */
export function newTaskId(replyId: string): string {
  return `${replyId}-${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

export function taskMessage(message: UserMessage): ReplyTask["message"] {
  const { createdAt, ...rest } = message;
  return { ...rest, createdAtMs: createdAt ? createdAt.toMillis() : null };
}

export function messageFromTask(task: ReplyTask): UserMessage {
  const { createdAtMs, ...rest } = task.message;
  return {
    ...rest,
    ...(createdAtMs === null ? {} : { createdAt: Timestamp.fromMillis(createdAtMs) }),
  };
}

/** The Cloud Tasks queue of the `dispatchReply` function, through the Admin SDK. */
export const enqueueWithCloudTasks: Enqueue = async (task, taskId) => {
  const { getFunctions } = await import("firebase-admin/functions");
  const { adminApp } = await import("../shared/firebase.js");
  try {
    await getFunctions(adminApp())
      .taskQueue(REPLY_QUEUE_FUNCTION)
      .enqueue(task, { id: taskId, dispatchDeadlineSeconds: 300 });
  } catch (error) {
    // The same take enqueued again (a redelivered trigger): the first task stands.
    const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
    if (code === "functions/task-already-exists") return;
    throw error;
  }
};

/**
 * About how long a queued take waits now: the recent wait the workers observed, published
 * at most every PUBLISH_EVERY_MS per instance, and read at most every READ_EVERY_MS per
 * instance, so the estimate costs a turn no read on average. A cache that may be lost: a
 * fresh instance just reads it again.
 */
const PUBLISH_EVERY_MS = 15_000;
const READ_EVERY_MS = 30_000;
let observed: { ewmaMs: number; publishedAtMs: number } | null = null;
let cachedEstimate: { waitMs: number | null; readAtMs: number } | null = null;

export async function queueWaitEstimate(nowMs = Date.now()): Promise<number | null> {
  if (cachedEstimate && nowMs - cachedEstimate.readAtMs < READ_EVERY_MS)
    return cachedEstimate.waitMs;
  const snapshot = await replyQueueStatsRef()
    .get()
    .catch(() => null);
  const waitMs: unknown = snapshot?.get("recentWaitMs");
  cachedEstimate = { waitMs: typeof waitMs === "number" ? waitMs : null, readAtMs: nowMs };
  return cachedEstimate.waitMs;
}

/** A worker saw a take wait `waitedMs`; folds it into the published estimate. */
export async function recordQueueWait(waitedMs: number, nowMs = Date.now()): Promise<void> {
  const ewmaMs = observed ? observed.ewmaMs * 0.8 + waitedMs * 0.2 : waitedMs;
  const due = !observed || nowMs - observed.publishedAtMs >= PUBLISH_EVERY_MS;
  observed = { ewmaMs, publishedAtMs: due ? nowMs : (observed?.publishedAtMs ?? nowMs) };
  if (!due) return;
  await replyQueueStatsRef()
    .set({ recentWaitMs: Math.round(ewmaMs), updatedAtMs: nowMs }, { merge: true })
    .catch(() => undefined);
}

/** The job a dispatched task runs. */
export function jobFromTask(
  task: ReplyTask,
  fields: Pick<ReplyJob, "replyId" | "owner" | "startedAtMs" | "timing">,
): ReplyJob {
  return {
    convId: task.convId,
    messageId: task.messageId,
    message: messageFromTask(task),
    take: "dispatched",
    premium: false,
    userName: task.userName,
    character: task.character,
    queued: true,
    ...fields,
  };
}
