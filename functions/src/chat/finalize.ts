// The one transaction that ends a take: the final text and status, the free-tier unit
// settled (given back when no take delivered with it), the conversation's counts, the
// context window, the character's statistics and the daily AI usage.
//
// Reads: the reply (is the lease still this worker's?). The context window was read before
// the model call; it is written with a precondition that it has not changed since, so the
// common case needs no second read, and a concurrent change (another turn, a summary, a
// chosen version) makes the transaction run again reading it.
import { FieldValue, type Timestamp, type Transaction } from "firebase-admin/firestore";
import type { ReplyError } from "../contract/errors";
import { settleUnit } from "../limits/policy";
import { writeMeter } from "../limits/store";
import { db } from "../shared/firebase";
import { notifyReplyIfAway } from "../notifications/reply";
import { recordAiUsage } from "./ai-usage";
import {
  contextWindowSchema,
  EMPTY_WINDOW,
  shouldRefreshSummary,
  upsertTurn,
  type ContextWindow,
  type ReplyDiagnostics,
} from "./core/memory";
import { canTransition, replySchema, type TokenUsage } from "../contract/chat";
import { costOf } from "./core/models";
import type { ErrorKind } from "./core/retry";
import type { ReplyJob } from "./job";
import type { TurnLog } from "./log";
import { searchKeywords } from "../contract/search";
import { statShardRef } from "./stats";
import { contextRef, conversationRef, messagesRef } from "./store";

export interface TakeOutcome {
  status: "complete" | "blocked" | "failed" | "stopped";
  text: string;
  error?: ReplyError;
  errorKind?: ErrorKind;
  usage?: TokenUsage | null;
  /** The model that answered (private: kept in the context window's diagnostics). */
  model?: string;
  finishReason?: string | null;
  /** When listeners first saw text of this take (a partial write), if they did before the end. */
  firstVisibleAtMs?: number | null;
  attempts?: number;
  diagnostics?: Omit<ReplyDiagnostics, "model">;
  media?: Record<string, unknown>;
  audio?: Record<string, unknown>;
  type?: "text" | "audio" | "media";
}

/** The context window as read before the model call, with the time it was last changed. */
export interface ContextSnapshot {
  window: ContextWindow;
  /** null when the document did not exist. */
  updateTime: Timestamp | null;
}

export interface FinalizeResult {
  committed: boolean;
  /** The window now holds enough new turns to fold into the summary. */
  summaryDue: boolean;
}

/** Whether the user got something for their message. */
export function deliveredSomething(outcome: Pick<TakeOutcome, "status" | "text">): boolean {
  if (outcome.status === "complete") return true;
  if (outcome.status === "stopped") return outcome.text.trim() !== "";
  return false;
}

function isContextConflict(error: unknown): boolean {
  // FAILED_PRECONDITION (the window changed) or ALREADY_EXISTS (it was created meanwhile).
  const code = error && typeof error === "object" && "code" in error ? error.code : null;
  return code === 9 || code === 6;
}

export async function finalizeTake(
  job: ReplyJob,
  outcome: TakeOutcome,
  context: ContextSnapshot | null,
  log: TurnLog,
): Promise<FinalizeResult> {
  const run = (known: ContextSnapshot | null) =>
    db().runTransaction((tx) => finalizeIn(tx, job, outcome, known), { maxAttempts: 30 });
  let result: FinalizeResult;
  try {
    result = await run(context);
  } catch (error) {
    if (!context || !isContextConflict(error)) throw error;
    log.info("context window changed during the reply; finalizing with a fresh read");
    result = await run(null);
  }
  if (!result.committed) log.info("reply already finished or retaken elsewhere");
  return result;
}

