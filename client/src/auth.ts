// Signing up and in, and the profile document every account gets. A new account's profile is
// written by a trigger moments after sign-up, and the rules refuse a user's writes until it
// exists, so sign-up and sign-in resolve only once it is there.
import {
  createUserWithEmailAndPassword,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut as firebaseSignOut,
  updateProfile as updateAuthProfile,
  type User,
} from "firebase/auth";
import { serverTimestamp, updateDoc } from "firebase/firestore";
import {
  isPremiumAt,
  paths,
  publicProfileSchema,
  userProfileSchema,
  type Preferences,
  type PublicProfile,
  type UserProfile,
} from "../../functions/src/contract/index.js";
import type { AiChatClient } from "./connect.js";
import {
  plainDoc,
  typedDoc,
  waitForDocument,
  watchDocument,
  type ErrorHandler,
  type Unsubscribe,
  type WithId,
} from "./documents.js";
import { AppError, toAppError } from "./errors.js";

export type Profile = WithId<UserProfile>;

export interface Session {
  user: User;
  profile: Profile;
}

/** How long sign-up waits for the profile the server creates. */
export const PROFILE_TIMEOUT_MS = 30_000;

/** The signed-in user, or an AppError `sign_in_required`. */
export function requireUser(client: AiChatClient): User {
  const user = client.auth.currentUser;
  if (!user) throw new AppError({ code: "sign_in_required", source: "client" });
  return user;
}

/** Calls back with the signed-in user, or null, now and on every change. */
export function watchAuth(
  client: AiChatClient,
  onChange: (user: User | null) => void,
): Unsubscribe {
  return onAuthStateChanged(client.auth, onChange);
}

function profileRef(client: AiChatClient, uid: string) {
  return typedDoc(client, paths.user(uid), userProfileSchema);
}

/** Resolves with the signed-in user's profile once the server has created it. */
export function waitForProfile(
  client: AiChatClient,
  timeoutMs = PROFILE_TIMEOUT_MS,
): Promise<Profile> {
  const user = requireUser(client);
  return waitForDocument(profileRef(client, user.uid), () => true, {
    timeoutMs,
    timeoutCode: "profile_timeout",
  });
}

/** Creates an email/password account and resolves when its profile is ready. */
export async function signUp(
  client: AiChatClient,
  email: string,
  password: string,
  options: { displayName?: string } = {},
): Promise<Session> {
  try {
    const credential = await createUserWithEmailAndPassword(client.auth, email, password);
    if (options.displayName) {
      await updateAuthProfile(credential.user, { displayName: options.displayName });
    }
    return { user: credential.user, profile: await waitForProfile(client) };
  } catch (error) {
    throw toAppError(error);
  }
}

/** Signs in with email and password and resolves with the profile. */
export async function signIn(
  client: AiChatClient,
  email: string,
  password: string,
): Promise<Session> {
  try {
    const credential = await signInWithEmailAndPassword(client.auth, email, password);
    return { user: credential.user, profile: await waitForProfile(client) };
  } catch (error) {
    throw toAppError(error);
  }
}

export async function signOut(client: AiChatClient): Promise<void> {
  await firebaseSignOut(client.auth);
}

/** The signed-in user's profile, live: `null` until the server has created it. */
export function watchProfile(
  client: AiChatClient,
  onChange: (profile: Profile | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(profileRef(client, requireUser(client).uid), onChange, onError);
}

/** The fields of their profile a user may change; the rules refuse any other. */
export interface ProfilePatch {
  /** At most 60 characters. */
  displayName?: string;
  /** At most 500 characters. */
  bio?: string;
  /** A file the user uploaded under `user-content/{uid}/`, or null. */
  avatarPath?: string | null;
  preferences?: Preferences;
}

export async function updateProfile(client: AiChatClient, patch: ProfilePatch): Promise<void> {
  const user = requireUser(client);
  try {
    await updateDoc(plainDoc(client, paths.user(user.uid)), {
      ...patch,
      updatedAt: serverTimestamp(),
    });
  } catch (error) {
    throw toAppError(error);
  }
}

/** Another user's username, display name and avatar (any signed-in user may read them). */
export function watchPublicProfile(
  client: AiChatClient,
  uid: string,
  onChange: (profile: WithId<PublicProfile> | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(
    typedDoc(client, paths.publicProfile(uid), publicProfileSchema),
    onChange,
    onError,
  );
}

/** Whether the profile's premium is active now (it lapses by itself at `premiumUntil`). */
export function isPremium(profile: Pick<UserProfile, "premiumUntil">, nowMs = Date.now()): boolean {
  return isPremiumAt(profile.premiumUntil?.toMillis() ?? null, nowMs);
}
