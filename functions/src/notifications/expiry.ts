// The premium-expiry notifier (scheduled): `premium_expiring` when an account's premium has
// 24 hours or less left, `premium_expired` when it has ended, each with its email when emails
// are on. Premium itself needs no job (it is active while `premiumUntil` is in the future);
// this only tells people.
//
// It never scans the users: each kind keeps a cursor (schedulerState/premium_{kind}) on the
// expiry times already handled, and a run asks only for the accounts whose `premiumUntil`
// lies between that cursor and its horizon (now + 24 h, or now), through the composite index
// `users (deactivated, premiumUntil)`. Each page commits its notifications and the advanced
// cursor in one batch, on the condition that the cursor has not moved since it was read, and
// skips accounts that already have the notification (its id carries the expiry time), so
// overlapping runs and retries notify once. A run handles at most MAX_PAGES pages per kind;
// the next run goes on from the cursor.
import { FieldValue, Timestamp, type DocumentSnapshot } from "firebase-admin/firestore";
import * as logger from "firebase-functions/logger";
import { z } from "zod";
import { readEmailSettings } from "../config";
import { preferencesSchema } from "../contract/identity";
import { db } from "../shared/firebase";
import { writeNotification } from "./deliver";
import { mailRecipient, type MailProfile } from "./email";
import {
  EXPIRY_NOTICE_MS,
  expiredNotification,
  expiringNotification,
  type NewNotification,
} from "./model";
import { notificationRef, premiumUsersPage, schedulerStateRef } from "./store";

export const EXPIRY_PAGE_SIZE = 150;
export const MAX_PAGES = 10;
/** On the very first run, premium that ended this long ago still gets `premium_expired`. */
export const FIRST_RUN_LOOKBACK_MS = 3_600_000;

type Kind = "expiring" | "expired";

const cursorSchema = z.object({ ms: z.number(), uid: z.string() });
type Cursor = z.infer<typeof cursorSchema>;

const profileSchema = z.object({
  email: z.string().nullable().catch(null),
  deactivated: z.boolean().catch(false),
  preferences: preferencesSchema.catch({}),
  premiumUntil: z.instanceof(Timestamp),
});

function mailProfile(doc: DocumentSnapshot): (MailProfile & { premiumUntilMs: number }) | null {
  const parsed = profileSchema.safeParse(doc.data());
  if (!parsed.success) return null;
  return { ...parsed.data, premiumUntilMs: parsed.data.premiumUntil.toMillis() };
}

export interface ExpiryReport {
  expiring: number;
  expired: number;
}

export async function notifyPremiumExpiry(
  nowMs = Date.now(),
  pageSize = EXPIRY_PAGE_SIZE,
): Promise<ExpiryReport> {
  const email = readEmailSettings();
  const report: ExpiryReport = { expiring: 0, expired: 0 };
  for (const kind of ["expiring", "expired"] as const) {
    const horizonMs = kind === "expiring" ? nowMs + EXPIRY_NOTICE_MS : nowMs;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await notifyPage(kind, horizonMs, nowMs, email, pageSize);
      report[kind] += result.notified;
      if (!result.more) break;
    }
  }
  if (report.expiring + report.expired > 0) logger.info("premium expiry notified", { ...report });
  return report;
}

async function notifyPage(
  kind: Kind,
  horizonMs: number,
  nowMs: number,
  email: { enabled: boolean; collection: string },
  pageSize: number,
): Promise<{ notified: number; more: boolean }> {
  const stateRef = schedulerStateRef(`premium_${kind}`);
  const state = await stateRef.get();
  const stored = cursorSchema.safeParse(state.get("cursor"));
  // First run: `expiring` starts from now (premium ending within the next 24 h), `expired`
  // from an hour ago.
  const from = stored.success
    ? stored.data
    : { ms: kind === "expiring" ? nowMs : nowMs - FIRST_RUN_LOOKBACK_MS, uid: "" };
  if (from.ms >= horizonMs) return { notified: 0, more: false };
  const snapshot = await premiumUsersPage({
    fromMs: from.ms,
    toMs: horizonMs,
    after: from.uid ? from : null,
    size: pageSize,
  }).get();

  const candidates: { uid: string; profile: MailProfile; notification: NewNotification }[] = [];
  for (const doc of snapshot.docs) {
    const profile = mailProfile(doc);
    if (!profile) continue;
    const notification =
      kind === "expiring"
        ? expiringNotification(profile.premiumUntilMs, nowMs)
        : expiredNotification(profile.premiumUntilMs);
    candidates.push({ uid: doc.id, profile, notification });
  }
  const existing =
    candidates.length === 0
      ? []
      : await db().getAll(
          ...candidates.map((each) => notificationRef(each.uid, each.notification.id)),
        );
  const batch = db().batch();
  let notified = 0;
  candidates.forEach((each, index) => {
    if (existing[index]?.exists === true) return;
    const to = mailRecipient(each.profile, each.notification, email.enabled);
    writeNotification(
      batch,
      each.uid,
      each.notification,
      to ? { to, collection: email.collection } : null,
    );
    notified++;
  });
  const more = snapshot.size === pageSize;
  const last = snapshot.docs[snapshot.docs.length - 1];
  const lastUntil: unknown = last?.get("premiumUntil");
  // A full page continues after its last account; otherwise everything up to the horizon is done.
  const cursor: Cursor =
    more && last && lastUntil instanceof Timestamp
      ? { ms: lastUntil.toMillis(), uid: last.id }
      : { ms: horizonMs, uid: "" };
  const fields = { cursor, updatedAt: FieldValue.serverTimestamp() };
  if (state.exists) batch.update(stateRef, fields, { lastUpdateTime: state.updateTime });
  else batch.create(stateRef, fields);
  try {
    await batch.commit();
  } catch (error) {
    // Another run moved the cursor first (or created it): it handles these accounts.
    const code = error && typeof error === "object" && "code" in error ? error.code : null;
    if (code === 9 || code === 6) return { notified: 0, more: false };
    throw error;
  }
  return { notified, more };
}
