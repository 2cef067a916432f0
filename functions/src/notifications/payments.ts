// Payment notifications (premium activated, payment failed, refunded or disputed), written in
// the transaction that applies the payment event: the event's processed-marker makes that
// transaction happen once, and a payment's status only moves up, so each notifies once.
import type { Transaction } from "firebase-admin/firestore";
import { readEmailSettings } from "../config";
import type { UserProfile } from "../contract/identity";
import { writeNotification } from "./deliver";
import { mailRecipient } from "./email";
import { paymentNotification, type PaymentChange } from "./model";

export interface PaymentNotice extends PaymentChange {
  uid: string | null;
  /** The payer's profile as the transaction read it; undefined for an unknown user. */
  profile: UserProfile | undefined;
}

export function notifyPaymentChange(tx: Transaction, notice: PaymentNotice): boolean {
  if (notice.uid === null || !notice.profile) return false;
  const notification = paymentNotification(notice);
  if (!notification) return false;
  const email = readEmailSettings();
  const to = mailRecipient(notice.profile, notification, email.enabled);
  writeNotification(tx, notice.uid, notification, to ? { to, collection: email.collection } : null);
  return true;
}
