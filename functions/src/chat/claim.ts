// Claiming a take of a reply: one transaction reads what the decision needs (the reply, the
// user, the character, the conversation, the user's message meter), asks chat/core/take.ts,
// and writes the outcome: a refusal, a failure, or a lease for a worker, with the free-tier
// unit and the per-minute window charged in the same commit. Duplicate deliveries find the
// reply claimed or finished and write nothing.
import { FieldValue, Timestamp, type Transaction } from "firebase-admin/firestore";
import { readSettings, type Settings } from "../config";
import { replyError, type ReplyError } from "../contract/errors";
import { characterDoc } from "../characters/store";
import { chatNameOf, isPremiumProfile, userDoc } from "../identity/profiles";
import { chargedUnit, NO_UNIT, settleUnit } from "../limits/policy";
import {
  messageMeterRef,
  parseMeter,
  usageOf,
  writeMeter,
  type MeterChange,
} from "../limits/store";
import { adminAuth, db } from "../shared/firebase";
import {
  decideDispatch,
  decideTake,
  type ReplyState,
  type TakeDecision,
  type TakeRequest,
} from "./core/take";
import { DEFAULT_LEASE_MS, DEFAULT_LEASE_RENEW_MS } from "./core/reply-state";
import { writeNewConversation } from "./conversation";
import type { LeaseTiming, ReplyJob } from "./job";
import { refusalMessage, upgradeHint } from "./refusals";
import { keywordsMatch, searchKeywords } from "../contract/search";
import {
  MAX_REPLY_VERSIONS,
  replyIdFor,
  replySchema,
  type StoredReply,
  type UserMessage,
} from "../contract/chat";
import { stripServerFields } from "./prepare";
import {
  jobFromTask,
  newTaskId,
  QUEUE_GIVE_UP_MS,
  queueWaitEstimate,
  taskMessage,
  type ReplyTask,
} from "./queue";
import { conversationRef, messagesRef } from "./store";
import { viewingAtMsOf } from "../notifications/reply";

export const DEFAULT_TIMING: LeaseTiming = {
  leaseMs: DEFAULT_LEASE_MS,
  renewEveryMs: DEFAULT_LEASE_RENEW_MS,
};

export type ClaimResult =
  | { action: "generate"; job: ReplyJob }
  /** The take waits in the reply queue: enqueue `task` as `taskId` (again, if redelivered). */
  | { action: "queue"; task: ReplyTask; taskId: string }
  | Exclude<TakeDecision, { action: "generate" | "queue" }>;

export interface ClaimTarget {
  convId: string;
  messageId: string;
  message: UserMessage;
  /** The new lease owner (a fresh id per worker). */
  owner: string;
}

export interface ClaimOptions {
  nowMs?: number;
  timing?: LeaseTiming;
  settings?: Settings;
}

function replyState(reply: StoredReply): ReplyState {
  return {
    status: reply.status,
    attempt: reply.attempt,
    leaseExpiresAtMs: reply.lease?.expiresAtMs ?? null,
    unit: reply.unit,
    enqueuedAtMs: reply.queue?.enqueuedAtMs ?? null,
  };
}

/** The character as a task carries it: its profile fields, without server timestamps. */
function taskCharacter(data: Record<string, unknown>): Record<string, unknown> {
  return stripServerFields(data);
}

async function emailVerified(uid: string): Promise<boolean> {
  const user = await adminAuth()
    .getUser(uid)
    .catch(() => null);
  return user?.emailVerified === true;
}

