// Whether the app is in the foreground, for the helpers that report activity (presence, the
// conversation on screen). On the web it is the page's visibility; React Native apps pass
// their own, from AppState.
import type { Unsubscribe } from "./documents.js";

/** Where the app says whether it is in the foreground, and when that changes. */
export interface ForegroundSource {
  isForeground(): boolean;
  /** Calls back whenever the answer may have changed. */
  subscribe(onChange: () => void): Unsubscribe;
}

/**
 * The page's visibility (`document.visibilityState`), or always in the foreground where there
 * is no document (a worker, Node). React Native:
 *
 *   { isForeground: () => AppState.currentState === "active",
 *     subscribe: (f) => { const s = AppState.addEventListener("change", f); return () => s.remove(); } }
 */
export function pageForeground(): ForegroundSource {
  if (typeof document === "undefined") {
    return { isForeground: () => true, subscribe: () => () => undefined };
  }
  return {
    isForeground: () => document.visibilityState === "visible",
    subscribe(onChange) {
      document.addEventListener("visibilitychange", onChange);
      return () => document.removeEventListener("visibilitychange", onChange);
    },
  };
}
