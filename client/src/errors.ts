// Every error an app can meet, as one typed union with a message it can show: the codes the
// backend puts on a reply's `error.code`, the reasons its callables put on `details.reason`
// (both from the backend's contract/errors.ts), and the few that only a client sees (the
// network, a rules refusal, a failed sign-in).
import {
  CALLABLE_ERRORS,
  REPLY_ERRORS,
  replyErrorSchema,
  type BackendErrorCode,
  type CallableErrorReason,
  type CallableStatus,
  type ReplyErrorCode,
  type ReplyUpgrade,
} from "../../functions/src/contract/index.js";

/** Errors that happen on the client's side of the wire. */
export const CLIENT_ERRORS = {
  unavailable: "We can't reach the service. Check your connection and try again.",
  permission_denied: "You can't do that.",
  not_found: "That isn't there any more.",
  timeout: "This is taking longer than it should. Please try again.",
  sign_in_failed: "That email and password don't match an account.",
  email_in_use: "An account with this email already exists. Sign in instead.",
  invalid_email: "That doesn't look like an email address.",
  weak_password: "Choose a longer password (at least 6 characters).",
  profile_timeout: "Your account is still being set up. Please try again in a moment.",
  unknown: "Something went wrong. Please try again.",
} as const satisfies Record<string, string>;

export type ClientErrorCode = keyof typeof CLIENT_ERRORS;

/** Every code an app can meet. */
export type AppErrorCode = BackendErrorCode | ClientErrorCode;

/** Where a code comes from; `account_inactive` and `rate_limited` are both a reply's and a callable's. */
export type AppErrorSource = "reply" | "callable" | "client";

function sourcesOf(code: AppErrorCode): AppErrorSource[] {
  const sources: AppErrorSource[] = [];
  if (Object.hasOwn(REPLY_ERRORS, code)) sources.push("reply");
  if (Object.hasOwn(CALLABLE_ERRORS, code)) sources.push("callable");
  if (Object.hasOwn(CLIENT_ERRORS, code)) sources.push("client");
  return sources;
}

function isKey<T extends object>(table: T, key: unknown): key is keyof T {
  return typeof key === "string" && Object.hasOwn(table, key);
}

/** Every code, each once, in a stable order: reply codes, callable reasons, client codes. */
export const APP_ERROR_CODES: readonly AppErrorCode[] = [
  ...new Set<AppErrorCode>([
    ...(Object.keys(REPLY_ERRORS) as ReplyErrorCode[]),
    ...(Object.keys(CALLABLE_ERRORS) as CallableErrorReason[]),
    ...(Object.keys(CLIENT_ERRORS) as ClientErrorCode[]),
  ]),
];

export function isAppErrorCode(value: unknown): value is AppErrorCode {
  return isKey(REPLY_ERRORS, value) || isKey(CALLABLE_ERRORS, value) || isKey(CLIENT_ERRORS, value);
}

/**
 * The message to show for a code when there is no more specific one. (The backend usually
 * sends a more specific message, e.g. `username: must be at least 3 characters`; AppError
 * carries that one.)
 */
export function appErrorMessage(code: AppErrorCode, source?: AppErrorSource): string {
  const from = source ?? sourcesOf(code)[0];
  if (from === "reply" && isKey(REPLY_ERRORS, code)) return REPLY_ERRORS[code].message;
  if (from !== "client" && isKey(CALLABLE_ERRORS, code)) return CALLABLE_ERRORS[code].message;
  if (isKey(REPLY_ERRORS, code)) return REPLY_ERRORS[code].message;
  if (isKey(CLIENT_ERRORS, code)) return CLIENT_ERRORS[code];
  return CLIENT_ERRORS.unknown;
}

export interface AppErrorInit {
  code: AppErrorCode;
  source: AppErrorSource;
  message?: string;
  /** The HttpsError status a callable answered with. */
  status?: CallableStatus;
  /** For `invalid_input`: the field the message names (`username`, `profile.name`). */
  field?: string;
  /** For `rate_limited`: when to try again. */
  retryAt?: Date;
  /** For `limit_reached` and `premium_required` replies: what going premium costs. */
  upgrade?: ReplyUpgrade;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** An error an app can show (`message`) and branch on (`code`). */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly source: AppErrorSource;
  readonly status: CallableStatus | undefined;
  readonly field: string | undefined;
  readonly retryAt: Date | undefined;
  readonly upgrade: ReplyUpgrade | undefined;
  readonly details: Record<string, unknown>;

