// Telling the backend which conversation is on screen, so a reply that finishes while the
// user is elsewhere becomes a `reply_ready` notification, and one they watch does not.
// The chat screen calls reportViewing when it opens and stop() when it closes.
import { getDoc, getDocFromCache, serverTimestamp, Timestamp, updateDoc } from "firebase/firestore";
import {
  paths,
  VIEWING_MIN_CHANGE_MS,
  VIEWING_REPORT_EVERY_MS,
} from "../../functions/src/contract/index.js";
import type { AiChatClient } from "./connect.js";
import type { ConversationRef } from "./conversations.js";
import { plainDoc, type ErrorHandler } from "./documents.js";
import { toAppError } from "./errors.js";
import { pageForeground, type ForegroundSource } from "./foreground.js";

export interface ViewingOptions {
  /** Default: the page's visibility (see pageForeground). */
  foreground?: ForegroundSource;
  onError?: ErrorHandler;
}

/** Stops reporting; the conversation is reported as left (at once, or 15 s after the last report). */
export interface ViewingReport {
  stop(): void;
}

/**
 * Reports `conversation` on screen: `viewingAt` (the server time) now and every 20 s while the
 * app is in the foreground, `null` when it goes to the background or stop() is called. The
 * rules refuse a change within 15 s of a report, so leaving right after one is written when
 * that time has passed. A conversation that does not exist yet (before its first message)
 * is reported once it does; its first reply never notifies anyway.
 */
export function reportViewing(
  client: AiChatClient,
  conversation: ConversationRef,
  options: ViewingOptions = {},
): ViewingReport {
  const ref = plainDoc(client, paths.conversation(conversation.conversationId));
  const foreground = options.foreground ?? pageForeground();
  let reported: "viewing" | "away" = "away";
  let lastChangeMs = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let writing = false;

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void step(), Math.max(0, delayMs));
  };
  async function step(): Promise<void> {
    if (writing) return;
    const want = !stopped && foreground.isForeground() ? "viewing" : "away";
    const sinceMs = Date.now() - lastChangeMs;
    if (want === "viewing" && reported === "viewing" && sinceMs < VIEWING_REPORT_EVERY_MS)
      return schedule(VIEWING_REPORT_EVERY_MS - sinceMs);
    if (want === "away" && reported === "away") return;
    // After a report the rules refuse another change for 15 s (1 s more for the clocks);
    // after leaving, coming back may be reported at once.
    if (reported === "viewing" && sinceMs < VIEWING_MIN_CHANGE_MS + 1_000)
      return schedule(VIEWING_MIN_CHANGE_MS + 1_000 - sinceMs);
    writing = true;
    try {
      await updateDoc(ref, { viewingAt: want === "viewing" ? serverTimestamp() : null });
      reported = want;
      lastChangeMs = Date.now();
    } catch (error) {
      const appError = toAppError(error);
      // not_found: no conversation yet; permission_denied: another tab reported just now.
      if (appError.code !== "not_found" && appError.code !== "permission_denied")
        options.onError?.(appError);
      if (stopped) return;
      lastChangeMs = Date.now();
    } finally {
      writing = false;
    }
    if (!stopped || reported === "viewing") schedule(VIEWING_REPORT_EVERY_MS);
  }

  // Another tab or device may have reported this conversation moments ago: start from the
  // stored report, so the first write waits out the rules' 15 s instead of being refused.
  async function startFromStoredReport(): Promise<void> {
    try {
      const snapshot = await getDocFromCache(ref).catch(() => getDoc(ref));
      const viewingAt: unknown = snapshot.get("viewingAt");
      if (viewingAt instanceof Timestamp && lastChangeMs === -Infinity) {
        reported = "viewing";
        lastChangeMs = viewingAt.toMillis();
      }
    } catch {
      // Unreadable now (no conversation yet, offline): the first write finds out.
    }
  }

  const unsubscribe = foreground.subscribe(() => void step());
  void startFromStoredReport().then(() => step());
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      void step();
    },
  };
}
