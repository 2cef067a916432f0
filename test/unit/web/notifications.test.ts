// What the web app says about each notification type and where opening one leads.
import { describe, expect, it } from "vitest";
import {
  NOTIFICATION_TYPES,
  type NotificationContent,
} from "../../../functions/src/contract/index";
import { describeNotification } from "../../../web/src/screens/notifications/describe";

const examples: NotificationContent[] = [
  { type: "premium_activated", data: { paymentId: "pi_1", premiumUntilMs: 1 } },
  { type: "premium_expiring", data: { premiumUntilMs: 1 } },
  { type: "premium_expired", data: { premiumUntilMs: 1 } },
  { type: "payment_failed", data: { paymentId: "pi_1" } },
  {
    type: "payment_refunded",
    data: { paymentId: "pi_1", reason: "dispute", premiumUntilMs: null },
  },
  {
    type: "reply_ready",
    data: { conversationId: "u_luna", characterId: "luna stargazer", messageId: "m1" },
  },
  {
    type: "gallery_item",
    data: { characterId: "ember", itemId: "i1", mediaType: "image", premiumOnly: true },
  },
  { type: "announcement", data: { announcementId: "a1", audience: "all" } },
];

describe("notifications in the web app", () => {
  it("has words and a destination for every type the contract knows", () => {
    expect(new Set(examples.map((each) => each.type))).toEqual(new Set(NOTIFICATION_TYPES));
    for (const example of examples) {
      const view = describeNotification(example);
      expect(view.kind, example.type).not.toBe("");
      expect(view.action, example.type).not.toBe("");
    }
  });

  it("leads a reply to its conversation, a gallery item to the character, payments to premium", () => {
    const to = (type: string) =>
      describeNotification(examples.find((each) => each.type === type)!).to;
    expect(to("reply_ready")).toBe("/chat/luna%20stargazer");
    expect(to("gallery_item")).toBe("/characters/ember");
    for (const type of [
      "premium_activated",
      "premium_expiring",
      "premium_expired",
      "payment_failed",
      "payment_refunded",
    ])
      expect(to(type), type).toBe("/premium");
    expect(to("announcement")).toBeNull();
    expect(describeNotification(examples[4]).kind).toBe("Payment dispute");
    expect(describeNotification(examples[6]).kind).toBe("New premium picture");
  });
});
