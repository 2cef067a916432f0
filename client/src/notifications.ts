// Notifications: the list, the unread count for a badge, marking read. Functions write them
// (see NOTIFICATION_TYPES for what each type carries); the app only reads and marks read.
import { limit, orderBy, query, serverTimestamp, updateDoc, where } from "firebase/firestore";
import {
  isNotificationRead,
  notificationCounterSchema,
  notificationSchema,
  paths,
  type MarkAllNotificationsReadOutput,
  type Notification,
} from "../../functions/src/contract/index.js";
import { requireUser } from "./auth.js";
import { call } from "./call.js";
import type { AiChatClient } from "./connect.js";
import {
  plainDoc,
  typedCollection,
  typedDoc,
  watchDocument,
  watchQuery,
  type ErrorHandler,
  type Unsubscribe,
  type WithId,
} from "./documents.js";
import { toAppError } from "./errors.js";

/** A notification with its id; `read` also counts "mark all read". */
export type NotificationDoc = WithId<Notification>;

function counterDoc(client: AiChatClient) {
  return typedDoc(
    client,
    paths.notificationCounter(requireUser(client).uid),
    notificationCounterSchema,
  );
}

/**
 * The newest notifications (50 by default), live. `unreadOnly` lists only unread ones. A
 * notification of a type this app does not know is reported to onError and left out.
 */
export function watchNotifications(
  client: AiChatClient,
  onChange: (notifications: NotificationDoc[]) => void,
  options: { limit?: number; unreadOnly?: boolean; onError?: ErrorHandler } = {},
): Unsubscribe {
  const uid = requireUser(client).uid;
  let readBeforeMs: number | null | undefined;
  let latest: NotificationDoc[] | undefined;
  const emit = () => {
    if (latest === undefined || readBeforeMs === undefined) return;
    const known = readBeforeMs;
    const marked = latest.map((each) => ({ ...each, read: isNotificationRead(each, known) }));
    onChange(options.unreadOnly ? marked.filter((each) => !each.read) : marked);
  };
  const notifications = typedCollection(client, paths.notifications(uid), notificationSchema);
  const stopList = watchQuery(
    query(
      notifications,
      ...(options.unreadOnly ? [where("read", "==", false)] : []),
      orderBy("createdAt", "desc"),
      limit(options.limit ?? 50),
    ),
    (docs) => {
      latest = docs;
      emit();
    },
    options.onError,
  );
  const stopCounter = watchDocument(
    counterDoc(client),
    (counter) => {
      readBeforeMs = counter?.readBefore ? counter.readBefore.toMillis() : null;
      emit();
    },
    options.onError,
  );
  return () => {
    stopList();
    stopCounter();
  };
}

/** How many notifications are unread (for a badge), live; 0 before the first one. */
export function watchUnreadCount(
  client: AiChatClient,
  onChange: (unread: number) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(
    counterDoc(client),
    (counter) => onChange(Math.max(0, counter?.unread ?? 0)),
    onError,
  );
}

/** Marks one notification read (the unread count follows a moment later). */
export async function markNotificationRead(
  client: AiChatClient,
  notification: Pick<NotificationDoc, "id" | "read">,
): Promise<void> {
  if (notification.read) return;
  try {
    await updateDoc(
      plainDoc(client, paths.notification(requireUser(client).uid, notification.id)),
      { read: true, readAt: serverTimestamp() },
    );
  } catch (error) {
    throw toAppError(error);
  }
}

/** Marks every notification read at once (one call, however many there are). */
export function markAllNotificationsRead(
  client: AiChatClient,
): Promise<MarkAllNotificationsReadOutput> {
  return call(client, "markAllNotificationsRead", {});
}