  constructor(init: AppErrorInit) {
    super(init.message ?? appErrorMessage(init.code, init.source), { cause: init.cause });
    this.name = "AppError";
    this.code = init.code;
    this.source = init.source;
    this.status = init.status;
    this.field = init.field;
    this.retryAt = init.retryAt;
    this.upgrade = init.upgrade;
    this.details = init.details ?? {};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An ISO 8601 time from a callable's details (`retryAt`). */
function dateFrom(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A FirebaseError's shape, without depending on which SDK package threw it. */
function firebaseErrorParts(error: unknown): { code: string; message: string; details: unknown } {
  if (!isRecord(error) || typeof error.code !== "string")
    return { code: "", message: "", details: undefined };
  return {
    code: error.code,
    message: typeof error.message === "string" ? error.message : "",
    details: error.details,
  };
}

const AUTH_CODES: Record<string, ClientErrorCode> = {
  "auth/invalid-credential": "sign_in_failed",
  "auth/invalid-login-credentials": "sign_in_failed",
  "auth/wrong-password": "sign_in_failed",
  "auth/user-not-found": "sign_in_failed",
  "auth/user-disabled": "sign_in_failed",
  "auth/email-already-in-use": "email_in_use",
  "auth/invalid-email": "invalid_email",
  "auth/weak-password": "weak_password",
  "auth/network-request-failed": "unavailable",
  "auth/too-many-requests": "unavailable",
};

/** Firestore and Storage codes (`permission-denied`, `storage/unauthorized`...) by meaning. */
function sdkCode(code: string): ClientErrorCode {
  const bare = code.replace(/^(firestore|storage|functions)\//, "");
  if (bare === "permission-denied" || bare === "unauthorized" || bare === "unauthenticated")
    return "permission_denied";
  if (bare === "not-found" || bare === "object-not-found") return "not_found";
  if (bare === "unavailable" || bare === "deadline-exceeded" || bare === "retry-limit-exceeded")
    return "unavailable";
  return "unknown";
}

/**
 * Turns anything thrown by a callable, a Firestore or Storage call or sign-in, or a reply's
 * `error` field, into an AppError. A callable error's `details.reason` is its code; a reply's
 * `error.code` is. Unknown shapes become `unknown` (never thrown away: `cause` keeps them).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;

  const replyError = replyErrorSchema.safeParse(error);
  if (replyError.success) {
    const { code, message, retryAt, upgrade } = replyError.data;
    return new AppError({
      code,
      source: "reply",
      message,
      ...(retryAt ? { retryAt: retryAt.toDate() } : {}),
      ...(upgrade ? { upgrade } : {}),
    });
  }

  const { code, message, details } = firebaseErrorParts(error);
  if (code.startsWith("functions/")) {
    const reason = isRecord(details) ? details.reason : undefined;
    if (isKey(CALLABLE_ERRORS, reason)) {
      const extra = isRecord(details) ? details : {};
      const field = typeof extra.field === "string" ? extra.field : fieldOf(message, reason);
      const retryAt = dateFrom(extra.retryAt);
      return new AppError({
        code: reason,
        source: "callable",
        message: message || CALLABLE_ERRORS[reason].message,
        status: CALLABLE_ERRORS[reason].status,
        details: extra,
        cause: error,
        ...(field ? { field } : {}),
        ...(retryAt ? { retryAt } : {}),
      });
    }
    // No reason: the function crashed (`internal`, whose message is never the server's) or
    // the request never reached it.
    return new AppError({ code: sdkCode(code), source: "client", cause: error });
  }
  if (code.startsWith("auth/")) {
    return new AppError({ code: AUTH_CODES[code] ?? "unknown", source: "client", cause: error });
  }
  if (code) return new AppError({ code: sdkCode(code), source: "client", cause: error });
  return new AppError({ code: "unknown", source: "client", cause: error });
}

/** `username: must be at least 3 characters` names the field `username`. */
function fieldOf(message: string, reason: CallableErrorReason): string | undefined {
  if (reason !== "invalid_input") return undefined;
  const match = /^([A-Za-z0-9_.[\]]+): /.exec(message);
  return match?.[1];
}
