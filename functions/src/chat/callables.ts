// Conversation callables: start, stop, pick a version, delete, search. (regenerateReply,
// which runs a whole take, is in regenerate.ts, so these do not load the reply pipeline.)
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import { characterDoc } from "../characters/store";
import { requireActiveUser } from "../identity/guards";
import { settleUnit } from "../limits/policy";
import { enforceRateLimit } from "../limits/rate-limit";
import { messageMeterRef, parseMeter, writeMeter } from "../limits/store";
import { fail, parseInput, requireAuth } from "../shared/callable";
import { db } from "../shared/firebase";
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
  type SearchMessagesOutput,
  type SelectReplyVersionOutput,
  type StartConversationOutput,
  type StopReplyOutput,
} from "../contract/chat";
import { writeNewConversation } from "./conversation";
import { queryKeywords } from "../contract/search";
import { ownConversation } from "./conversation-access";
import { contextRef, conversationRef, messagesRef } from "./store";

export async function startConversation(
  request: CallableRequest<unknown>,
): Promise<StartConversationOutput> {
  const caller = requireAuth(request);
  const { characterId } = parseInput(startConversationInput, request.data);
  await requireActiveUser(caller);
  await enforceRateLimit(caller.uid, "startConversation");
  const convId = conversationId(caller.uid, characterId);
  const created = await db().runTransaction(async (tx) => {
    const [conversation, character, meterSnap] = await Promise.all([
      tx.get(conversationRef(convId)),
      tx.get(characterDoc(characterId)),
      tx.get(messageMeterRef(caller.uid)),
    ]);
    if (!character.exists || character.get("published") !== true) fail("character_not_found");
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
    const counted = writeNewConversation(tx, {
      convId,
      uid: caller.uid,
      characterId,
      greeting: chosen,
      greetingAtMs: Date.now(),
      countStart: !parseMeter(meterSnap.data()).started[characterId],
    });
    if (counted) writeMeter(tx, caller.uid, { started: characterId });
    return true;
  });
  return { conversationId: convId, created };
}

/**
 * Asks the worker to stop a streaming reply: answers `stopping`, and the reply reaches
 * `stopped` (keeping the text written so far) when the worker has ended the stream. A
 * reply whose worker died is stopped here at once.
 */
export async function stopReply(request: CallableRequest<unknown>): Promise<StopReplyOutput> {
  const caller = requireAuth(request);
  const input = parseInput(replyTargetInput, request.data);
  await requireActiveUser(caller);
  await ownConversation(caller, input.conversationId);
  const messageRef = messagesRef(input.conversationId).doc(input.messageId);
  const replyRef = messagesRef(input.conversationId).doc(replyIdFor(input.messageId));
  return db().runTransaction(async (tx): Promise<StopReplyOutput> => {
    const [replySnap, messageSnap] = await Promise.all([tx.get(replyRef), tx.get(messageRef)]);
    const reply = replySchema.safeParse(replySnap.data());
    const message = userMessageSchema.safeParse(messageSnap.data());
    if (!reply.success || !message.success) fail("reply_not_found");
    const waiting = reply.data.status === "queued";
    if (!waiting && reply.data.status !== "generating") return { status: reply.data.status };
    if (waiting || (reply.data.lease && reply.data.lease.expiresAtMs < Date.now())) {
      // Nobody is generating (a take still in the reply queue, or a worker that died): stop
      // it here, settling its unit as a worker would have. A queued task then finds it
      // stopped and does nothing.
      const settled = settleUnit(reply.data.unit, reply.data.text.trim() !== "");
      tx.update(replyRef, {
        status: "stopped",
        lease: null,
        stopRequested: true,
        queue: null,
        unit: settled.unit,
        answered: reply.data.answered || reply.data.text.trim() !== "",
        userCounted: true,
        updatedAt: FieldValue.serverTimestamp(),
      });
      if (!reply.data.userCounted) {
        // The conversation counts a message when its reply ends; this one ends here.
        tx.update(conversationRef(input.conversationId), {
          [`counts.user.${message.data.type}`]: FieldValue.increment(1),
          updatedAt: FieldValue.serverTimestamp(),
        });
      }
      if (settled.refund) {
        writeMeter(tx, caller.uid, {
          unit: { characterId: message.data.characterId, kind: message.data.type, delta: -1 },
        });
      }
      return { status: "stopped" };
    }
    // The generating worker watches this flag, ends the stream and finalizes.
    tx.update(replyRef, { stopRequested: true, updatedAt: FieldValue.serverTimestamp() });
    return { status: "stopping" };
  });
}

/** Makes an earlier version the one shown and used as context. */
export async function selectReplyVersion(
  request: CallableRequest<unknown>,
): Promise<SelectReplyVersionOutput> {
  const caller = requireAuth(request);
  const input = parseInput(selectReplyVersionInput, request.data);
  await ownConversation(caller, input.conversationId);
  const replyRef = messagesRef(input.conversationId).doc(replyIdFor(input.messageId));
  const context = contextRef(input.conversationId);
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
  await requireActiveUser(caller);
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
