// A deactivated account keeps read access to its data but acts on nothing: every callable
// that acts for the user checks this first (reactivateAccount excepted).
import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { Caller } from "../shared/callable";
import { fail } from "../shared/callable";
import { userDoc } from "./profiles";

export function isDeactivated(profile: DocumentSnapshot): boolean {
  return profile.get("deactivated") === true;
}

/**
 * The caller's profile; `failed-precondition` (account_inactive) when it is deactivated. A
 * profile the auth trigger has not written yet is not deactivated.
 */
export async function requireActiveUser(caller: Caller): Promise<DocumentSnapshot> {
  const profile = await userDoc(caller.uid).get();
  if (isDeactivated(profile)) fail("account_inactive");
  return profile;
}
