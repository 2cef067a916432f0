// Emails in the document format of the official Trigger Email extension
// (firebase/firestore-send-email): `{ to, message: { subject, text, html } }` in the mail
// collection. Pure: no Firebase imports.
import type { Preferences } from "../contract/identity";
import { EMAILED_TYPES, type NewNotification } from "./model";

export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Who may get an email: the fields of a profile that decide it. */
export interface MailProfile {
  email: string | null;
  deactivated: boolean;
  preferences: Pick<Preferences, "notifications">;
}

/**
 * The address to email, or null: emails are on for the deployment, the notification is one of
 * the emailed kinds, the account is active (a deleted account has no profile at all), has an
 * address, and its owner has not turned notifications off (`preferences.notifications`).
 */
export function mailRecipient(
  profile: MailProfile | null | undefined,
  notification: Pick<NewNotification, "type">,
  emailsEnabled: boolean,
): string | null {
  if (!emailsEnabled || !EMAILED_TYPES.has(notification.type)) return null;
  if (!profile || profile.deactivated || profile.preferences.notifications === false) return null;
  const email = profile.email?.trim() ?? "";
  return email.includes("@") ? email : null;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const FOOTER =
  "You get this email because of your account's payments or premium membership. " +
  "Turn notifications off in your account settings to stop these emails.";

export function mailMessage(notification: Pick<NewNotification, "title" | "body">): MailMessage {
  return {
    subject: notification.title,
    text: `${notification.body}\n\n--\n${FOOTER}\n`,
    html:
      `<p style="font-size:16px"><strong>${escapeHtml(notification.title)}</strong></p>` +
      `<p>${escapeHtml(notification.body)}</p>` +
      `<hr><p style="color:#666;font-size:12px">${escapeHtml(FOOTER)}</p>`,
  };
}
