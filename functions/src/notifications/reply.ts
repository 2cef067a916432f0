// "Your character replied" while the conversation was not on screen. Decided from what the
// turn already reads: the conversation's `viewingAt` as the reply claim read it (the app
// reports the conversation it shows, see contract/notifications.ts). Written in the reply's
// finalizing transaction, so a reply notifies at most once, and a viewed reply costs nothing.
import type { Transaction } from "firebase-admin/firestore";
import { timestampSchema } from "../contract/timestamp";
import type { MessageType } from "../contract/chat";
import { writeNotification } from "./deliver";
import { replyNotification } from "./model";

/** A conversation's `viewingAt` in milliseconds; null when absent, null or not a timestamp. */
export function viewingAtMsOf(value: unknown): number | null {
  const parsed = timestampSchema.safeParse(value);
  return parsed.success ? parsed.data.toMillis() : null;
}

export interface ReplyFinished {
  uid: string;
  conversationId: string;
  characterId: string;
  messageId: string;
  /** The character document as the claim read it. */
  character: Record<string, unknown>;
  /** Undefined when the take did not start from the claim's read: nobody is notified. */
  viewingAtMs: number | null | undefined;
  firstAnswer: boolean;
  type: MessageType;
  text: string;
  nowMs: number;
}

/** Writes `reply_ready` (2 writes) when the reply is the message's first answer and unseen. */
export function notifyReplyIfAway(tx: Transaction, reply: ReplyFinished): boolean {
  const { viewingAtMs } = reply;
  if (viewingAtMs === undefined) return false;
  const name = reply.character.name;
  const notification = replyNotification({
    ...reply,
    viewingAtMs,
    characterName: typeof name === "string" ? name : "",
  });
  if (!notification) return false;
  writeNotification(tx, reply.uid, notification);
  return true;
}
