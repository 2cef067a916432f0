// Every error the backend shows an app during the end-to-end tests passes through here: a
// callable's `details.reason` or a reply's `error.code`. A code the client library's
// AppErrorCode union lacks fails the test that met it, and each code seen is recorded so
// the suite can print which codes it exercised.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { isAppErrorCode, toAppError } from "../../client/src/errors";

export const ERROR_CODES_SEEN_FILE = "coverage/error-codes-seen.txt";

/** HttpsError statuses a crash or the transport produces, which carry no reason. */
const STATUSES_WITHOUT_REASON = new Set([
  "functions/internal",
  "functions/unavailable",
  "functions/deadline-exceeded",
  "functions/unknown",
]);

function record(kind: "callable" | "reply", code: string): void {
  mkdirSync(dirname(ERROR_CODES_SEEN_FILE), { recursive: true });
  appendFileSync(ERROR_CODES_SEEN_FILE, `${kind} ${code}\n`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Checks an error thrown by a callable; throws when the union lacks its reason. */
export function checkCallableError(error: unknown): void {
  if (!isRecord(error) || typeof error.code !== "string" || !error.code.startsWith("functions/"))
    return;
  const reason = isRecord(error.details) ? error.details.reason : undefined;
  if (reason === undefined) {
    if (STATUSES_WITHOUT_REASON.has(error.code)) return;
    throw new Error(
      `a callable answered ${error.code} (${String(error.message)}) without details.reason: ` +
        "errors must be thrown through fail() with a reason from contract/errors.ts",
    );
  }
  if (!isAppErrorCode(reason) || toAppError(error).code !== reason) {
    throw new Error(
      `a callable answered reason ${JSON.stringify(reason)}, which AppErrorCode lacks`,
    );
  }
  record("callable", reason);
}

/** Checks a reply document's data; throws when the union lacks its `error.code`. */
export function checkReplyError(data: unknown): void {
  if (!isRecord(data) || !isRecord(data.error)) return;
  const code = data.error.code;
  if (!isAppErrorCode(code) || toAppError(data.error).code !== code) {
    throw new Error(
      `a reply ended with error.code ${JSON.stringify(code)}, which AppErrorCode lacks`,
    );
  }
  record("reply", code);
}
