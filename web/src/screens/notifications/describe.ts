// What the app says about each notification type and where opening one leads. The server
// writes each notification's title and body; the app adds what kind it is and a link.
import type { NotificationContent } from "@aichat/client";

export interface NotificationView {
  /** A short word for the kind of news ("Reply", "Payment"), shown above the title. */
  kind: string;
  /** Where opening it leads (an app path); null for news that is all in its text. */
  to: string | null;
  /** What the link does, for the button and screen readers. */
  action: string;
}

/** The app's words and link for one notification; every type the contract knows has one. */
export function describeNotification(notification: NotificationContent): NotificationView {
  switch (notification.type) {
    case "reply_ready":
      return {
        kind: "Reply",
        to: `/chat/${encodeURIComponent(notification.data.characterId)}`,
        action: "Open the conversation",
      };
    case "gallery_item":
      return {
        kind: notification.data.premiumOnly ? "New premium picture" : "New in the gallery",
        to: `/characters/${encodeURIComponent(notification.data.characterId)}`,
        action: "See the gallery",
      };
    case "premium_activated":
      return { kind: "Premium", to: "/premium", action: "See your premium" };
    case "premium_expiring":
      return { kind: "Premium", to: "/premium", action: "Renew premium" };
    case "premium_expired":
      return { kind: "Premium", to: "/premium", action: "Go premium again" };
    case "payment_failed":
      return { kind: "Payment", to: "/premium", action: "Try the payment again" };
    case "payment_refunded":
      return {
        kind: notification.data.reason === "dispute" ? "Payment dispute" : "Refund",
        to: "/premium",
        action: "See your payments",
      };
    case "announcement":
      return { kind: "Announcement", to: null, action: "Mark as read" };
  }
}
