// Chatting: a conversation per user and character, messages written straight to Firestore,
// replies that grow while they are generated, and the callables around them (stop,
// regenerate, pick a version, search, delete).
import {
  addDoc,
  limitToLast,
  orderBy,
  query,
  serverTimestamp,
  updateDoc,
  where,
} from "firebase/firestore";
import {
  assistantMessageSchema,
  chatMessageSchema,
  conversationId,
  conversationSchema,
  isTerminal,
  newMessageSchema,
  paths,
  replyIdFor,
  type AssistantMessage,
  type ChatMessage,
  type Conversation,
  type ConversationStatsOutput,
  type NewMessage,
  type RegenerateReplyOutput,
  type SearchMessagesOutput,
  type StopReplyOutput,
} from "../../functions/src/contract/index.js";
import { requireUser } from "./auth.js";
import { call } from "./call.js";
import type { AiChatClient } from "./connect.js";
import {
  plainCollection,
  plainDoc,
  typedCollection,
  typedDoc,
  waitForDocument,
  watchDocument,
  watchQuery,
  type ErrorHandler,
  type Unsubscribe,
  type WithId,
} from "./documents.js";
import { AppError, toAppError } from "./errors.js";

/** Which conversation: the signed-in user's with one character. */
export interface ConversationRef {
  conversationId: string;
  characterId: string;
}

/** A message just sent, and where its reply will be. */
export interface SentMessage extends ConversationRef {
  messageId: string;
  replyId: string;
}

export type Message = WithId<ChatMessage>;
export type Reply = WithId<AssistantMessage>;
export type ConversationDoc = WithId<Conversation>;

/** The user's conversation with a character (no call: its id is derived from both). */
export function conversationWith(client: AiChatClient, characterId: string): ConversationRef {
  return { conversationId: conversationId(requireUser(client).uid, characterId), characterId };
}

/**
 * Opens the conversation with a character: creates it with the character's greeting (the
 * message `greeting`) when there is none, restores it when it was soft-deleted. Not needed
 * before the first message (the reply trigger creates the conversation and its greeting
 * then), but it lets the app show the greeting before the user writes.
 */
export async function openConversation(
  client: AiChatClient,
  characterId: string,
): Promise<ConversationRef & { created: boolean }> {
  const opened = await call(client, "startConversation", { characterId });
  return { conversationId: opened.conversationId, characterId, created: opened.created };
}

/** The conversation document (counts, tokens, cost, unread, last message); null until created. */
export function watchConversation(
  client: AiChatClient,
  conversation: ConversationRef,
  onChange: (conversation: ConversationDoc | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(
    typedDoc(client, paths.conversation(conversation.conversationId), conversationSchema),
    onChange,
    onError,
  );
}

/** The user's conversations, most recently active first; soft-deleted ones are left out. */
export function watchConversations(
  client: AiChatClient,
  onChange: (conversations: ConversationDoc[]) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  const uid = requireUser(client).uid;
  return watchQuery(
    query(
      typedCollection(client, paths.conversations(), conversationSchema),
      where("userId", "==", uid),
      where("deleted", "==", false),
      orderBy("updatedAt", "desc"),
    ),
    onChange,
    onError,
  );
}

/**
 * The last `limit` messages, oldest first: the greeting, the user's messages and the replies.
 * Called again on every change, so a reply's text grows in place while it is generated.
 */
export function watchMessages(
  client: AiChatClient,
  conversation: ConversationRef,
  onChange: (messages: Message[]) => void,
  options: { limit?: number; onError?: ErrorHandler } = {},
): Unsubscribe {
  return watchQuery(
    query(
      typedCollection(client, paths.messages(conversation.conversationId), chatMessageSchema),
      orderBy("createdAt"),
      limitToLast(options.limit ?? 100),
    ),
    onChange,
    options.onError,
  );
}

/**
 * Sends a message: text (1-5000 characters), or a voice note or picture the user uploaded
 * (see uploadFile) with an optional caption. Resolves once the server has it; its reply
 * is then on its way (watchReply, waitForReply).
 */
export async function sendMessage(
  client: AiChatClient,
  conversation: ConversationRef,
  message: NewMessage,
): Promise<SentMessage> {
  const user = requireUser(client);
  const parsed = newMessageSchema.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "message";
    throw new AppError({
      code: "invalid_input",
      source: "client",
      message: `${field}: ${issue?.message ?? "is invalid"}`,
      field,
    });
  }
  try {
    const ref = await addDoc(plainCollection(client, paths.messages(conversation.conversationId)), {
      ...parsed.data,
      role: "user",
      characterId: conversation.characterId,
      userId: user.uid,
      createdAt: serverTimestamp(),
    });
    return { ...conversation, messageId: ref.id, replyId: replyIdFor(ref.id) };
  } catch (error) {
    throw toAppError(error);
  }
}

