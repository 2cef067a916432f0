// Checks a callable makes about its caller beyond being signed in, read from the caller's
// profile at the time of the call (never from what the ID token said when it was issued).
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { fail, type Caller } from "../shared/callable";
import { userDoc } from "./profiles";

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
