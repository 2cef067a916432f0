// Username rules. Pure: no Firebase imports.
import { z } from "zod";

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
