// How a new profile starts and what its public projection holds. Pure: no Firebase imports.
import type { PublicProfile, UserProfile } from "../contract/identity";

/** The rules' limit on a stored path's length. */
const MAX_AVATAR_PATH = 512;

/**
 * The avatar path as the public profile may show it: a file inside the user's own folder
 * (`user-content/{uid}/...`) with no empty, '.' or '..' segment; anything else is null. The
 * rules already refuse other paths; this keeps the public projection safe whatever wrote the
 * profile.
 */
export function safeAvatarPath(uid: string, value: unknown): string | null {
  if (typeof value !== "string" || value.length > MAX_AVATAR_PATH) return null;
  const [root, owner, ...file] = value.split("/");
  if (root !== "user-content" || owner !== uid || file.length === 0) return null;
  const clean = file.every((segment) => segment !== "" && segment !== "." && segment !== "..");
  return clean ? value : null;
}

export function publicProjection(
  profile: Pick<UserProfile, "uid" | "username" | "displayName" | "avatarPath">,
): Omit<PublicProfile, "updatedAt"> {
  return {
    username: profile.username,
    displayName: profile.displayName,
    avatarPath: safeAvatarPath(profile.uid, profile.avatarPath),
  };
}

/** A display name to start with: the email's local part, trimmed to the rules' limit. */
export function initialDisplayName(email: string | null, providerName: string | null): string {
  const source = providerName?.trim() || email?.split("@")[0] || "";
  return source.slice(0, 60);
}

/**
 * Whether an ID token's admin claim may be trusted. A demotion records when it happened
 * (`users/{uid}.adminRevokedAt`); a token issued (`iat`, seconds) at or before that moment
 * was minted while the user was still an admin and stays valid for up to an hour, so its
 * claim is not trusted. Without a recorded demotion the claim stands.
 */
export function adminClaimCurrent(
  tokenIssuedAtSec: number | undefined,
  adminRevokedAtMs: number | null,
): boolean {
  if (adminRevokedAtMs === null) return true;
  return tokenIssuedAtSec !== undefined && tokenIssuedAtSec * 1000 > adminRevokedAtMs;
}
