// Checks a callable makes about its caller beyond being signed in, read from the caller's
// profile at the time of the call (never from what the ID token said when it was issued).
import { Timestamp, type DocumentSnapshot } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/v2/https";
import { fail, requireAdmin, type Caller } from "../shared/callable";
import { adminClaimCurrent } from "./profile";
import { userDoc } from "./store";

/**
 * Refuses a deactivated account with `failed-precondition` (`account_inactive`). Returns the
 * profile it read, so the caller need not read it again. An account whose profile the
 * sign-up trigger has not written yet is not deactivated.
 */
export async function requireActiveUser(caller: Caller): Promise<DocumentSnapshot> {
  const profile = await userDoc(caller.uid).get();
  if (profile.get("deactivated") === true) fail("account_inactive");
  return profile;
}

/**
 * An admin as of now: the token carries the admin claim and was issued after the caller's
 * last demotion (setUserRole records it), so a demoted admin's still-valid token is refused
 * at once with `permission-denied` (`admin_only`).
 */
export async function requireCurrentAdmin(request: Pick<CallableRequest, "auth">): Promise<Caller> {
  const caller = requireAdmin(request);
  const profile = await userDoc(caller.uid).get();
  const revokedAt: unknown = profile.get("adminRevokedAt");
  const issuedAt = request.auth?.token.iat;
  const revokedAtMs = revokedAt instanceof Timestamp ? revokedAt.toMillis() : null;
  if (!adminClaimCurrent(issuedAt, revokedAtMs)) {
    fail("admin_only", "Your admin role was removed; sign in again.");
  }
  return caller;
}
