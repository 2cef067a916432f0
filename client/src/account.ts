// Usernames and the account's life: claim, rename, check; deactivate, reactivate, delete.
import {
  checkUsernameFormat,
  type CheckUsernameOutput,
  type DeleteAccountOutput,
} from "../../functions/src/contract/index.js";
import { call } from "./call.js";
import type { AiChatClient } from "./connect.js";
import { signOut } from "./auth.js";

/**
 * Checks a name as the user types: the format locally (no call for `ab` or `a b`), then
 * availability with the server (30 checks a minute).
 */
export async function checkUsername(
  client: AiChatClient,
  username: string,
): Promise<CheckUsernameOutput> {
  const format = checkUsernameFormat(username);
  if (!format.valid) return { available: false, reason: format.reason };
  return call(client, "checkUsername", { username });
}

/** Takes a username (3-30 letters, digits or `_`, unique case-insensitively). */
export async function claimUsername(client: AiChatClient, username: string): Promise<string> {
  return (await call(client, "claimUsername", { username })).username;
}

/** Changes the username; the old one is released in the same transaction. */
export async function renameUsername(client: AiChatClient, username: string): Promise<string> {
  return (await call(client, "renameUsername", { username })).username;
}

/** Reversible: the user keeps reading their data but can no longer write or chat. */
export async function deactivateAccount(client: AiChatClient): Promise<void> {
  await call(client, "deactivateAccount", {});
}

export async function reactivateAccount(client: AiChatClient): Promise<void> {
  await call(client, "reactivateAccount", {});
}

/**
 * Deletes the account and everything it owns (profile, username, conversations, ratings,
 * views, media), then signs out. Payment records and the Stripe customer mapping are kept
 * for accounting.
 */
export async function deleteAccount(client: AiChatClient): Promise<DeleteAccountOutput> {
  const removed = await call(client, "deleteAccount", { confirm: "DELETE" });
  await signOut(client);
  return removed;
}
