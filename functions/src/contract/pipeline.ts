// The live reply pipeline as admins see it (the replyPipelineStatus callable). Pure: zod only.
import { z } from "zod";
import { PENDING_STATUSES, type ReplyStatus } from "./chat.js";

/** Statuses a reply passes through before it ends: every status with a way out. */
export const IN_FLIGHT_STATUSES: readonly ReplyStatus[] = PENDING_STATUSES;

/** How far back `failedRecently` counts. */
export const PIPELINE_FAILED_WINDOW_MS = 3_600_000;

export const replyPipelineStatusInput = z.strictObject({});

export const replyPipelineStatusOutput = z.object({
  /** Replies in each in-flight status right now (`generating` is the typing indicator). */
  inFlight: z.record(z.string(), z.number().int().min(0)),
  /** Replies that ended `failed` within the last PIPELINE_FAILED_WINDOW_MS. */
  failedRecently: z.number().int().min(0),
  failedWindowMs: z.number().int(),
  /** The reply that has been generating longest, or null when none is. */
  oldestGenerating: z
    .object({
      conversationId: z.string(),
      messageId: z.string(),
      /** When its reply document was created, epoch ms. */
      createdAtMs: z.number(),
      ageMs: z.number(),
    })
    .nullable(),
  checkedAtMs: z.number(),
});
export type ReplyPipelineStatusOutput = z.infer<typeof replyPipelineStatusOutput>;
