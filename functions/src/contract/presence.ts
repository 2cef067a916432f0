// Presence: when a user was last active, kept by their app while it is in the foreground.
// Pure: zod only.
//
// presence/{uid}   { lastActiveAt }   signed-in users read; the owner writes the server time
import { z } from "zod";
import { timestampSchema } from "./timestamp.js";

/** An app writes `lastActiveAt` once a minute at most: the rules refuse an earlier write. */
export const PRESENCE_HEARTBEAT_MS = 60_000;
/** Online: active within the last two minutes (two heartbeats). */
export const ONLINE_WINDOW_MS = 120_000;

export const presenceSchema = z.object({ lastActiveAt: timestampSchema });
export type Presence = z.infer<typeof presenceSchema>;

export function isOnlineAt(lastActiveAtMs: number | null, nowMs: number): boolean {
  return lastActiveAtMs !== null && nowMs - lastActiveAtMs <= ONLINE_WINDOW_MS;
}
