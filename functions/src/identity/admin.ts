// Admin-only account changes: roles and manual premium. Each change is written together
// with its audit-log entry.
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import { recordAudit } from "../shared/audit";
import { fail, parseInput, requireAdmin } from "../shared/callable";
import { adminAuth, db } from "../shared/firebase";
import {
  setPremiumInput,
  setRateLimitExemptInput,
  setUserRoleInput,
  type SetPremiumOutput,
  type SetRateLimitExemptOutput,
  type SetUserRoleOutput,
} from "../contract/identity";
import { profileRef, userDoc } from "./profiles";

export async function setUserRole(request: CallableRequest<unknown>): Promise<SetUserRoleOutput> {
  const admin = requireAdmin(request);
  const { uid, role } = parseInput(setUserRoleInput, request.data);
  if (uid === admin.uid && role !== "admin") {
    fail("own_admin_role");
  }
  const account = await adminAuth()
    .getUser(uid)
    .catch(() => {
      fail("user_not_found");
    });
  // The claim is what rules and functions trust; the profile mirrors it for display.
  await adminAuth().setCustomUserClaims(uid, { ...account.customClaims, admin: role === "admin" });
  await db().runTransaction(async (tx) => {
    const profile = (await tx.get(profileRef(uid))).data();
    if (!profile) fail("user_not_found", "That user has no profile.");
    tx.update(userDoc(uid), { role, updatedAt: FieldValue.serverTimestamp() });
    recordAudit(tx, {
      action: "setRole",
      actorUid: admin.uid,
      targetUid: uid,
      before: { role: profile.role },
      after: { role },
    });
  });
  return { uid, role };
}

/** Sets premium to a date (null revokes), or adds/removes days from the current expiry. */
export async function setPremium(request: CallableRequest<unknown>): Promise<SetPremiumOutput> {
  const admin = requireAdmin(request);
  const input = parseInput(setPremiumInput, request.data);
  const premiumUntil = await db().runTransaction(async (tx) => {
    const profile = (await tx.get(profileRef(input.uid))).data();
    if (!profile) fail("user_not_found");
    const before = profile.premiumUntil;
    let after: Timestamp | null;
    if ("addDays" in input) {
      const base = Math.max(Date.now(), before?.toMillis() ?? 0);
      after = Timestamp.fromMillis(base + input.addDays * 86_400_000);
    } else {
      after = input.premiumUntil === null ? null : Timestamp.fromDate(new Date(input.premiumUntil));
    }
    tx.update(userDoc(input.uid), { premiumUntil: after, updatedAt: FieldValue.serverTimestamp() });
    recordAudit(tx, {
      action: "setPremium",
      actorUid: admin.uid,
      targetUid: input.uid,
      before: { premiumUntil: before },
      after: { premiumUntil: after },
    });
    return after;
  });
  return { uid: input.uid, premiumUntil: premiumUntil?.toDate().toISOString() ?? null };
}

/**
 * Exempts an account (QA, load testing, trusted partners) from the per-minute message rate
 * limit. The free-tier quota still applies. Audited like every admin change.
 */
export async function setRateLimitExempt(
  request: CallableRequest<unknown>,
): Promise<SetRateLimitExemptOutput> {
  const admin = requireAdmin(request);
  const input = parseInput(setRateLimitExemptInput, request.data);
  await db().runTransaction(async (tx) => {
    const snapshot = await tx.get(userDoc(input.uid));
    if (!snapshot.exists) fail("user_not_found");
    tx.update(userDoc(input.uid), {
      rateLimitExempt: input.exempt,
      updatedAt: FieldValue.serverTimestamp(),
    });
    recordAudit(tx, {
      action: "setRateLimitExempt",
      actorUid: admin.uid,
      targetUid: input.uid,
      before: { rateLimitExempt: snapshot.get("rateLimitExempt") === true },
      after: { rateLimitExempt: input.exempt },
    });
  });
  return input;
}
