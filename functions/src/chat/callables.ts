// Conversation callables: start, stop, regenerate, pick a version, delete, search.
import { randomUUID } from "node:crypto";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import { enforceRateLimit } from "../limits/rate-limit";
import { fail, parseInput, requireAuth, type Caller } from "../shared/callable";
import { db } from "../shared/firebase";
import { chatNameOf, isPremiumProfile, userDoc } from "../identity/profiles";
import { writeNewConversation } from "./conversation";
import { generateReplySafely } from "./generate";
import { queryKeywords } from "./search-keywords";
import {
  conversationId,
  conversationSchema,
  conversationStatsInput,
  deleteConversationInput,
  replyIdFor,
  replySchema,
  replyTargetInput,
  searchMessagesInput,
  selectReplyVersionInput,
  startConversationInput,
  userMessageSchema,
  type ConversationStatsOutput,
  type DeleteConversationOutput,
  type RegenerateReplyOutput,
  type SearchMessagesOutput,
  type SelectReplyVersionOutput,
  type StartConversationOutput,
  type StopReplyOutput,
} from "../contract/chat";
import { conversationRef, messagesRef } from "./store";

async function ownConversation(caller: Caller, convId: string) {
  const snapshot = await conversationRef(convId).get();
  if (!snapshot.exists || snapshot.get("userId") !== caller.uid) {
    fail("conversation_not_found");
  }
  return snapshot;
}

export async function startConversation(
  request: CallableRequest<unknown>,
): Promise<StartConversationOutput> {
  const caller = requireAuth(request);
  const { characterId } = parseInput(startConversationInput, request.data);
  const convId = conversationId(caller.uid, characterId);
  const created = await db().runTransaction(async (tx) => {
    const [conversation, character] = await Promise.all([
      tx.get(conversationRef(convId)),
      tx.get(db().collection("characters").doc(characterId)),
    ]);
    if (!character.exists || character.get("published") !== true) {
      fail("character_not_found");
    }
    if (conversation.exists) {
      if (conversation.get("deleted") === true)
        tx.update(conversationRef(convId), { deleted: false, deletedAt: null });
      return false;
    }
    const greeting: unknown = character.get("greeting");
    const alternates: unknown = character.get("alternateGreetings");
    const candidates: unknown[] = [
      greeting,
      ...(Array.isArray(alternates) ? (alternates as unknown[]) : []),
    ];
    const greetings = candidates.filter(
      (text): text is string => typeof text === "string" && text.trim() !== "",
    );
    const chosen =
      greetings.length > 0 ? greetings[Math.floor(Math.random() * greetings.length)] : "";
    writeNewConversation(tx, convId, caller.uid, characterId, chosen, Date.now());
    return true;
  });
  return { conversationId: convId, created };
}

/** Stops a streaming reply; the partial text stays, status `stopped`. */
export async function stopReply(request: CallableRequest<unknown>): Promise<StopReplyOutput> {
  const caller = requireAuth(request);
  const input = parseInput(replyTargetInput, request.data);
  await ownConversation(caller, input.conversationId);
  const replyRef = messagesRef(input.conversationId).doc(replyIdFor(input.messageId));
  return db().runTransaction(async (tx): Promise<StopReplyOutput> => {
    const reply = replySchema.safeParse((await tx.get(replyRef)).data());
    if (!reply.success) fail("reply_not_found");
    if (reply.data.status !== "generating") return { status: reply.data.status };
    if (reply.data.lease && reply.data.lease.expiresAtMs < Date.now()) {
      // Nobody is generating any more (the worker died): stop it here.
      tx.update(replyRef, {
        status: "stopped",
        lease: null,
        stopRequested: true,
        updatedAt: FieldValue.serverTimestamp(),
      });
      return { status: "stopped" };
    }
    // The generating worker watches this flag, ends the stream and finalizes.
    tx.update(replyRef, { stopRequested: true, updatedAt: FieldValue.serverTimestamp() });
    return { status: "stopping" };
  });
}

/**
 * Generates the last reply again. The previous text is kept in `versions`; the user's
 * quota is not charged again (the unit belongs to their message, which was already counted).
 */
export async function regenerateReply(
  request: CallableRequest<unknown>,
): Promise<RegenerateReplyOutput> {
  const caller = requireAuth(request);
  const input = parseInput(replyTargetInput, request.data);
  await ownConversation(caller, input.conversationId);
  await enforceRateLimit(caller.uid, "regenerate");
  const messageRef = messagesRef(input.conversationId).doc(input.messageId);
  const replyRef = messagesRef(input.conversationId).doc(replyIdFor(input.messageId));
  const owner = randomUUID();
  const claimed = await db().runTransaction(async (tx) => {
    const [messageSnap, replySnap, userSnap, latest] = await Promise.all([
      tx.get(messageRef),
      tx.get(replyRef),
      tx.get(userDoc(caller.uid)),
      tx.get(
        messagesRef(input.conversationId)
          .where("role", "==", "user")
          .orderBy("createdAt", "desc")
          .limit(1),
      ),
    ]);
    const message = userMessageSchema.safeParse(messageSnap.data());
    const reply = replySchema.safeParse(replySnap.data());
    if (!message.success || !reply.success) fail("reply_not_found");
    if (latest.docs[0]?.id !== input.messageId) {
      fail("reply_not_latest");
    }
    if (reply.data.status === "generating" || reply.data.status === "pending") {
      fail("reply_in_progress");
    }
    if (!["complete", "stopped", "failed", "blocked"].includes(reply.data.status)) {
      fail("reply_not_answered");
    }
    const premium = isPremiumProfile(userSnap, Date.now());
    tx.update(replyRef, {
      status: "generating",
      versions: FieldValue.arrayUnion({
        text: reply.data.text,
        status: reply.data.status,
        model: typeof replySnap.get("model") === "string" ? String(replySnap.get("model")) : null,
        atMs: Date.now(),
      }),
      text: "",
      attempt: reply.data.attempt + 1,
      stopRequested: false,
      lease: { owner, expiresAtMs: Date.now() + 90_000 },
      updatedAt: FieldValue.serverTimestamp(),
    });
    return { message: message.data, premium, userName: chatNameOf(userSnap) };
  });
  const outcome = await generateReplySafely({
    convId: input.conversationId,
    messageId: input.messageId,
    replyId: replyRef.id,
    message: claimed.message,
    owner,
    premium: claimed.premium,
    userName: claimed.userName,
    startedAtMs: Date.now(),
  });
  return { status: outcome.status };
}

