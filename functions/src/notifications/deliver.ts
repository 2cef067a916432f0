// Writing a notification: the document, one more in the unread count, and the email when one
// is due, in the caller's transaction or batch. No reads: the caller decides that the
// notification is new (its id is derived from what it is about).
import {
  FieldValue,
  type DocumentData,
  type DocumentReference,
  type SetOptions,
} from "firebase-admin/firestore";
import { mailMessage } from "./email";
import type { NewNotification } from "./model";
import { mailRef, notificationCounterRef, notificationRef } from "./store";

/** A transaction or a write batch: what the writes go into. */
export interface Writer {
  set(ref: DocumentReference, data: DocumentData, options: SetOptions): unknown;
}

export interface Mail {
  to: string;
  collection: string;
}

function set(
  writer: Writer,
  ref: DocumentReference,
  data: Record<string, unknown>,
  merge = false,
): void {
  writer.set(ref, data, { merge });
}

/** The writes of one new notification: 2 (3 with an email). */
export function writeNotification(
  writer: Writer,
  uid: string,
  notification: NewNotification,
  mail: Mail | null = null,
): void {
  set(writer, notificationRef(uid, notification.id), {
    type: notification.type,
    title: notification.title,
    body: notification.body,
    data: notification.data,
    read: false,
    readAt: null,
    createdAt: FieldValue.serverTimestamp(),
  });
  set(
    writer,
    notificationCounterRef(uid),
    { unread: FieldValue.increment(1), updatedAt: FieldValue.serverTimestamp() },
    true,
  );
  if (mail) {
    set(writer, mailRef(mail.collection, uid, notification.id), {
      to: mail.to,
      message: mailMessage(notification),
      // Not read by the extension: lets account deletion find a user's emails.
      uid,
      notificationId: notification.id,
      createdAt: FieldValue.serverTimestamp(),
    });
  }
}