/** Which reply: the user message it answers. */
export interface ReplyRef {
  conversationId: string;
  messageId: string;
}

function replyDoc(client: AiChatClient, target: ReplyRef) {
  return typedDoc(
    client,
    paths.reply(target.conversationId, target.messageId),
    assistantMessageSchema,
  );
}

/** The reply to a message: null until the server claims it, then live as its text grows. */
export function watchReply(
  client: AiChatClient,
  target: ReplyRef,
  onChange: (reply: Reply | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(replyDoc(client, target), onChange, onError);
}

/** How long waitForReply waits for a final status. */
export const REPLY_TIMEOUT_MS = 180_000;

/**
 * Resolves with the reply once it has ended (`complete`, `stopped`, `failed`, `blocked`,
 * `limit_reached` or `rate_limited`; see `replyError` for why it did not complete).
 * `onUpdate` sees every version while it grows.
 */
export function waitForReply(
  client: AiChatClient,
  target: ReplyRef,
  onUpdate?: (reply: Reply) => void,
  options: { timeoutMs?: number } = {},
): Promise<Reply> {
  return waitForDocument(
    replyDoc(client, target),
    (reply) => reply !== null && isTerminal(reply.status),
    { timeoutMs: options.timeoutMs ?? REPLY_TIMEOUT_MS, timeoutCode: "timeout" },
    (reply) => {
      if (reply) onUpdate?.(reply);
    },
  );
}

/** Why a reply did not complete, as an AppError to show; null when it completed or is still going. */
export function replyError(reply: Pick<AssistantMessage, "error">): AppError | null {
  return reply.error ? toAppError(reply.error) : null;
}

/**
 * Asks the reply being generated to stop. Answers `stopping`: the reply keeps its partial
 * text and reaches `stopped` a moment later (watch it). A reply that had already ended
 * answers its final status.
 */
export async function stopReply(
  client: AiChatClient,
  target: ReplyRef,
): Promise<StopReplyOutput["status"]> {
  return (await call(client, "stopReply", pick(target))).status;
}

/**
 * Generates the latest reply again; its current text moves to `versions` (no quota is
 * charged again). Resolves when the new text has ended; watchReply shows it growing.
 */
export async function regenerateReply(
  client: AiChatClient,
  target: ReplyRef,
): Promise<RegenerateReplyOutput["status"]> {
  return (await call(client, "regenerateReply", pick(target))).status;
}

/**
 * Shows an earlier version: `version` is an index into the reply's `versions` (0 is the
 * oldest). The current text takes that slot, so calling again with the same index swaps
 * back. The chosen text is also what the character remembers.
 */
export async function selectReplyVersion(
  client: AiChatClient,
  target: ReplyRef,
  version: number,
): Promise<void> {
  await call(client, "selectReplyVersion", { ...pick(target), version });
}

/** Marks every reply read (sets `unread` to 0). */
export async function markRead(client: AiChatClient, conversation: ConversationRef): Promise<void> {
  try {
    await updateDoc(plainDoc(client, paths.conversation(conversation.conversationId)), {
      lastReadAt: serverTimestamp(),
      unread: 0,
    });
  } catch (error) {
    throw toAppError(error);
  }
}

/** Messages with every word of `text`, newest first. */
export async function searchMessages(
  client: AiChatClient,
  conversation: ConversationRef,
  text: string,
  options: { limit?: number } = {},
): Promise<SearchMessagesOutput["results"]> {
  const found = await call(client, "searchMessages", {
    conversationId: conversation.conversationId,
    query: text,
    ...(options.limit ? { limit: options.limit } : {}),
  });
  return found.results;
}

/**
 * Soft delete (default) hides the conversation and keeps its data; `hard` removes it with
 * every message. Neither gives back free messages already used.
 */
export async function deleteConversation(
  client: AiChatClient,
  conversation: ConversationRef,
  options: { hard?: boolean } = {},
): Promise<void> {
  await call(client, "deleteConversation", {
    conversationId: conversation.conversationId,
    hard: options.hard ?? false,
  });
}

export function conversationStats(
  client: AiChatClient,
  conversation: ConversationRef,
): Promise<ConversationStatsOutput> {
  return call(client, "conversationStats", { conversationId: conversation.conversationId });
}

function pick(target: ReplyRef): ReplyRef {
  return { conversationId: target.conversationId, messageId: target.messageId };
}
