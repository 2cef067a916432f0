// Small hooks every screen uses: a live subscription, a one-off load, and an action's state.
import { useCallback, useEffect, useRef, useState } from "react";
import { toAppError, type AppError } from "@aichat/client";

export interface Live<T> {
  data: T | undefined;
  error: AppError | null;
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}

/**
 * State that starts over when `deps` change: reset during render (React's pattern for state
 * derived from props), so no effect has to clear it and no stale value is ever shown.
 */
function useStateFor<S>(
  deps: readonly unknown[],
  initial: () => S,
): [S, (update: (previous: S) => S) => void] {
  const [current, setCurrent] = useState(() => ({ deps, value: initial() }));
  let value = current.value;
  if (!sameDeps(current.deps, deps)) {
    value = initial();
    setCurrent({ deps, value });
  }
  const update = useCallback(
    (change: (previous: S) => S) =>
      setCurrent((previous) => ({ deps: previous.deps, value: change(previous.value) })),
    [],
  );
  return [value, update];
}

/**
 * Subscribes while mounted (and again when `deps` change): `subscribe` gets the callbacks and
 * returns the unsubscribe function, as the library's watch* helpers do.
 */
export function useLive<T>(
  subscribe: ((onData: (data: T) => void, onError: (error: AppError) => void) => () => void) | null,
  deps: readonly unknown[],
): Live<T> {
  const [state, update] = useStateFor<Live<T>>(deps, () => ({ data: undefined, error: null }));
  useEffect(() => {
    if (!subscribe) return undefined;
    let active = true;
    const stop = subscribe(
      (data) => {
        if (active) update(() => ({ data, error: null }));
      },
      (error) => {
        if (active) update((previous) => ({ data: previous.data, error }));
      },
    );
    return () => {
      active = false;
      stop();
    };
    // The subscription is defined by its deps, as for useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

export interface Loaded<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  reload: () => void;
}

/** Loads once (and again when `deps` change or on reload(), keeping the last data meanwhile). */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): Loaded<T> {
  const [attempt, setAttempt] = useState(0);
  const [state, update] = useStateFor<Omit<Loaded<T>, "reload">>(deps, () => ({
    data: undefined,
    error: null,
    loading: load !== null,
  }));
  useEffect(() => {
    if (!load) return undefined;
    let active = true;
    load().then(
      (data) => {
        if (active) update(() => ({ data, error: null, loading: false }));
      },
      (error: unknown) => {
        if (active)
          update((previous) => ({ ...previous, error: toAppError(error), loading: false }));
      },
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((value) => value + 1), []);
  return { ...state, reload };
}

export interface Action<Args extends unknown[], R> {
  run: (...args: Args) => Promise<R | undefined>;
  busy: boolean;
  error: AppError | null;
  clearError: () => void;
}

/** Runs an async action, keeping whether it is running and its error (as an AppError). */
export function useAction<Args extends unknown[], R>(
  action: (...args: Args) => Promise<R>,
): Action<Args, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const latest = useRef(action);
  useEffect(() => {
    latest.current = action;
  });
  const run = useCallback(async (...args: Args) => {
    setBusy(true);
    setError(null);
    try {
      return await latest.current(...args);
    } catch (caught) {
      if (mounted.current) setError(toAppError(caught));
      return undefined;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}

/** The current time, refreshed every `everyMs` (for countdowns and ages). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Sets the document title for the screen (the app name after it). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · AI Character Chat` : "AI Character Chat";
  }, [title]);
}
