// The one decision about a take of a reply: whether a worker may generate it now, and what
// that costs. A new message (or a redelivery of it), the sweeper finding a dead worker's
// reply, and a user's regeneration all come here, inside the transaction that writes the
// outcome, so there is exactly one place that checks the account, the character, premium,
// the free tier and the per-minute limit. Pure: the caller reads, this decides, the caller
// writes.
import type { ReplyErrorCode } from "../../contract/errors";
import {
  messageRateLimit,
  NO_UNIT,
  quotaDecision,
  slidingWindow,
  takeNeedsUnit,
  type MessageKind,
  type MessageUnit,
  type UsageCounts,
} from "../../limits/policy";
import { canTransition, REGENERABLE_STATUSES, type ReplyStatus } from "../../contract/chat";
import { leaseExpiry, MAX_TAKES } from "./reply-state";

export type TakeRequest =
  /** The reply trigger, for a user message (first delivery or a redelivery). */
  | "message"
  /** The sweeper, for a reply whose worker stopped renewing its lease. */
  | "sweep"
  /** The user asked for another version of a finished reply. */
  | "regenerate";

/** What the reply document says, when there is one the code can read. */
export interface ReplyState {
  status: ReplyStatus;
  /** Tries of the current take so far (a retake after a crash is another try). */
  attempt: number;
  leaseExpiresAtMs: number | null;
  unit: MessageUnit;
  /** While queued: when the take joined the queue. */
  enqueuedAtMs: number | null;
}

export interface TakeInput {
  request: TakeRequest;
  /** null: no reply document yet; "unreadable": one exists that does not parse. */
  reply: ReplyState | null | "unreadable";
  nowMs: number;
  leaseMs: number;
  account: {
    exists: boolean;
    deactivated: boolean;
    premium: boolean;
    rateLimitExempt: boolean;
    /** Only consulted when `requireVerifiedEmail` is on. */
    emailVerified: boolean;
  };
  requireVerifiedEmail: boolean;
  character: { exists: boolean; published: boolean; premiumOnly: boolean };
  kind: MessageKind;
  /** This user's free-tier counts with this character. */
  usage: UsageCounts;
  /** Times of this user's recent messages (the per-minute window). */
  recentMessageHits: readonly number[];
  premiumMessagesPerMinute: number;
  /** Free users' takes wait in the reply queue (REPLY_PRIORITY); premium takes never do. */
  priority: boolean;
  /** A queued take not dispatched for this long is given up on (the queue's retries ended). */
  queueGiveUpMs: number;
}

export type SkipReason =
  | "finished"
  | "lease_active"
  | "unreadable"
  | "nothing_to_sweep"
  | "not_regenerable"
  | "in_progress"
  | "not_queued";

export type TakeDecision =
  /** Nothing to do: a duplicate delivery, a live worker, or a document not ours to touch. */
  | { action: "skip"; reason: SkipReason }
  /** Not answered. `hits` is the new window when this message counts toward it. */
  | {
      action: "refuse";
      code: ReplyErrorCode;
      status: ReplyStatus;
      hits: number[] | null;
      retryAfterMs?: number;
    }
  /** Every try of the take died, or the queue gave up: the reply fails (the unit may come back). */
  | { action: "fail"; code: ReplyErrorCode }
  | {
      action: "generate";
      kind: "first" | "retake" | "regenerate" | "dispatched";
      attempt: number;
      leaseExpiresAtMs: number;
      /** Charge a free-tier unit in the same transaction. */
      chargeUnit: boolean;
      /** The new per-minute window to write; null for a take already counted. */
      hits: number[] | null;
    }
  /** Accepted and charged like a generate, but the take waits in the reply queue. */
  | {
      action: "queue";
      kind: "first" | "regenerate";
      chargeUnit: boolean;
      hits: number[] | null;
    };

function refusalStatus(code: ReplyErrorCode): ReplyStatus {
  if (code === "limit_reached" || code === "premium_required") return "limit_reached";
  if (code === "rate_limited") return "rate_limited";
  return "failed";
}