async function finalizeIn(
  tx: Transaction,
  job: ReplyJob,
  outcome: TakeOutcome,
  known: ContextSnapshot | null,
): Promise<FinalizeResult> {
  const nowMs = Date.now();
  const replyRef = messagesRef(job.convId).doc(job.replyId);
  const [replySnap, contextSnap] = await Promise.all([
    tx.get(replyRef),
    known || !deliveredSomething(outcome) ? null : tx.get(contextRef(job.convId)),
  ]);
  const reply = replySchema.safeParse(replySnap.data());
  // Only the current lease holder may finish the reply: a retaken or finished reply is
  // someone else's now.
  if (
    !reply.success ||
    !canTransition(reply.data.status, outcome.status) ||
    reply.data.status !== "generating" ||
    reply.data.lease?.owner !== job.owner
  ) {
    return { committed: false, summaryDue: false };
  }
  const usage = outcome.usage ?? null;
  const cost = usage && outcome.model ? costOf(outcome.model, usage) : { usd: 0, priced: false };
  const delivered = deliveredSomething(outcome);
  const firstAnswer = delivered && !reply.data.answered;
  const settled = settleUnit(reply.data.unit, delivered);
  const { message } = job;
  const firstTextAtMs = outcome.firstVisibleAtMs ?? (delivered ? nowMs : null);

  tx.update(replyRef, {
    status: outcome.status,
    text: outcome.status === "blocked" ? "" : outcome.text,
    type: outcome.type ?? "text",
    lease: null,
    unit: settled.unit,
    answered: reply.data.answered || delivered,
    userCounted: true,
    error: outcome.error ?? null,
    finishReason: outcome.finishReason ?? null,
    usage,
    costUsd: cost.usd,
    priced: cost.priced,
    latencyMs: {
      total: nowMs - job.startedAtMs,
      // The first text a listener saw: a partial write, or this final write.
      firstText: firstTextAtMs === null ? null : firstTextAtMs - job.startedAtMs,
    },
    attempts: outcome.attempts ?? 1,
    media: outcome.media ?? null,
    audio: outcome.audio ?? null,
    keywords: delivered ? searchKeywords(outcome.text) : [],
    completedAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  });
  if (settled.refund) {
    writeMeter(tx, message.userId, {
      unit: { characterId: message.characterId, kind: message.type, delta: -1 },
    });
  }

  // The conversation, once per turn.
  const conversation: Record<string, unknown> = {
    deleted: false,
    updatedAt: FieldValue.serverTimestamp(),
  };
  if (!reply.data.userCounted) {
    conversation[`counts.user.${message.type}`] = FieldValue.increment(1);
    conversation.lastMessage = {
      role: "user",
      type: message.type,
      text: message.text.slice(0, 200),
      at: FieldValue.serverTimestamp(),
    };
  }
  if (delivered) {
    if (firstAnswer) {
      conversation["counts.assistant"] = FieldValue.increment(1);
      conversation.unread = FieldValue.increment(1);
    }
    conversation.lastMessage = {
      role: "assistant",
      type: outcome.type ?? "text",
      text: outcome.text.slice(0, 200),
      at: FieldValue.serverTimestamp(),
    };
  }
  if (usage) {
    conversation["tokens.prompt"] = FieldValue.increment(usage.promptTokens);
    conversation["tokens.completion"] = FieldValue.increment(usage.completionTokens);
    conversation["tokens.cached"] = FieldValue.increment(usage.cachedTokens);
    conversation.costUsd = FieldValue.increment(cost.usd);
    recordAiUsage(tx, {
      uid: message.userId,
      characterId: message.characterId,
      usage,
      costUsd: cost.usd,
      nowMs,
    });
  }
  tx.update(conversationRef(job.convId), conversation);
  // A first answer the user was not watching: `reply_ready` (2 writes; none while watched).
  notifyReplyIfAway(tx, {
    uid: message.userId,
    conversationId: job.convId,
    characterId: message.characterId,
    messageId: job.messageId,
    character: job.character,
    viewingAtMs: job.viewingAtMs,
    firstAnswer,
    type: outcome.type ?? "text",
    text: outcome.text,
    nowMs,
  });

  let summaryDue = false;
  if (delivered) {
    const stored = known
      ? known.window
      : (contextWindowSchema.safeParse(contextSnap?.data() ?? {}).data ?? EMPTY_WINDOW);
    const userText = message.type === "audio" ? (message.transcript ?? message.text) : message.text;
    let window = upsertTurn(stored, {
      id: job.messageId,
      role: "user",
      text: userText,
      atMs: message.createdAt?.toMillis() ?? nowMs,
    });
    window = upsertTurn(window, {
      id: job.replyId,
      role: "assistant",
      text: outcome.text,
      atMs: nowMs,
      ...(outcome.diagnostics && outcome.model
        ? { diagnostics: { ...outcome.diagnostics, model: outcome.model } }
        : {}),
    });
    const fields = { turns: window.turns, turnsSinceSummary: window.turnsSinceSummary };
    if (!known) tx.set(contextRef(job.convId), fields, { merge: true });
    else if (known.updateTime)
      tx.update(contextRef(job.convId), fields, { lastUpdateTime: known.updateTime });
    else tx.create(contextRef(job.convId), { ...fields, summary: "" });
    summaryDue = shouldRefreshSummary(window.turnsSinceSummary);
  }
  if (firstAnswer) {
    // Statistics count a message once, however often it is regenerated.
    tx.set(
      statShardRef(message.characterId),
      { messages: FieldValue.increment(1), lastActiveAtMs: nowMs },
      { merge: true },
    );
  }
  return { committed: true, summaryDue };
}

/**
 * Hands a queued take back to the reply queue (the provider answered 429 before any text):
 * the reply shows `queued` again and the queue retries the task later. Only while this
 * worker holds the lease.
 */
export async function deferTake(job: ReplyJob): Promise<boolean> {
  const replyRef = messagesRef(job.convId).doc(job.replyId);
  return db().runTransaction(async (tx) => {
    const reply = replySchema.safeParse((await tx.get(replyRef)).data());
    if (
      !reply.success ||
      reply.data.status !== "generating" ||
      reply.data.lease?.owner !== job.owner ||
      !canTransition("generating", "queued")
    )
      return false;
    tx.update(replyRef, {
      status: "queued",
      lease: null,
      text: "",
      "queue.deferrals": FieldValue.increment(1),
      updatedAt: FieldValue.serverTimestamp(),
    });
    return true;
  });
}
