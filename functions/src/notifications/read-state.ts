// The unread count (users/{uid}/counters/notifications), kept by functions only: every new
// notification adds one in the write that creates it (deliver.ts). An app marks one
// notification read itself (firestore.rules allow only `read: true` with the server time,
// once), and the update trigger takes one away, once per event. markAllNotificationsRead
// changes no notification: it sets the count to 0 and `readBefore` to now, and every
// notification created until then counts as read (the trigger then ignores their marks).
import { FieldValue } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import {
  markAllNotificationsReadInput,
  type MarkAllNotificationsReadOutput,
} from "../contract/notifications";
import { timestampSchema } from "../contract/timestamp";
import { applyOnce } from "../characters/store";
import { requireActiveUser } from "../identity/guards";
import { parseInput, requireAuth } from "../shared/callable";
import { db } from "../shared/firebase";
import { notificationCounterRef } from "./store";

function field(data: unknown, name: string): unknown {
  return typeof data === "object" && data !== null ? Reflect.get(data, name) : undefined;
}

function millis(value: unknown): number | null {
  const parsed = timestampSchema.safeParse(value);
  return parsed.success ? parsed.data.toMillis() : null;
}

export interface NotificationUpdate {
  eventId: string;
  uid: string;
  before: unknown;
  after: unknown;
}

export type ReadOutcome = "counted" | "unchanged" | "duplicate" | "no-counter";

export async function countNotificationRead(
  event: NotificationUpdate,
  nowMs = Date.now(),
): Promise<ReadOutcome> {
  const becameRead = field(event.before, "read") === false && field(event.after, "read") === true;
  if (!becameRead) return "unchanged";
  const createdAtMs = millis(field(event.after, "createdAt"));
  const counter = notificationCounterRef(event.uid);
  return applyOnce("notificationRead", event.eventId, nowMs, async (tx) => {
    const snapshot = await tx.get(counter);
    // Gone with its account (deletion removes the counter too): nothing to count.
    if (!snapshot.exists) return "no-counter";
    // Already counted as read by "mark all read".
    const readBeforeMs = millis(snapshot.get("readBefore"));
    if (readBeforeMs !== null && createdAtMs !== null && createdAtMs <= readBeforeMs)
      return "unchanged";
    const unread: unknown = snapshot.get("unread");
    if (typeof unread === "number" && unread > 0) {
      tx.update(counter, {
        unread: FieldValue.increment(-1),
        updatedAt: FieldValue.serverTimestamp(),
      });
    }
    return "counted";
  });
}

/** One read and one write, however many notifications there are. */
export async function markAllNotificationsRead(
  request: CallableRequest<unknown>,
): Promise<MarkAllNotificationsReadOutput> {
  const caller = requireAuth(request);
  parseInput(markAllNotificationsReadInput, request.data);
  await requireActiveUser(caller);
  const counter = notificationCounterRef(caller.uid);
  return db().runTransaction(async (tx): Promise<MarkAllNotificationsReadOutput> => {
    const snapshot = await tx.get(counter);
    if (!snapshot.exists) return { cleared: 0 };
    const unread: unknown = snapshot.get("unread");
    // The transaction holds the counter, so a notification written meanwhile either came
    // before (its createdAt is earlier than this commit: read) or after (counted anew).
    tx.update(counter, {
      unread: 0,
      readBefore: FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
    return { cleared: typeof unread === "number" ? Math.max(0, unread) : 0 };
  });
}
