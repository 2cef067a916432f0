// Presence: `lastActiveAt` written by the app at most once a minute while it is in the
// foreground, and online dots for others (online = active within the last two minutes).
// presence/{uid} is its own document: no function runs on a heartbeat.
import {
  documentId,
  getDoc,
  getDocFromCache,
  query,
  serverTimestamp,
  setDoc,
  Timestamp,
  where,
} from "firebase/firestore";
import {
  isOnlineAt,
  ONLINE_WINDOW_MS,
  paths,
  PRESENCE_HEARTBEAT_MS,
  presenceSchema,
} from "../../functions/src/contract/index.js";
import { requireUser } from "./auth.js";
import type { AiChatClient } from "./connect.js";
import {
  plainDoc,
  typedCollection,
  watchQuery,
  type ErrorHandler,
  type Unsubscribe,
} from "./documents.js";
import { toAppError } from "./errors.js";
import { pageForeground, type ForegroundSource } from "./foreground.js";

/** A user's presence as an app shows it. */
export interface PresenceState {
  uid: string;
  /** Null when the user has never been seen. */
  lastActiveAt: Date | null;
  online: boolean;
}

export interface HeartbeatOptions {
  /** Default: the page's visibility (see pageForeground). */
  foreground?: ForegroundSource;
  onError?: ErrorHandler;
}

/** Stops a heartbeat. */
export interface Heartbeat {
  stop(): void;
}

// The rules compare server times; waiting a little longer than a minute after the last write
// was acknowledged keeps every heartbeat acceptable.
const HEARTBEAT_EVERY_MS = PRESENCE_HEARTBEAT_MS + 2_000;

/**
 * Starts the signed-in user's heartbeat: `lastActiveAt` now, then once a minute while the app
 * is in the foreground; nothing while it is in the background. Call stop() on sign-out.
 */
export function startPresence(client: AiChatClient, options: HeartbeatOptions = {}): Heartbeat {
  const ref = plainDoc(client, paths.presence(requireUser(client).uid));
  const foreground = options.foreground ?? pageForeground();
  let lastWriteMs: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let writing = false;

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void beat(), delayMs);
  };
  async function beat(): Promise<void> {
    if (stopped || writing || !foreground.isForeground()) return;
    const sinceMs = lastWriteMs === null ? Infinity : Date.now() - lastWriteMs;
    if (sinceMs < HEARTBEAT_EVERY_MS) return schedule(HEARTBEAT_EVERY_MS - sinceMs);
    writing = true;
    try {
      await setDoc(ref, { lastActiveAt: serverTimestamp() });
    } catch (error) {
      // Refused as too soon (another tab or device beat a moment ago): the next one will do.
      const appError = toAppError(error);
      if (appError.code !== "permission_denied") options.onError?.(appError);
    } finally {
      writing = false;
      lastWriteMs = Date.now();
    }
    if (!stopped) schedule(HEARTBEAT_EVERY_MS);
  }

  // Another tab or device may have beaten moments ago: start from the stored heartbeat, so
  // the first write waits out the rules' minute instead of being refused (a refused write is
  // harmless, but the browser logs it as an error).
  async function startFromStoredHeartbeat(): Promise<void> {
    try {
      const snapshot = await getDocFromCache(ref).catch(() => getDoc(ref));
      const lastActiveAt: unknown = snapshot.get("lastActiveAt");
      if (lastActiveAt instanceof Timestamp && lastWriteMs === null) {
        lastWriteMs = lastActiveAt.toMillis();
      }
    } catch {
      // Unreadable now (offline): the first write finds out.
    }
  }

  const unsubscribe = foreground.subscribe(() => {
    if (foreground.isForeground()) void beat();
    else clearTimeout(timer);
  });
  void startFromStoredHeartbeat().then(() => beat());
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}

/** Online: active within the last two minutes. */
export function isOnline(lastActiveAt: Date | null, now: Date = new Date()): boolean {
  return isOnlineAt(lastActiveAt ? lastActiveAt.getTime() : null, now.getTime());
}

/**
 * Calls back with the presence of `uids`, now, whenever one of them beats, and when someone
 * stops being online (no write announces that: a timer does). Queries of 30 ids each.
 */
export function watchPresence(
  client: AiChatClient,
  uids: readonly string[],
  onChange: (presence: Map<string, PresenceState>) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  const seen = new Map<string, number | null>(uids.map((uid) => [uid, null]));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const emit = () => {
    clearTimeout(timer);
    const now = Date.now();
    const states = new Map<string, PresenceState>();
    let nextFlipMs = Infinity;
    for (const [uid, lastMs] of seen) {
      const online = isOnlineAt(lastMs, now);
      if (online && lastMs !== null) nextFlipMs = Math.min(nextFlipMs, lastMs + ONLINE_WINDOW_MS);
      states.set(uid, { uid, lastActiveAt: lastMs === null ? null : new Date(lastMs), online });
    }
    if (nextFlipMs !== Infinity) timer = setTimeout(emit, Math.max(0, nextFlipMs - now) + 50);
    onChange(states);
  };
  const collection = typedCollection(client, "presence", presenceSchema);
  const ids = [...seen.keys()];
  const stops: Unsubscribe[] = [];
  for (let start = 0; start < ids.length; start += 30) {
    const chunk = ids.slice(start, start + 30);
    stops.push(
      watchQuery(
        query(collection, where(documentId(), "in", chunk)),
        (docs) => {
          for (const uid of chunk) seen.set(uid, null);
          for (const doc of docs) seen.set(doc.id, doc.lastActiveAt.toMillis());
          emit();
        },
        onError,
      ),
    );
  }
  if (ids.length === 0) onChange(new Map());
  return () => {
    clearTimeout(timer);
    for (const stop of stops) stop();
  };
}

/** One user's presence (see watchPresence). */
export function watchUserPresence(
  client: AiChatClient,
  uid: string,
  onChange: (presence: PresenceState) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchPresence(
    client,
    [uid],
    (states) => {
      const state = states.get(uid);
      if (state) onChange(state);
    },
    onError,
  );
}