export async function claimTake(
  request: TakeRequest,
  target: ClaimTarget,
  options: ClaimOptions = {},
): Promise<ClaimResult> {
  const settings = options.settings ?? readSettings();
  const timing = options.timing ?? DEFAULT_TIMING;
  const { convId, messageId, message } = target;
  const replyRef = messagesRef(convId).doc(replyIdFor(messageId));
  // Only read when it can matter: a new take of a free user, with the setting on.
  const [verified, estimatedWaitMs] = await Promise.all([
    settings.requireVerifiedEmail && request !== "sweep" ? emailVerified(message.userId) : true,
    settings.replyPriority && request !== "sweep" ? queueWaitEstimate() : null,
  ]);
  return db().runTransaction(
    async (tx: Transaction): Promise<ClaimResult> => {
      const nowMs = options.nowMs ?? Date.now();
      const [replySnap, userSnap, characterSnap, conversationSnap, meterSnap] = await Promise.all([
        tx.get(replyRef),
        tx.get(userDoc(message.userId)),
        tx.get(characterDoc(message.characterId)),
        tx.get(conversationRef(convId)),
        tx.get(messageMeterRef(message.userId)),
      ]);
      const parsedReply = replySnap.exists ? replySchema.safeParse(replySnap.data()) : null;
      const reply = parsedReply === null ? null : parsedReply.success ? parsedReply.data : null;
      const meter = parseMeter(meterSnap.data());
      const premium = isPremiumProfile(userSnap, nowMs);
      const decision = decideTake({
        request,
        reply: parsedReply === null ? null : reply ? replyState(reply) : "unreadable",
        nowMs,
        leaseMs: timing.leaseMs,
        account: {
          exists: userSnap.exists,
          deactivated: userSnap.get("deactivated") === true,
          premium,
          rateLimitExempt: userSnap.get("rateLimitExempt") === true,
          emailVerified: verified,
        },
        requireVerifiedEmail: settings.requireVerifiedEmail,
        character: {
          exists: characterSnap.exists,
          published: characterSnap.get("published") === true,
          premiumOnly: characterSnap.get("premiumOnly") === true,
        },
        kind: message.type,
        usage: usageOf(meter, message.characterId),
        recentMessageHits: meter.hits,
        premiumMessagesPerMinute: settings.premiumMessagesPerMinute,
        priority: settings.replyPriority,
        queueGiveUpMs: QUEUE_GIVE_UP_MS,
      });
      const characterName = String(characterSnap.get("name") ?? "") || "the character";

      const task = (take: "first" | "regenerate"): ReplyTask => ({
        convId,
        messageId,
        message: taskMessage(message),
        take,
        userName: chatNameOf(userSnap),
        character: taskCharacter(characterSnap.data() ?? {}),
        enqueuedAtMs: nowMs,
      });
      if (decision.action === "skip") {
        // A redelivered message whose take waits in the queue: enqueue it again under the
        // same task id (a no-op if the first enqueue went through).
        if (request === "message" && reply?.status === "queued" && reply.queue) {
          return {
            action: "queue",
            task: { ...task("first"), enqueuedAtMs: reply.queue.enqueuedAtMs },
            taskId: reply.queue.taskId,
          };
        }
        return decision;
      }

      // What this claim changes on the meter, written once at the end.
      const meterChange: MeterChange = {};
      const commitMeter = () => {
        if (meterChange.hits || meterChange.unit || meterChange.started)
          writeMeter(tx, message.userId, meterChange);
      };

      if (decision.action === "fail") {
        // Every try died. The unit comes back unless a take delivered with it.
        const settled = settleUnit(reply?.unit ?? NO_UNIT, false);
        if (settled.refund)
          meterChange.unit = { characterId: message.characterId, kind: message.type, delta: -1 };
        tx.update(replyRef, {
          status: "failed",
          lease: null,
          queue: null,
          unit: settled.unit,
          userCounted: true,
          error: replyError(decision.code),
          updatedAt: FieldValue.serverTimestamp(),
        });
        if (reply && !reply.userCounted && conversationSnap.exists) {
          // The conversation counts a message when its reply ends; this one ends here.
          tx.update(conversationRef(convId), {
            [`counts.user.${message.type}`]: FieldValue.increment(1),
            updatedAt: FieldValue.serverTimestamp(),
          });
        }
        commitMeter();
        return decision;
      }

      if (decision.action === "refuse") {
        if (decision.hits) meterChange.hits = decision.hits;
        // A refused regeneration leaves the reply as it was; the callable says why.
        if (request === "regenerate") {
          commitMeter();
          return decision;
        }
        const error = refusalError(decision, characterName, message, nowMs);
        tx.set(replyRef, {
          ...newReplyFields(target),
          status: decision.status,
          attempt: 1,
          lease: null,
          unit: { charged: false, deliveredSinceCharge: false },
          answered: false,
          userCounted: true,
          error,
        });
        if (
          countUserMessageNow(tx, target, conversationSnap.exists, characterSnap.get("greeting"), {
            countStart: !meter.started[message.characterId],
            nowMs,
          })
        )
          meterChange.started = message.characterId;
        indexUserMessage(tx, target);
        commitMeter();
        return decision;
      }

      // A take accepted: the meter is charged and counted in this commit; the reply is either
      // `generating` under this worker's lease, or `queued` for the reply queue.
      if (decision.hits) meterChange.hits = decision.hits;
      if (decision.chargeUnit)
        meterChange.unit = { characterId: message.characterId, kind: message.type, delta: 1 };
      const queued = decision.action === "queue";
      const taskId = queued ? newTaskId(replyRef.id) : null;
      const lease =
        decision.action === "generate"
          ? { owner: target.owner, expiresAtMs: decision.leaseExpiresAtMs }
          : null;
      const state = taskId
        ? {
            status: "queued",
            lease: null,
            queue: { enqueuedAtMs: nowMs, estimatedWaitMs, deferrals: 0, taskId },
          }
        : { status: "generating", lease, queue: null };
      if (decision.kind === "retake") {
        tx.update(replyRef, {
          status: "generating",
          attempt: decision.action === "generate" ? decision.attempt : 1,
          lease,
          text: "",
          updatedAt: FieldValue.serverTimestamp(),
        });
      } else if (decision.kind === "regenerate" && reply) {
        tx.update(replyRef, {
          ...regeneratedFields(reply, nowMs),
          ...state,
          ...(decision.chargeUnit ? { unit: chargedUnit() } : {}),
        });
      } else {
        // The first take. A new conversation is created with the message counted in it;
        // an existing one is updated once, when the reply ends (finalize.ts).
        const created = !conversationSnap.exists;
        if (
          created &&
          countUserMessageNow(tx, target, false, characterSnap.get("greeting"), {
            countStart: !meter.started[message.characterId],
            nowMs,
          })
        )
          meterChange.started = message.characterId;
        tx.set(replyRef, {
          ...newReplyFields(target),
          ...state,
          attempt: 1,
          unit: decision.chargeUnit ? chargedUnit() : NO_UNIT,
          answered: false,
          userCounted: created,
        });
        indexUserMessage(tx, target);
      }
      if (taskId) {
        commitMeter();
        return {
          action: "queue",
          task: task(decision.kind === "regenerate" ? "regenerate" : "first"),
          taskId,
        };
      }
      commitMeter();
      return {
        action: "generate",
        job: {
          convId,
          messageId,
          replyId: replyRef.id,
          message,
          owner: target.owner,
          take: decision.kind,
          premium,
          userName: chatNameOf(userSnap),
          character: characterSnap.data() ?? {},
          startedAtMs: nowMs,
          timing,
          // A conversation this message creates was written from its screen a moment ago.
          viewingAtMs: conversationSnap.exists
            ? viewingAtMsOf(conversationSnap.get("viewingAt"))
            : nowMs,
        },
      };
    },
    { maxAttempts: 30 },
  );
}

