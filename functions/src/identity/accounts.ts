// Account lifecycle: profile on sign-up, username claim and rename, deactivation, deletion.
import { FieldValue } from "firebase-admin/firestore";
import { logger } from "firebase-functions/v2";
import type { CallableRequest } from "firebase-functions/v2/https";
import { fail, requireAuth, parseInput } from "../shared/callable";
import { adminAuth, db } from "../shared/firebase";
import { enforceRateLimit } from "../limits/rate-limit";
import { deleteUserData } from "./cleanup";
import {
  checkUsernameFormat,
  checkUsernameInput,
  deleteAccountInput,
  setDeactivatedInput,
  usernameInput,
  usernameKey,
  type CheckUsernameOutput,
  type DeleteAccountOutput,
  type SetDeactivatedOutput,
  type UsernameOutput,
} from "../contract/identity";
import { publicProjection } from "./profile";
import { ensureProfile, ensureProfileIn, publicProfileRef, userDoc } from "./profiles";

export interface AuthUserRecord {
  uid: string;
  email?: string | undefined;
  displayName?: string | undefined;
}

/** Auth onCreate: every account gets a profile, whether or not it ever claims a name. */
export async function onUserCreated(user: AuthUserRecord): Promise<void> {
  // A late delivery for an account deleted since must not bring its profile back.
  const stillExists = await adminAuth()
    .getUser(user.uid)
    .then(() => true)
    .catch(() => false);
  if (!stillExists) return;
  await ensureProfile({
    uid: user.uid,
    email: user.email ?? null,
    displayName: user.displayName ?? null,
  });
  logger.info("profile ready", { uid: user.uid });
}

/** Auth onDelete: removes the user's data when the account is deleted by any route. */
export async function onUserDeleted(user: AuthUserRecord): Promise<void> {
  const removed = await deleteUserData(user.uid);
  logger.info("user data removed after account deletion", { uid: user.uid, ...removed });
}

type UsernameMode = "claim" | "rename";

async function setUsername(
  request: CallableRequest<unknown>,
  mode: UsernameMode,
): Promise<UsernameOutput> {
  const caller = requireAuth(request);
  const { username } = parseInput(usernameInput, request.data);
  await enforceRateLimit(caller.uid, "auth");
  const key = usernameKey(username);
  await db().runTransaction(async (tx) => {
    // Transactions read everything before they write.
    const nameRef = db().collection("usernames").doc(key);
    const taken = await tx.get(nameRef);
    const holder: unknown = taken.get("uid");
    const profile = await ensureProfileIn(tx, {
      uid: caller.uid,
      email: caller.email,
      displayName: null,
    });
    if (taken.exists && holder !== caller.uid) {
      fail("username_taken", `The username "${username}" is taken.`);
    }
    if (profile.deactivated) {
      fail("account_inactive");
    }
    if (mode === "claim" && profile.username !== null && usernameKey(profile.username) !== key) {
      fail("username_already_claimed");
    }
    if (mode === "rename" && profile.username === null) {
      fail("username_missing");
    }
    if (profile.username !== null && usernameKey(profile.username) !== key) {
      // Releases the old name in the same transaction that takes the new one.
      tx.delete(db().collection("usernames").doc(usernameKey(profile.username)));
    }
    tx.set(nameRef, { uid: caller.uid, username, claimedAt: FieldValue.serverTimestamp() });
    tx.update(userDoc(caller.uid), { username, updatedAt: FieldValue.serverTimestamp() });
    tx.set(publicProfileRef(caller.uid), {
      ...publicProjection({ ...profile, username }),
      updatedAt: FieldValue.serverTimestamp(),
    });
  });
  return { username };
}

export function claimUsername(request: CallableRequest<unknown>) {
  return setUsername(request, "claim");
}

export function renameUsername(request: CallableRequest<unknown>) {
  return setUsername(request, "rename");
}

export async function checkUsername(
  request: CallableRequest<unknown>,
): Promise<CheckUsernameOutput> {
  const caller = requireAuth(request);
  const { username } = parseInput(checkUsernameInput, request.data);
  await enforceRateLimit(caller.uid, "usernameCheck");
  const format = checkUsernameFormat(username);
  if (!format.valid) return { available: false, reason: format.reason };
  const taken = await db().collection("usernames").doc(usernameKey(username)).get();
  return taken.exists ? { available: false, reason: "username is taken" } : { available: true };
}

async function setDeactivated(
  request: CallableRequest<unknown>,
  deactivated: boolean,
): Promise<SetDeactivatedOutput> {
  const caller = requireAuth(request);
  parseInput(setDeactivatedInput, request.data);
  await db().runTransaction(async (tx) => {
    await ensureProfileIn(tx, { uid: caller.uid, email: caller.email, displayName: null });
    tx.update(userDoc(caller.uid), {
      deactivated,
      deactivatedAt: deactivated ? FieldValue.serverTimestamp() : null,
      updatedAt: FieldValue.serverTimestamp(),
    });
  });
  return { deactivated };
}

/** Reversible: the user keeps their data and can read it, but can no longer write. */
export function deactivateAccount(request: CallableRequest<unknown>) {
  return setDeactivated(request, true);
}

export function reactivateAccount(request: CallableRequest<unknown>) {
  return setDeactivated(request, false);
}

/** Removes every trace of the user, then the Auth account itself. */
export async function deleteAccount(
  request: CallableRequest<unknown>,
): Promise<DeleteAccountOutput> {
  const caller = requireAuth(request);
  parseInput(deleteAccountInput, request.data);
  const removed = await deleteUserData(caller.uid);
  await adminAuth()
    .deleteUser(caller.uid)
    .catch((error: unknown) => {
      // Already gone is fine: a retried call must still succeed.
      if (!(error instanceof Error && "code" in error && error.code === "auth/user-not-found")) {
        throw error;
      }
    });
  logger.info("account deleted", { uid: caller.uid, ...removed });
  return { deleted: true, ...removed };
}
