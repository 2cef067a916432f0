// The person's notifications, newest first, live: each opens where it points (and is marked
// read on the way), and "Mark all read" clears the badge in one call.
import type { ReactNode } from "react";
import { Link } from "react-router";
import {
  markAllNotificationsRead,
  markNotificationRead,
  watchNotifications,
  type NotificationDoc,
} from "@aichat/client";
import { useClient } from "../../app/client";
import { useAction, useLive, useTitle } from "../../app/hooks";
import { formatDateTime } from "../../ui/format";
import { Notice, Spinner } from "../../ui/Notice";
import { describeNotification } from "./describe";

export function NotificationsScreen(): ReactNode {
  useTitle("Notifications");
  const client = useClient();
  const list = useLive<NotificationDoc[]>(
    (onData, onError) => watchNotifications(client, onData, { onError }),
    [client],
  );
  const markAll = useAction(() => markAllNotificationsRead(client));
  // The write goes out at once and survives leaving the screen (the SDK keeps it until sent).
  const markRead = useAction((notification: NotificationDoc) =>
    markNotificationRead(client, notification),
  );
  const notifications = list.data ?? [];
  const unread = notifications.filter((each) => !each.read).length;
  const error = markRead.error ?? markAll.error;

  return (
    <div className="stack">
      <div className="row spread">
        <h1 style={{ margin: 0 }}>Notifications</h1>
        <button
          type="button"
          className="secondary"
          disabled={unread === 0 || markAll.busy}
          onClick={() => void markAll.run()}
        >
          Mark all read
        </button>
      </div>
      {list.error && list.data === undefined ? (
        <Notice tone="error">{list.error.message}</Notice>
      ) : null}
      {error ? <Notice tone="error">{error.message}</Notice> : null}
      {list.data === undefined && !list.error ? <Spinner label="Loading notifications" /> : null}
      {list.data !== undefined && notifications.length === 0 ? (
        <p className="empty">
          Nothing yet. Replies that finish while you are elsewhere, new pictures from characters you
          follow and news about your premium will show up here.
        </p>
      ) : null}
      {notifications.length > 0 ? (
        <ul className="notification-list" aria-label="Notifications">
          {notifications.map((notification) => (
            <NotificationItem
              key={notification.id}
              notification={notification}
              onOpen={() => void markRead.run(notification)}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function NotificationItem({
  notification,
  onOpen,
}: {
  notification: NotificationDoc;
  onOpen: () => void;
}): ReactNode {
  const view = describeNotification(notification);
  const unread = !notification.read;
  return (
    <li
      className={`card notification${unread ? " unread" : ""}`}
      data-testid="notification"
      data-type={notification.type}
    >
      <span
        className="unread-dot"
        aria-hidden="true"
        style={{ visibility: unread ? "visible" : "hidden" }}
      />
      <div className="notification-content">
        <div className="row small muted" style={{ gap: "0.5rem" }}>
          <span className="badge">{view.kind}</span>
          <span>{formatDateTime(notification.createdAt.toDate())}</span>
          {unread ? <span className="visually-hidden">Unread</span> : null}
        </div>
        <strong className="notification-title">{notification.title}</strong>
        {notification.body ? <p className="notification-body">{notification.body}</p> : null}
      </div>
      {view.to ? (
        <Link
          className="button secondary"
          to={view.to}
          aria-label={`${view.action}: ${notification.title}`}
          onClick={onOpen}
        >
          {view.action}
        </Link>
      ) : unread ? (
        <button
          type="button"
          className="secondary"
          aria-label={`${view.action}: ${notification.title}`}
          onClick={onOpen}
        >
          {view.action}
        </button>
      ) : null}
    </li>
  );
}
