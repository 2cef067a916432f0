// The boundary of every callable: who is calling, and is the input well-formed.
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import type { z } from "zod";
import { CALLABLE_ERRORS, type CallableErrorReason } from "../contract/errors";

/**
 * The error a callable answers with: the listed status and message for `reason` (or a more
 * specific message), and `details.reason` so an app can tell errors apart without parsing
 * messages.
 */
export function callableError(
  reason: CallableErrorReason,
  message?: string,
  details: Record<string, unknown> = {},
): HttpsError {
  const listed = CALLABLE_ERRORS[reason];
  return new HttpsError(listed.status, message ?? listed.message, { ...details, reason });
}

/** Throws `callableError(reason, message, details)`. */
export function fail(
  reason: CallableErrorReason,
  message?: string,
  details?: Record<string, unknown>,
): never {
  throw callableError(reason, message, details);
}

export interface Caller {
  uid: string;
  isAdmin: boolean;
  email: string | null;
}

export function requireAuth(request: Pick<CallableRequest, "auth">): Caller {
  const auth = request.auth;
  if (!auth) fail("sign_in_required");
  const email = auth.token.email;
  return {
    uid: auth.uid,
    isAdmin: auth.token.admin === true,
    email: typeof email === "string" ? email : null,
  };
}

/**
 * The admin claim as the token carries it. A token issued before a demotion still carries
 * it for up to an hour: admin callables use requireCurrentAdmin (identity/guards.ts), which
 * also checks that.
 */
export function requireAdmin(request: Pick<CallableRequest, "auth">): Caller {
  const caller = requireAuth(request);
  if (!caller.isAdmin) fail("admin_only");
  return caller;
}

/** A field path as a client would name it: `lorebook.entries[3].keys`. */
export function fieldName(path: readonly PropertyKey[]): string {
  let name = "";
  for (const part of path) {
    if (typeof part === "number") name += `[${part}]`;
    else name += name ? `.${String(part)}` : String(part);
  }
  return name || "input";
}

/** Parses callable input from `unknown`; a bad input is `invalid-argument` naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const message = issue ? `${fieldName(issue.path)}: ${issue.message}` : "input is invalid";
  fail("invalid_input", message, {
    issues: result.error.issues.slice(0, 10).map((each) => ({
      field: fieldName(each.path),
      message: each.message,
    })),
  });
}
