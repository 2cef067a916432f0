// Claiming a reply: one transaction decides, exactly once per user message, whether the
// character answers (and charges the free tier), or why not. Duplicate deliveries find the
// reply already claimed and do nothing.
import { FieldValue, Timestamp, type Transaction } from "firebase-admin/firestore";
import { readSettings } from "../config";
import { replyError, type ReplyErrorCode } from "../contract/errors";
import { characterProfileSchema } from "../contract/characters";
import { chatNameOf, isPremiumProfile } from "../identity/profiles";
import { checkRateLimitIn } from "../limits/rate-limit";
import { FREE_QUOTA, quotaDecision } from "../limits/policy";
import { parseUsage, usageRef } from "../limits/usage";
import { db } from "../shared/firebase";
import { decideClaim, DEFAULT_LEASE_MS } from "./core/reply-state";
import { writeNewConversation } from "./conversation";
import {
  replyIdFor,
  replySchema,
  type ReplyStatus,
  type ReplyUpgrade,
  type UserMessage,
} from "../contract/chat";
import { conversationRef, messagesRef } from "./store";

export interface ClaimedReply {
  action: "generate";
  replyId: string;
  attempt: number;
  premium: boolean;
  userName: string;
}

export type ClaimResult =
  | ClaimedReply
  | { action: "skip"; reason: string }
  | { action: "refused"; status: ReplyStatus; code: string };

interface Refusal {
  status: ReplyStatus;
  code: ReplyErrorCode;
  message: string;
  retryAt?: Timestamp;
}

function upgradeHint(): ReplyUpgrade {
  const settings = readSettings();
  return {
    priceCents: settings.premiumPriceCents,
    currency: settings.premiumCurrency,
    days: settings.premiumDays,
    callable: "createCheckoutSession",
  };
}

const KIND_LABEL = {
  text: "text messages",
  audio: "voice messages",
  media: "photo messages",
} as const;

