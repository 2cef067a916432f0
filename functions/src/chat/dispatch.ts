// The reply queue's worker (`dispatchReply`, a Cloud Tasks task-queue function): starts a
// queued take and generates it. A task delivered twice does nothing the second time; a take
// the provider turns away (429) goes back to the queue and this delivery fails, so Cloud
// Tasks retries it later with backoff; the last delivery ends the reply `failed`, like every other failed reply.
import { randomUUID } from "node:crypto";
import * as logger from "firebase-functions/logger";
import type { Request } from "firebase-functions/v2/tasks";
import { readSettings, type Settings } from "../config";
import { dispatchTake, type ClaimOptions } from "./claim";
import { generateReplySafely, type GenerateResult } from "./generate";
import { turnLog } from "./log";
import { recordQueueWait, replyTaskSchema } from "./queue";
import { refreshSummaryIfDue } from "./summary";
import { replyIdFor } from "../contract/chat";

/** Thrown so the queue retries the task later: the provider is at capacity now. */
export class ProviderAtCapacity extends Error {}

export interface DispatchOptions extends Omit<ClaimOptions, "settings"> {
  settings?: Settings;
}

export async function dispatchReply(
  request: Pick<Request<unknown>, "data" | "retryCount">,
  options: DispatchOptions = {},
): Promise<GenerateResult | null> {
  const task = replyTaskSchema.safeParse(request.data);
  if (!task.success) {
    // A malformed task can never succeed: acknowledge it so the queue drops it.
    logger.error("dropping a malformed reply task", { issues: task.error.issues.slice(0, 3) });
    return null;
  }
  const settings = options.settings ?? readSettings();
  const log = turnLog({ ...task.data, replyId: replyIdFor(task.data.messageId) });
  const started = await dispatchTake(task.data, randomUUID(), options);
  if (started.action === "skip") {
    log.info("queued take not started", { reason: started.reason });
    return null;
  }
  const waitedMs = started.job.startedAtMs - task.data.enqueuedAtMs;
  await recordQueueWait(waitedMs);
  const lastDelivery = request.retryCount + 1 >= settings.replyQueueMaxAttempts;
  log.info("queued take started", { waitedMs, delivery: request.retryCount + 1 });
  const result = await generateReplySafely(started.job, settings, {
    deferOnRateLimit: !lastDelivery,
  });
  if (result.status === "deferred" && result.committed) {
    throw new ProviderAtCapacity("the model provider is at capacity; the queue retries later");
  }
  if (result.summaryDue) await refreshSummaryIfDue(started.job);
  return result;
}
