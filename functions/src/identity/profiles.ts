// Creating and reading users/{uid} with the Admin SDK.
import {
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Transaction,
} from "firebase-admin/firestore";
import { db } from "../shared/firebase";
import { zodConverter } from "../shared/converter";
import { isPremiumAt, userProfileSchema, type UserProfile } from "../contract/identity";
import { paths } from "../contract/paths";
import { initialDisplayName, publicProjection } from "./profile";

export const profileConverter = zodConverter(userProfileSchema);

export function profileRef(uid: string) {
  return userDoc(uid).withConverter(profileConverter);
}

/** The same document without the converter, for partial updates. */
export function userDoc(uid: string) {
  return db().doc(paths.user(uid));
}

export function publicProfileRef(uid: string) {
  return db().doc(paths.publicProfile(uid));
}

export interface NewAccount {
  uid: string;
  email: string | null;
  displayName: string | null;
}

export function newProfile(account: NewAccount, now: Timestamp): UserProfile {
  return {
    uid: account.uid,
    email: account.email,
    username: null,
    displayName: initialDisplayName(account.email, account.displayName),
    bio: "",
    avatarPath: null,
    preferences: {},
    role: "user",
    premiumUntil: null,
    deactivated: false,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Returns the profile, creating it (and its public projection) inside the transaction when
 * the account has none yet: the auth trigger normally does it, but a client may call a
 * callable before that trigger has run.
 */
export async function ensureProfileIn(tx: Transaction, account: NewAccount): Promise<UserProfile> {
  const ref = profileRef(account.uid);
  const snapshot = await tx.get(ref);
  const existing = snapshot.data();
  if (existing) return existing;
  const created = newProfile(account, Timestamp.now());
  tx.create(ref, created);
  tx.set(publicProfileRef(account.uid), {
    ...publicProjection(created),
    updatedAt: FieldValue.serverTimestamp(),
  });
  return created;
}

export async function ensureProfile(account: NewAccount): Promise<UserProfile> {
  return db().runTransaction((tx) => ensureProfileIn(tx, account));
}

/** users/{uid}.premiumUntil in milliseconds, or null when absent or not a timestamp. */
export function premiumUntilMs(profile: DocumentSnapshot): number | null {
  const until: unknown = profile.get("premiumUntil");
  return until instanceof Timestamp ? until.toMillis() : null;
}

/** Premium is active iff its expiry is in the future: no job needs to run on time. */
export function isPremiumProfile(profile: DocumentSnapshot, nowMs: number): boolean {
  return isPremiumAt(premiumUntilMs(profile), nowMs);
}

/** How the character addresses the user. */
export function chatNameOf(profile: DocumentSnapshot): string {
  const displayName: unknown = profile.get("displayName");
  return typeof displayName === "string" && displayName ? displayName : "friend";
}