/** Makes an earlier version the one shown and used as context. */
export async function selectReplyVersion(
  request: CallableRequest<unknown>,
): Promise<SelectReplyVersionOutput> {
  const caller = requireAuth(request);
  const input = parseInput(selectReplyVersionInput, request.data);
  await ownConversation(caller, input.conversationId);
  const replyRef = messagesRef(input.conversationId).doc(replyIdFor(input.messageId));
  const context = conversationRef(input.conversationId).collection("context").doc("window");
  await db().runTransaction(async (tx) => {
    const [replySnap, contextSnap] = await Promise.all([tx.get(replyRef), tx.get(context)]);
    const reply = replySchema.safeParse(replySnap.data());
    if (!reply.success) fail("reply_not_found");
    if (reply.data.status === "generating") fail("reply_in_progress");
    const chosen = reply.data.versions[input.version];
    if (!chosen) fail("version_not_found");
    const versions = [...reply.data.versions];
    versions[input.version] = {
      text: reply.data.text,
      status: reply.data.status,
      model: null,
      atMs: Date.now(),
    };
    tx.update(replyRef, {
      text: chosen.text,
      status: chosen.status,
      versions,
      updatedAt: FieldValue.serverTimestamp(),
    });
    // The context window holds the chosen text, so the next turn continues from it.
    const turns: unknown = contextSnap.get("turns");
    if (Array.isArray(turns)) {
      tx.update(context, {
        turns: turns.map((turn: unknown) =>
          turn && typeof turn === "object" && "id" in turn && turn.id === replyRef.id
            ? { ...turn, text: chosen.text }
            : turn,
        ),
      });
    }
  });
  return { selected: input.version };
}

/**
 * Soft delete hides the conversation from the user's list and keeps the data (retention);
 * hard delete removes it with every message. Usage counts are never reset by either.
 */
export async function deleteConversation(
  request: CallableRequest<unknown>,
): Promise<DeleteConversationOutput> {
  const caller = requireAuth(request);
  const input = parseInput(deleteConversationInput, request.data);
  await ownConversation(caller, input.conversationId);
  if (input.hard) {
    await db().recursiveDelete(conversationRef(input.conversationId));
    return { deleted: "hard" };
  }
  await conversationRef(input.conversationId).update({
    deleted: true,
    deletedAt: FieldValue.serverTimestamp(),
  });
  return { deleted: "soft" };
}

/** One indexed query on the first keyword; the rest are checked on that page. */
export async function searchMessages(
  request: CallableRequest<unknown>,
): Promise<SearchMessagesOutput> {
  const caller = requireAuth(request);
  const input = parseInput(searchMessagesInput, request.data);
  await ownConversation(caller, input.conversationId);
  const words = queryKeywords(input.query);
  const [first, ...rest] = words;
  if (!first) return { results: [] };
  const page = await messagesRef(input.conversationId)
    .where("keywords", "array-contains", first)
    .orderBy("createdAt", "desc")
    .limit(200)
    .get();
  const results = page.docs
    .filter((doc) => {
      const keywords: unknown = doc.get("keywords");
      return Array.isArray(keywords) && rest.every((word) => keywords.includes(word));
    })
    .slice(0, input.limit)
    .map((doc) => {
      const role: unknown = doc.get("role");
      const text: unknown = doc.get("text");
      const createdAt: unknown = doc.get("createdAt");
      return {
        messageId: doc.id,
        role: typeof role === "string" ? role : "user",
        text: typeof text === "string" ? text : "",
        createdAt: createdAt instanceof Timestamp ? createdAt.toDate().toISOString() : null,
      };
    });
  return { results };
}

export async function conversationStats(
  request: CallableRequest<unknown>,
): Promise<ConversationStatsOutput> {
  const caller = requireAuth(request);
  const { conversationId: convId } = parseInput(conversationStatsInput, request.data);
  const snapshot = await ownConversation(caller, convId);
  const counts = conversationSchema.shape.counts.safeParse(snapshot.get("counts"));
  const tokens = conversationSchema.shape.tokens.safeParse(snapshot.get("tokens"));
  const costUsd: unknown = snapshot.get("costUsd");
  return {
    counts: counts.success ? counts.data : null,
    tokens: tokens.success ? tokens.data : null,
    costUsd: typeof costUsd === "number" ? costUsd : 0,
  };
}
