// How a new profile starts and what its public projection holds. Pure: no Firebase imports.
import type { PublicProfile, UserProfile } from "../contract/identity";

export function publicProjection(
  profile: Pick<UserProfile, "username" | "displayName" | "avatarPath">,
): Omit<PublicProfile, "updatedAt"> {
  return {
    username: profile.username,
    displayName: profile.displayName,
    avatarPath: profile.avatarPath,
  };
}

/** A display name to start with: the email's local part, trimmed to the rules' limit. */
export function initialDisplayName(email: string | null, providerName: string | null): string {
  const source = providerName?.trim() || email?.split("@")[0] || "";
  return source.slice(0, 60);
}
