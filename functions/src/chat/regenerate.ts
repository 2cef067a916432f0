// regenerateReply: the latest reply generated again, as a new take through the same
// decision a new message passes (chat/core/take.ts), run in the callable itself.
import { randomUUID } from "node:crypto";
import type { CallableRequest } from "firebase-functions/v2/https";
import { replyTargetInput, userMessageSchema, type RegenerateReplyOutput } from "../contract/chat";
import { fail, parseInput, requireAuth } from "../shared/callable";
import { claimTake, type ClaimResult } from "./claim";
import { ownConversation } from "./conversation-access";
import { generateReplySafely } from "./generate";
import { enqueueWithCloudTasks } from "./queue";
import { upgradeHint } from "./refusals";
import { latestUserMessageQuery, messagesRef } from "./store";

/** Why a regeneration was not started, as a callable error. */
function regenerationRefused(
  decision: Exclude<ClaimResult, { action: "generate" | "queue" }>,
): never {
  if (decision.action === "skip") {
    if (decision.reason === "in_progress") return fail("reply_in_progress");
    if (decision.reason === "unreadable") return fail("reply_not_found");
    return fail("reply_not_answered");
  }
  if (decision.action === "fail") return fail("reply_in_progress");
  switch (decision.code) {
    case "rate_limited": {
      const retryAfterMs = decision.retryAfterMs ?? 60_000;
      const retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
      return fail(
        "rate_limited",
        `You're sending messages quickly. Try again in ${retryAfterSeconds} s.`,
        {
          retryAfterSeconds,
          retryAt: new Date(Date.now() + retryAfterMs).toISOString(),
        },
      );
    }
    case "limit_reached":
    case "premium_required":
      return fail(decision.code, undefined, { upgrade: upgradeHint() });
    case "character_unavailable":
    case "email_unverified":
    case "account_inactive":
      return fail(decision.code);
    default:
      return fail("reply_not_answered");
  }
}

/**
 * Generates the latest reply again, as a new take: it passes the same checks a new message
 * does (account, character, premium, free tier, per-minute limit; chat/core/take.ts). The
 * previous text is kept in `versions`. The free-tier unit belongs to the user's message: a
 * message that already holds one is not charged again.
 */
export async function regenerateReply(
  request: CallableRequest<unknown>,
): Promise<RegenerateReplyOutput> {
  const caller = requireAuth(request);
  const input = parseInput(replyTargetInput, request.data);
  await ownConversation(caller, input.conversationId);
  const [messageSnap, latest] = await Promise.all([
    messagesRef(input.conversationId).doc(input.messageId).get(),
    latestUserMessageQuery(input.conversationId).get(),
  ]);
  const message = userMessageSchema.safeParse(messageSnap.data());
  if (!message.success || message.data.userId !== caller.uid) fail("reply_not_found");
  if (latest.docs[0]?.id !== input.messageId) fail("reply_not_latest");
  const claim = await claimTake("regenerate", {
    convId: input.conversationId,
    messageId: input.messageId,
    message: message.data,
    owner: randomUUID(),
  });
  if (claim.action === "queue") {
    // A free user's take waits its turn; the reply document shows it start and end.
    await enqueueWithCloudTasks(claim.task, claim.taskId);
    return { status: "queued" };
  }
  if (claim.action !== "generate") regenerationRefused(claim);
  const outcome = await generateReplySafely(claim.job);
  // Another worker took the take over: the reply document shows how it ends.
  // Another worker took the take over, or (never for a take run here) it was queued again.
  if (outcome.status === "lease_lost") return { status: "generating" };
  if (outcome.status === "deferred") return { status: "queued" };
  return { status: outcome.status };
}