function retakeOrFail(reply: ReplyState, input: TakeInput): TakeDecision {
  if (reply.status === "queued") {
    // The queue delivers it; only a take left in the queue past all its retries is failed.
    const waited = input.nowMs - (reply.enqueuedAtMs ?? input.nowMs);
    if (input.request === "sweep" && waited > input.queueGiveUpMs)
      return { action: "fail", code: "reply_busy" };
    return { action: "skip", reason: "lease_active" };
  }
  if (reply.status !== "generating") return { action: "skip", reason: "finished" };
  // A worker that set no lease cannot be waited for: its lease counts as expired.
  if ((reply.leaseExpiresAtMs ?? Number.NEGATIVE_INFINITY) > input.nowMs)
    return { action: "skip", reason: "lease_active" };
  const attempt = reply.attempt + 1;
  if (attempt > MAX_TAKES) return { action: "fail", code: "reply_failed" };
  return {
    action: "generate",
    kind: "retake",
    attempt,
    leaseExpiresAtMs: leaseExpiry(input.nowMs, input.leaseMs),
    chargeUnit: false,
    hits: null,
  };
}

/** The checks a new message and a regeneration both pass, in order. */
function checkNewTake(
  input: TakeInput,
  unit: MessageUnit,
  kind: "first" | "regenerate",
): TakeDecision {
  const { account, character } = input;
  // Every message counts toward the per-minute limit whatever its outcome, so refusals are
  // bounded too; only a message refused by the limit itself is not recorded (the window is
  // full and stays so).
  let hits: number[] | null = null;
  if (!account.rateLimitExempt) {
    const window = slidingWindow(
      input.recentMessageHits,
      input.nowMs,
      messageRateLimit(account.premium, input.premiumMessagesPerMinute),
    );
    if (!window.allowed) {
      return {
        action: "refuse",
        code: "rate_limited",
        status: "rate_limited",
        hits: null,
        retryAfterMs: window.retryAfterMs,
      };
    }
    hits = window.hits;
  }
  const refuse = (code: ReplyErrorCode): TakeDecision => ({
    action: "refuse",
    code,
    status: refusalStatus(code),
    hits,
  });
  if (!account.exists || account.deactivated) return refuse("account_inactive");
  if (!character.exists || !character.published) return refuse("character_unavailable");
  if (character.premiumOnly && !account.premium) return refuse("premium_required");
  if (input.requireVerifiedEmail && !account.premium && !account.emailVerified)
    return refuse("email_unverified");
  const chargeUnit = takeNeedsUnit(unit, account.premium);
  if (chargeUnit && !quotaDecision(input.kind, input.usage, account.premium).allowed)
    return refuse("limit_reached");
  // Premium replies go straight to a worker; free ones wait their turn in the reply queue,
  // so when the provider's capacity runs short it is free users who wait.
  if (input.priority && !account.premium) return { action: "queue", kind, chargeUnit, hits };
  return {
    action: "generate",
    kind,
    attempt: 1,
    leaseExpiresAtMs: leaseExpiry(input.nowMs, input.leaseMs),
    chargeUnit,
    hits,
  };
}

/**
 * The reply queue delivers a take: a worker starts it if it still waits. A second delivery,
 * or a reply stopped or deleted meanwhile, finds nothing to start. Nothing else is checked
 * or charged: that was done when the take was queued.
 */
export function decideDispatch(
  reply: ReplyState | null | "unreadable",
  nowMs: number,
  leaseMs: number,
): TakeDecision {
  if (reply === null || reply === "unreadable" || reply.status !== "queued")
    return { action: "skip", reason: "not_queued" };
  return {
    action: "generate",
    kind: "dispatched",
    attempt: 1,
    leaseExpiresAtMs: leaseExpiry(nowMs, leaseMs),
    chargeUnit: false,
    hits: null,
  };
}

export function decideTake(input: TakeInput): TakeDecision {
  const { reply } = input;
  // A document that does not parse is never overwritten: it is not one the code wrote.
  if (reply === "unreadable") return { action: "skip", reason: "unreadable" };
  switch (input.request) {
    case "message":
      if (reply === null) return checkNewTake(input, NO_UNIT, "first");
      return retakeOrFail(reply, input);
    case "sweep":
      if (reply === null) return { action: "skip", reason: "nothing_to_sweep" };
      return retakeOrFail(reply, input);
    case "regenerate":
      if (reply === null) return { action: "skip", reason: "not_regenerable" };
      if (reply.status === "generating" || reply.status === "queued")
        return { action: "skip", reason: "in_progress" };
      if (
        !REGENERABLE_STATUSES.includes(reply.status) ||
        !canTransition(reply.status, "generating")
      )
        return { action: "skip", reason: "not_regenerable" };
      return checkNewTake(input, reply.unit, "regenerate");
  }
}