function newReplyFields(target: ClaimTarget) {
  return {
    role: "assistant",
    replyTo: target.messageId,
    userId: target.message.userId,
    characterId: target.message.characterId,
    type: "text",
    text: "",
    versions: [],
    stopRequested: false,
    error: null,
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

function refusalError(
  decision: Extract<TakeDecision, { action: "refuse" }>,
  characterName: string,
  message: UserMessage,
  nowMs: number,
): ReplyError & Record<string, unknown> {
  const error: ReplyError & Record<string, unknown> = {
    ...replyError(decision.code, refusalMessage(decision, characterName, message.type)),
  };
  if (decision.retryAfterMs !== undefined)
    error.retryAt = Timestamp.fromMillis(nowMs + decision.retryAfterMs);
  if (decision.status === "limit_reached") error.upgrade = upgradeHint();
  return error;
}

/** What a regeneration resets: the current text joins the versions and the take starts over. */
function regeneratedFields(reply: StoredReply, nowMs: number) {
  return {
    versions: keptVersions(reply, nowMs),
    text: "",
    type: "text",
    attempt: 1,
    stopRequested: false,
    error: null,
    media: null,
    audio: null,
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/** The earlier versions once the current text joins them (only takes that delivered text). */
function keptVersions(reply: StoredReply, nowMs: number) {
  const versions = [...reply.versions];
  if (reply.text.trim() !== "")
    versions.push({ text: reply.text, status: reply.status, atMs: nowMs });
  return versions.slice(-MAX_REPLY_VERSIONS);
}

/**
 * Search keywords on the user's message. A client may send them (the client library does);
 * they are written here only when it sent none or others, so a library client's turn costs
 * no write for them.
 */
function indexUserMessage(tx: Transaction, target: ClaimTarget): void {
  const text = target.message.transcript ?? target.message.text;
  if (text.trim() === "" || keywordsMatch(target.message.keywords, text)) return;
  tx.update(messagesRef(target.convId).doc(target.messageId), {
    keywords: searchKeywords(text),
    indexedAt: FieldValue.serverTimestamp(),
  });
}

/**
 * Counts the user message in its conversation now: for a refused message (no reply will
 * end it) and for the first message of a new conversation (which is created here). True
 * when this started a conversation that counts toward the character's statistics.
 */
function countUserMessageNow(
  tx: Transaction,
  target: ClaimTarget,
  exists: boolean,
  greeting: unknown,
  options: { countStart: boolean; nowMs: number },
): boolean {
  const { message, convId } = target;
  const lastMessage = {
    role: "user",
    type: message.type,
    text: message.text.slice(0, 200),
    at: FieldValue.serverTimestamp(),
  };
  if (exists) {
    tx.update(conversationRef(convId), {
      [`counts.user.${message.type}`]: FieldValue.increment(1),
      lastMessage,
      deleted: false,
      updatedAt: FieldValue.serverTimestamp(),
    });
    return false;
  }
  const greetingAtMs = message.createdAt ? message.createdAt.toMillis() - 1 : options.nowMs - 1;
  return writeNewConversation(tx, {
    convId,
    uid: message.userId,
    characterId: message.characterId,
    greeting,
    greetingAtMs,
    userCounts: { [message.type]: 1 },
    lastMessage,
    countStart: options.countStart,
  });
}

/**
 * The reply queue delivers a task: start its take if it still waits (a second delivery, or a
 * reply stopped or deleted meanwhile, finds nothing to start). One read: the task carries
 * what the claim read.
 */
export async function dispatchTake(
  task: ReplyTask,
  owner: string,
  options: Omit<ClaimOptions, "settings"> = {},
): Promise<{ action: "generate"; job: ReplyJob } | { action: "skip"; reason: string }> {
  const timing = options.timing ?? DEFAULT_TIMING;
  const replyRef = messagesRef(task.convId).doc(replyIdFor(task.messageId));
  return db().runTransaction(async (tx) => {
    const nowMs = options.nowMs ?? Date.now();
    const snapshot = await tx.get(replyRef);
    const parsed = snapshot.exists ? replySchema.safeParse(snapshot.data()) : null;
    const decision = decideDispatch(
      parsed === null ? null : parsed.success ? replyState(parsed.data) : "unreadable",
      nowMs,
      timing.leaseMs,
    );
    if (decision.action !== "generate") {
      return {
        action: "skip",
        reason: decision.action === "skip" ? decision.reason : decision.action,
      };
    }
    tx.update(replyRef, {
      status: "generating",
      attempt: decision.attempt,
      lease: { owner, expiresAtMs: decision.leaseExpiresAtMs },
      text: "",
      updatedAt: FieldValue.serverTimestamp(),
    });
    return {
      action: "generate",
      job: jobFromTask(task, { replyId: replyRef.id, owner, startedAtMs: nowMs, timing }),
    };
  });
}
