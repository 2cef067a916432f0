// Retrying calls to the model provider, and what the app shows when they fail for good.
import { z } from "zod";
import { replyError, type ReplyError } from "../../contract/errors";

export const MAX_ATTEMPTS = 3;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;

export type ErrorKind =
  | "timeout"
  | "connection"
  | "rate_limited"
  | "quota_exceeded"
  | "server_error"
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "aborted"
  | "unknown";

const RETRYABLE_KINDS: readonly ErrorKind[] = [
  "timeout",
  "connection",
  "rate_limited",
  "server_error",
];

/** 429, 5xx (and 408), timeouts and dropped connections are worth another try; 4xx are not. */
export function isRetryable(statusOrKind: number | ErrorKind): boolean {
  if (typeof statusOrKind === "number") {
    return statusOrKind === 408 || statusOrKind === 429 || statusOrKind >= 500;
  }
  return RETRYABLE_KINDS.includes(statusOrKind);
}

export function kindForStatus(status: number): ErrorKind {
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status >= 400) return "bad_request";
  return "unknown";
}

// Only the fields the OpenAI SDK and Node's network errors carry; anything else is unknown.
const errorShape = z.object({
  name: z.string().optional(),
  status: z.number().int().optional(),
  code: z.string().nullish(),
  cause: z.object({ code: z.string().optional() }).optional(),
});

const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/** Classifies whatever a provider call threw. */
export function classifyError(error: unknown): ErrorKind {
  const parsed = errorShape.safeParse(error);
  if (!parsed.success) return "unknown";
  const { status, code, cause } = parsed.data;
  // The SDK's error classes keep Error's `name`, so their class name is what identifies them.
  const name =
    error instanceof Error && error.name === "Error" ? error.constructor.name : parsed.data.name;
  // A 429 that means "out of credit" will not clear up by waiting.
  if (code === "insufficient_quota") return "quota_exceeded";
  if (typeof status === "number") return kindForStatus(status);
  if (name === "APIConnectionTimeoutError" || name === "TimeoutError") return "timeout";
  if (name === "APIUserAbortError" || name === "AbortError") return "aborted";
  if (code === "ETIMEDOUT" || cause?.code === "ETIMEDOUT") return "timeout";
  if (name === "APIConnectionError") return "connection";
  if ((code && CONNECTION_CODES.has(code)) || (cause?.code && CONNECTION_CODES.has(cause.code))) {
    return "connection";
  }
  return "unknown";
}

/**
 * Delay before retry number `attempt` (1 = the first retry): "full jitter", a uniform draw
 * between 0 and min(cap, base * 2^(attempt - 1)), so clients that failed together do not
 * retry together. `random` returns [0, 1), as Math.random does.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.min(ceiling, Math.floor(draw * ceiling));
}

/** A provider call that failed for good, classified; its detail is for logs only. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly detail: string,
  ) {
    super(`provider call failed (${kind}): ${detail}`);
  }
}

export interface RetryOptions {
  /** Aborting ends the wait before the next try, and no further try starts. */
  signal?: AbortSignal;
  maxAttempts?: number;
  /** Failures of these kinds are not retried here (the caller has a better plan for them). */
  noRetry?: readonly ErrorKind[];
  /** Called before each retry (after a failed try), e.g. to reset partial output. */
  onRetry?: (attempt: number, kind: ErrorKind) => void;
  random?: () => number;
}

function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

/**
 * Calls `call` until it succeeds, a failure is not worth retrying, the attempts run out or
 * the signal aborts; waits with full-jitter backoff between tries. What it throws is always
 * a ProviderError. `call` gets the attempt number (1 for the first try).
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const failure =
        error instanceof ProviderError
          ? error
          : new ProviderError(
              classifyError(error),
              error instanceof Error ? error.message : String(error),
            );
      const retry = isRetryable(failure.kind) && !options.noRetry?.includes(failure.kind);
      if (attempt >= maxAttempts || !retry || options.signal?.aborted) throw failure;
      options.onRetry?.(attempt, failure.kind);
      await sleepUnlessAborted(backoffDelayMs(attempt, options.random), options.signal);
      if (options.signal?.aborted) throw failure;
    }
  }
}

export type UserFacingFailure = ReplyError;

// Shown in the app as is (contract/errors.ts). Never provider text: it can leak internals.
const FAILURES: Record<ErrorKind, ReplyError> = {
  timeout: replyError("reply_timeout"),
  connection: replyError("reply_unreachable"),
  rate_limited: replyError("reply_busy"),
  quota_exceeded: replyError("reply_unavailable"),
  server_error: replyError("reply_service_error"),
  bad_request: replyError("reply_not_possible"),
  unauthorized: replyError("reply_unavailable"),
  forbidden: replyError("reply_unavailable"),
  not_found: replyError("reply_unavailable"),
  aborted: replyError("reply_stopped"),
  unknown: replyError("reply_failed"),
};

export function userFacingFailure(kind: ErrorKind): UserFacingFailure {
  return FAILURES[kind];
}
