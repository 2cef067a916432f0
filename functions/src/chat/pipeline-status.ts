// replyPipelineStatus (admin): how many replies are in flight per status, how many failed in
// the last hour, and the one generating longest. Aggregation counts over the `messages`
// collection group (one read per 1000 index entries), indexed in firestore.indexes.json.
import { Timestamp } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import {
  IN_FLIGHT_STATUSES,
  PIPELINE_FAILED_WINDOW_MS,
  replyPipelineStatusInput,
  type ReplyPipelineStatusOutput,
} from "../contract/pipeline";
import { parseInput } from "../shared/callable";
import { requireCurrentAdmin } from "../identity/guards";
import { allMessages } from "./store";

export async function replyPipelineStatus(
  request: Pick<CallableRequest<unknown>, "auth" | "data">,
  nowMs = Date.now(),
): Promise<ReplyPipelineStatusOutput> {
  await requireCurrentAdmin(request);
  parseInput(replyPipelineStatusInput, request.data);
  const messages = allMessages();
  const since = Timestamp.fromMillis(nowMs - PIPELINE_FAILED_WINDOW_MS);
  const [counts, failed, oldest] = await Promise.all([
    Promise.all(
      IN_FLIGHT_STATUSES.map(async (status) => {
        const snapshot = await messages.where("status", "==", status).count().get();
        return [status, snapshot.data().count] as const;
      }),
    ),
    messages.where("status", "==", "failed").where("updatedAt", ">=", since).count().get(),
    messages.where("status", "==", "generating").orderBy("createdAt", "asc").limit(1).get(),
  ]);
  const first = oldest.docs[0];
  const createdAt: unknown = first?.get("createdAt");
  const createdAtMs = createdAt instanceof Timestamp ? createdAt.toMillis() : null;
  return {
    inFlight: Object.fromEntries(counts),
    failedRecently: failed.data().count,
    failedWindowMs: PIPELINE_FAILED_WINDOW_MS,
    oldestGenerating:
      first && createdAtMs !== null
        ? {
            conversationId: first.ref.parent.parent?.id ?? "",
            messageId: String(first.get("replyTo") ?? first.id),
            createdAtMs,
            ageMs: Math.max(0, nowMs - createdAtMs),
          }
        : null,
    checkedAtMs: nowMs,
  };
}
