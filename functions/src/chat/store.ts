// Where the chat loop keeps things. The document shapes are in contract/chat.ts.
//
// conversations/{uid}_{characterId}                 one per user and character
// conversations/{id}/messages/{messageId}           user messages (client-written)
// conversations/{id}/messages/{messageId}_reply     the character's reply to it
// conversations/{id}/context/window                 recent turns + rolling summary
// aiUsageDaily/{day}_{scope}_{id}_{shard}           tokens and cost per day (ai-usage.ts)
// replyQueue/stats                                  the reply queue's recent wait (queue.ts)
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";

export function conversationRef(id: string) {
  return db().doc(paths.conversation(id));
}

/** A user's conversations (account deletion removes them). */
export function conversationsOf(uid: string) {
  return db().collection(paths.conversations()).where("userId", "==", uid);
}

export function messagesRef(id: string) {
  return db().collection(paths.messages(id));
}

export function contextRef(id: string) {
  return conversationRef(id).collection("context").doc("window");
}

/** The reply queue's recent wait, which queued replies show as their estimate (queue.ts). */
export function replyQueueStatsRef() {
  return db().collection("replyQueue").doc("stats");
}

/** Daily AI usage documents (chat/ai-usage.ts writes them). */
export function aiUsageDailyCollection() {
  return db().collection("aiUsageDaily");
}

export function aiUsageOfDay(day: string) {
  return aiUsageDailyCollection().where("day", "==", day);
}

/** Replies still `generating` whose lease ran out: their worker died (chat/sweep.ts). */
/** Every message of every conversation, for operational counts (replyPipelineStatus). */
export function allMessages() {
  return db().collectionGroup("messages");
}

export function staleRepliesQuery(nowMs: number, limit: number) {
  return db()
    .collectionGroup("messages")
    .where("status", "==", "generating")
    .where("lease.expiresAtMs", "<", nowMs)
    .limit(limit);
}

/** Replies waiting in the reply queue since before `beforeMs` (the sweeper gives up on them). */
export function staleQueuedRepliesQuery(beforeMs: number, limit: number) {
  return db()
    .collectionGroup("messages")
    .where("status", "==", "queued")
    .where("queue.enqueuedAtMs", "<", beforeMs)
    .limit(limit);
}

/** A conversation's latest user message (only the latest reply can be regenerated). */
export function latestUserMessageQuery(convId: string) {
  return messagesRef(convId).where("role", "==", "user").orderBy("createdAt", "desc").limit(1);
}