export async function claimReply(
  convId: string,
  messageId: string,
  message: UserMessage,
  owner: string,
  nowMs = Date.now(),
): Promise<ClaimResult> {
  const firestore = db();
  const replyRef = messagesRef(convId).doc(replyIdFor(messageId));
  return firestore.runTransaction(
    async (tx: Transaction): Promise<ClaimResult> => {
      // Reads first (a transaction reads everything before it writes).
      const [replySnap, userSnap, characterSnap, usageSnap, conversationSnap] = await Promise.all([
        tx.get(replyRef),
        tx.get(firestore.collection("users").doc(message.userId)),
        tx.get(firestore.collection("characters").doc(message.characterId)),
        tx.get(usageRef(message.userId, message.characterId)),
        tx.get(conversationRef(convId)),
      ]);
      const existing = replySnap.exists ? replySchema.safeParse(replySnap.data()) : null;
      const decision = decideClaim(
        existing?.success
          ? {
              status: existing.data.status,
              attempt: existing.data.attempt,
              ...(existing.data.lease ? { leaseExpiresAtMs: existing.data.lease.expiresAtMs } : {}),
            }
          : null,
        nowMs,
        DEFAULT_LEASE_MS,
      );
      if (decision.action === "skip") return { action: "skip", reason: decision.reason };

      const premium = isPremiumProfile(userSnap, nowMs);
      const userName = chatNameOf(userSnap);

      if (decision.action === "fail") {
        if (existing?.success && existing.data.quotaCharged) {
          // Nothing was delivered: the unit charged by the first take comes back.
          const used = parseUsage(usageSnap.data())[message.type];
          tx.set(
            usageRef(message.userId, message.characterId),
            { [message.type]: Math.max(0, used - 1) },
            { merge: true },
          );
        }
        tx.update(replyRef, {
          status: "failed",
          quotaCharged: false,
          lease: null,
          error: replyError("reply_failed"),
          updatedAt: FieldValue.serverTimestamp(),
        });
        return { action: "refused", status: "failed", code: "takes_exhausted" };
      }
      if (decision.action === "retake") {
        // The quota was charged by the first take; a retake only renews the lease.
        tx.update(replyRef, {
          status: "generating",
          attempt: decision.attempt,
          lease: { owner, expiresAtMs: decision.leaseExpiresAtMs },
          text: "",
          updatedAt: FieldValue.serverTimestamp(),
        });
        return {
          action: "generate",
          replyId: replyRef.id,
          attempt: decision.attempt,
          premium,
          userName,
        };
      }

      const character = characterProfileSchema.partial().safeParse(characterSnap.data() ?? {});
      const characterName = character.success
        ? (character.data.name ?? "the character")
        : "the character";
      let refusal: Refusal | null = null;
      let commitRate: (() => void) | null = null;
      if (!userSnap.exists || userSnap.get("deactivated") === true) {
        refusal = { status: "failed", ...replyError("account_inactive") };
      } else if (!characterSnap.exists || characterSnap.get("published") !== true) {
        refusal = { status: "failed", ...replyError("character_unavailable") };
      } else if (characterSnap.get("premiumOnly") === true && !premium) {
        refusal = {
          status: "limit_reached",
          code: "premium_required",
          message: `${characterName} is for premium members. Go premium to chat.`,
        };
      } else {
        const quota = quotaDecision(message.type, parseUsage(usageSnap.data()), premium);
        if (!quota.allowed) {
          refusal = {
            status: "limit_reached",
            code: "limit_reached",
            message: `You've used your ${FREE_QUOTA[message.type]} free ${KIND_LABEL[message.type]} with ${characterName}. Go premium for unlimited messages.`,
          };
        } else if (!premium && userSnap.get("rateLimitExempt") !== true) {
          const rate = await checkRateLimitIn(tx, message.userId, "messages", nowMs);
          if (!rate.decision.allowed) {
            const retryAt = Timestamp.fromMillis(nowMs + rate.decision.retryAfterMs);
            refusal = {
              status: "rate_limited",
              code: "rate_limited",
              message: `You're sending messages quickly. Try again in ${Math.ceil(rate.decision.retryAfterMs / 1000)} s.`,
              retryAt,
            };
          } else {
            commitRate = rate.commit;
          }
        }
      }

      const base = {
        role: "assistant",
        replyTo: messageId,
        userId: message.userId,
        characterId: message.characterId,
        type: "text",
        text: "",
        versions: [],
        stopRequested: false,
        createdAt: FieldValue.serverTimestamp(),
        updatedAt: FieldValue.serverTimestamp(),
      };
      if (refusal) {
        tx.set(replyRef, {
          ...base,
          status: refusal.status,
          attempt: 1,
          lease: null,
          quotaCharged: false,
          error: {
            code: refusal.code,
            message: refusal.message,
            ...(refusal.retryAt ? { retryAt: refusal.retryAt } : {}),
            ...(refusal.status === "limit_reached" ? { upgrade: upgradeHint() } : {}),
          },
        });
        return { action: "refused", status: refusal.status, code: refusal.code };
      }

      commitRate?.();
      if (!premium) {
        tx.set(
          usageRef(message.userId, message.characterId),
          { [message.type]: FieldValue.increment(1), updatedAt: FieldValue.serverTimestamp() },
          { merge: true },
        );
      }
      tx.set(replyRef, {
        ...base,
        status: "generating",
        attempt: 1,
        lease: { owner, expiresAtMs: decision.leaseExpiresAtMs },
        // Free users' quota is charged here and refunded if the reply never delivers text.
        quotaCharged: !premium,
      });
      writeConversationOnClaim(
        tx,
        convId,
        message,
        conversationSnap.exists,
        characterSnap.get("greeting"),
        nowMs,
      );
      return { action: "generate", replyId: replyRef.id, attempt: 1, premium, userName };
    },
    { maxAttempts: 30 },
  );
}

function writeConversationOnClaim(
  tx: Transaction,
  convId: string,
  message: UserMessage,
  exists: boolean,
  greeting: unknown,
  nowMs: number,
): void {
  const lastMessage = {
    role: "user",
    type: message.type,
    text: message.text.slice(0, 200),
    at: FieldValue.serverTimestamp(),
  };
  const userCount = { [`counts.user.${message.type}`]: FieldValue.increment(1) };
  if (exists) {
    tx.update(conversationRef(convId), {
      ...userCount,
      lastMessage,
      deleted: false,
      updatedAt: FieldValue.serverTimestamp(),
    });
    return;
  }
  const greetingAtMs = message.createdAt ? message.createdAt.toMillis() - 1 : nowMs - 1;
  writeNewConversation(tx, convId, message.userId, message.characterId, greeting, greetingAtMs, {
    [message.type]: 1,
  });
  tx.update(conversationRef(convId), { lastMessage });
}
