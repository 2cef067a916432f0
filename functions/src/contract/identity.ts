// Identity documents and callables: users/{uid}, publicProfiles/{uid}, usernames/{key}, the
// username rules, and the account callables' inputs and outputs. Pure: zod only.
import { z } from "zod";
import { emptyInput } from "./common.js";
import { timestampSchema } from "./timestamp.js";

// ---- profiles ---------------------------------------------------------------------------

export const ROLES = ["user", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const preferencesSchema = z.strictObject({
  language: z.string().min(2).max(16).optional(),
  theme: z.enum(["system", "light", "dark"]).optional(),
  notifications: z.boolean().optional(),
  replyType: z.enum(["text", "audio", "auto"]).optional(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/** users/{uid}: the private profile. The owner reads it; only some fields are theirs to edit. */
export const userProfileSchema = z.object({
  uid: z.string(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  displayName: z.string(),
  bio: z.string(),
  avatarPath: z.string().nullable(),
  preferences: preferencesSchema,
  role: z.enum(ROLES),
  premiumUntil: timestampSchema.nullable(),
  deactivated: z.boolean(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type UserProfile = z.infer<typeof userProfileSchema>;

/** The profile fields its owner may change (firestore.rules enforce the same list). */
export const PROFILE_EDITABLE_FIELDS = ["displayName", "bio", "avatarPath", "preferences"] as const;

/** publicProfiles/{uid}: what every signed-in user may read about a user. */
export const publicProfileSchema = z.object({
  username: z.string().nullable(),
  displayName: z.string(),
  avatarPath: z.string().nullable(),
  updatedAt: timestampSchema.optional(),
});
export type PublicProfile = z.infer<typeof publicProfileSchema>;

/** Premium is active iff its expiry is in the future: no job needs to run on time. */
export function isPremiumAt(premiumUntilMs: number | null, nowMs: number): boolean {
  return premiumUntilMs !== null && premiumUntilMs > nowMs;
}

// ---- usernames ----------------------------------------------------------------------------

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 30;

/** Names that would impersonate the service or collide with app routes. */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  "admin",
  "administrator",
  "root",
  "system",
  "support",
  "help",
  "moderator",
  "mod",
  "staff",
  "official",
  "api",
  "www",
  "app",
  "login",
  "logout",
  "signup",
  "register",
  "settings",
  "account",
  "me",
  "user",
  "users",
  "null",
  "undefined",
  "anonymous",
  "premium",
  "billing",
  "payments",
  "stripe",
  "firebase",
  "openai",
  "character",
  "characters",
]);

export const usernameSchema = z
  .string()
  .min(USERNAME_MIN, `must be at least ${USERNAME_MIN} characters`)
  .max(USERNAME_MAX, `must be at most ${USERNAME_MAX} characters`)
  .regex(/^[A-Za-z0-9_]+$/, "may contain only letters, digits and underscores")
  .refine((name) => !RESERVED_USERNAMES.has(name.toLowerCase()), "is reserved");

/** Uniqueness is case-insensitive: the reservation document is keyed by this. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export type UsernameCheck = { valid: true } | { valid: false; reason: string };

export function checkUsernameFormat(username: unknown): UsernameCheck {
  const result = usernameSchema.safeParse(username);
  if (result.success) return { valid: true };
  return { valid: false, reason: `username ${result.error.issues[0]?.message ?? "is invalid"}` };
}

/** usernames/{usernameKey(username)}: the reservation that makes a name unique. */
export const usernameDocSchema = z.object({
  uid: z.string(),
  username: z.string(),
  claimedAt: timestampSchema.optional(),
});
export type UsernameDoc = z.infer<typeof usernameDocSchema>;

// ---- callables ----------------------------------------------------------------------------

/** claimUsername and renameUsername. */
export const usernameInput = z.strictObject({ username: usernameSchema });
export const usernameOutput = z.object({ username: z.string() });
export type UsernameOutput = z.infer<typeof usernameOutput>;

export const checkUsernameInput = z.strictObject({ username: z.string().max(200) });
export const checkUsernameOutput = z.object({
  available: z.boolean(),
  /** Why not, when not: `username is taken`, `username must be at least 3 characters`... */
  reason: z.string().optional(),
});
export type CheckUsernameOutput = z.infer<typeof checkUsernameOutput>;

/** deactivateAccount and reactivateAccount. */
export const setDeactivatedInput = emptyInput;
export const setDeactivatedOutput = z.object({ deactivated: z.boolean() });
export type SetDeactivatedOutput = z.infer<typeof setDeactivatedOutput>;

export const deleteAccountInput = z.strictObject({ confirm: z.literal("DELETE") });
/** What was removed: counts of documents, then the Auth account. */
export const deleteAccountOutput = z.object({
  deleted: z.literal(true),
  conversations: z.number().int(),
  ratings: z.number().int(),
  views: z.number().int(),
  mediaRecords: z.number().int(),
  usernames: z.number().int(),
});
export type DeleteAccountOutput = z.infer<typeof deleteAccountOutput>;

// ---- admin callables ------------------------------------------------------------------------

export const uidSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "is not a user id");

export const setUserRoleInput = z.strictObject({ uid: uidSchema, role: z.enum(ROLES) });
export const setUserRoleOutput = z.object({ uid: z.string(), role: z.enum(ROLES) });
export type SetUserRoleOutput = z.infer<typeof setUserRoleOutput>;

/** Sets premium to a date (null revokes), or adds/removes days from the current expiry. */
export const setPremiumInput = z.union([
  z.strictObject({ uid: uidSchema, premiumUntil: z.iso.datetime({ offset: true }).nullable() }),
  z.strictObject({ uid: uidSchema, addDays: z.number().int().min(-365).max(365) }),
]);
export const setPremiumOutput = z.object({
  uid: z.string(),
  /** ISO 8601, or null when the user has no premium. */
  premiumUntil: z.string().nullable(),
});
export type SetPremiumOutput = z.infer<typeof setPremiumOutput>;

export const setRateLimitExemptInput = z.strictObject({
  uid: uidSchema,
  exempt: z.boolean(),
});
export const setRateLimitExemptOutput = z.object({ uid: z.string(), exempt: z.boolean() });
export type SetRateLimitExemptOutput = z.infer<typeof setRateLimitExemptOutput>;
