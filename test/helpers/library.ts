// The client library (client/src) on a test's client app, as an app built on it runs, and
// small helpers for its listener-style APIs.
import { connect, type AiChatClient, type ForegroundSource } from "../../client/src/index";
import type { ClientApp } from "./client";

/** The library's client for a signed-in test app (same Firebase app, Auth and Firestore). */
export function library(app: ClientApp): AiChatClient {
  return connect({ app: app.app, auth: app.auth, firestore: app.db });
}

/** A foreground the test switches by hand. */
export function manualForeground(initially = true): ForegroundSource & { set(on: boolean): void } {
  let on = initially;
  const listeners = new Set<() => void>();
  return {
    isForeground: () => on,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(value) {
      on = value;
      for (const listener of listeners) listener();
    },
  };
}

/**
 * Resolves with the first value a watch helper delivers that `done` accepts, then stops it.
 * `watch` is called with the callback and returns the stop function.
 */
export function until<T>(
  watch: (onChange: (value: T) => void, onError: (error: unknown) => void) => () => void,
  done: (value: T) => boolean,
  timeoutMs = 45_000,
  what = "a value",
): Promise<T> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    let finished = false;
    const finish = (outcome: () => void) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Stopped once watch() has returned it, even when the first value came at once.
      queueMicrotask(() => stop());
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`)),
        ),
      timeoutMs,
    );
    const stop = watch(
      (value) => {
        last = value;
        if (done(value)) finish(() => resolve(value));
      },
      (error) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}
