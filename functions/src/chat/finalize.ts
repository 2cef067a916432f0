// The one transaction that ends a reply: final text and status, quota refund when nothing
// was delivered, the conversation summary, the context window, and the counters.
import { FieldValue, type Transaction } from "firebase-admin/firestore";
import { logger } from "firebase-functions/v2";
import { parseUsage, usageRef } from "../limits/usage";
import { db } from "../shared/firebase";
import { appendTurn, contextWindowSchema, EMPTY_WINDOW } from "./core/memory";
import { costOf } from "./core/models";
import type { ErrorKind } from "./core/retry";
import { searchKeywords } from "./search-keywords";
import { statShardRef } from "./stats";
import { recordAiUsage } from "./ai-usage";
import { replySchema, type TokenUsage, type UserMessage } from "../contract/chat";
import type { ReplyError } from "../contract/errors";
import { contextRef, conversationRef, messagesRef } from "./store";

export interface FinalOutcome {
  status: "complete" | "blocked" | "failed" | "stopped";
  text: string;
  error?: ReplyError;
  errorKind?: ErrorKind;
  usage?: TokenUsage | null;
  model?: string;
  finishReason?: string | null;
  firstTextAtMs?: number | null;
  attempts?: number;
  promptInfo?: Record<string, unknown>;
  media?: Record<string, unknown>;
  audio?: Record<string, unknown>;
  type?: "text" | "audio" | "media";
}

export interface FinalizeJob {
  convId: string;
  messageId: string;
  replyId: string;
  message: UserMessage;
  owner: string;
  model: string;
  startedAtMs: number;
}

/** Whether the user got something for their message; if not, their quota unit comes back. */
export function deliveredSomething(outcome: Pick<FinalOutcome, "status" | "text">): boolean {
  if (outcome.status === "complete") return true;
  if (outcome.status === "stopped") return outcome.text.trim() !== "";
  return false;
}

export async function finalizeReply(
  job: FinalizeJob,
  outcome: FinalOutcome,
): Promise<FinalOutcome> {
  const nowMs = Date.now();
  const usage = outcome.usage ?? null;
  const model = outcome.model ?? job.model;
  const cost = usage ? costOf(model, usage) : { usd: 0, priced: false };
  const delivered = deliveredSomething(outcome);
  const replyRef = messagesRef(job.convId).doc(job.replyId);
  const committed = await db().runTransaction(
    async (tx: Transaction) => {
      const [replySnap, contextSnap, usageSnap] = await Promise.all([
        tx.get(replyRef),
        tx.get(contextRef(job.convId)),
        tx.get(usageRef(job.message.userId, job.message.characterId)),
      ]);
      const reply = replySchema.safeParse(replySnap.data());
      // Only the current lease holder may finish the reply: a retaken or finished reply is
      // someone else's now.
      if (
        !reply.success ||
        reply.data.status !== "generating" ||
        reply.data.lease?.owner !== job.owner
      ) {
        return false;
      }
      const refund = reply.data.quotaCharged && !delivered;
      tx.update(replyRef, {
        status: outcome.status,
        text: outcome.status === "blocked" ? "" : outcome.text,
        type: outcome.type ?? "text",
        lease: null,
        quotaCharged: reply.data.quotaCharged && !refund,
        error: outcome.error ?? null,
        model,
        finishReason: outcome.finishReason ?? null,
        usage: usage ?? null,
        costUsd: cost.usd,
        priced: cost.priced,
        latencyMs: {
          total: nowMs - job.startedAtMs,
          firstText: outcome.firstTextAtMs ? outcome.firstTextAtMs - job.startedAtMs : null,
        },
        attempts: outcome.attempts ?? 1,
        prompt: outcome.promptInfo ?? null,
        media: outcome.media ?? null,
        audio: outcome.audio ?? null,
        keywords: delivered ? searchKeywords(outcome.text) : [],
        completedAt: FieldValue.serverTimestamp(),
        updatedAt: FieldValue.serverTimestamp(),
      });
      if (refund) {
        const counts = parseUsage(usageSnap.data());
        const kind = job.message.type;
        tx.set(
          usageRef(job.message.userId, job.message.characterId),
          { [kind]: Math.max(0, counts[kind] - 1), updatedAt: FieldValue.serverTimestamp() },
          { merge: true },
        );
      }
      const conversationUpdate: Record<string, unknown> = {
        updatedAt: FieldValue.serverTimestamp(),
      };
      if (delivered) {
        conversationUpdate["counts.assistant"] = FieldValue.increment(1);
        conversationUpdate.unread = FieldValue.increment(1);
        conversationUpdate.lastMessage = {
          role: "assistant",
          type: outcome.type ?? "text",
          text: outcome.text.slice(0, 200),
          at: FieldValue.serverTimestamp(),
        };
        const stored = contextWindowSchema.safeParse(contextSnap.data() ?? {});
        let window = stored.success ? stored.data : EMPTY_WINDOW;
        const userText =
          job.message.type === "audio"
            ? (job.message.transcript ?? job.message.text)
            : job.message.text;
        window = appendTurn(window, {
          id: job.messageId,
          role: "user",
          text: userText,
          atMs: job.message.createdAt?.toMillis() ?? nowMs,
        });
        window = appendTurn(window, {
          id: job.replyId,
          role: "assistant",
          text: outcome.text,
          atMs: nowMs,
        });
        tx.set(
          contextRef(job.convId),
          { turns: window.turns, turnsSinceSummary: window.turnsSinceSummary },
          { merge: true },
        );
        tx.set(
          statShardRef(job.message.characterId),
          { messages: FieldValue.increment(1), lastActiveAtMs: nowMs },
          { merge: true },
        );
      }
      if (usage) {
        conversationUpdate["tokens.prompt"] = FieldValue.increment(usage.promptTokens);
        conversationUpdate["tokens.completion"] = FieldValue.increment(usage.completionTokens);
        conversationUpdate["tokens.cached"] = FieldValue.increment(usage.cachedTokens);
        conversationUpdate.costUsd = FieldValue.increment(cost.usd);
        recordAiUsage(tx, {
          uid: job.message.userId,
          characterId: job.message.characterId,
          usage,
          costUsd: cost.usd,
          nowMs,
        });
      }
      tx.update(conversationRef(job.convId), conversationUpdate);
      return true;
    },
    { maxAttempts: 30 },
  );
  if (!committed)
    logger.info("reply already finished or retaken elsewhere", { replyId: job.replyId });
  return outcome;
}
