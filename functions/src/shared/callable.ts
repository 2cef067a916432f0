// The boundary of every callable: who is calling, and is the input well-formed.
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import type { z } from "zod";

export interface Caller {
  uid: string;
  isAdmin: boolean;
  email: string | null;
}

export function requireAuth(request: Pick<CallableRequest, "auth">): Caller {
  const auth = request.auth;
  if (!auth) throw new HttpsError("unauthenticated", "Sign in to do this.");
  const email = auth.token.email;
  return {
    uid: auth.uid,
    isAdmin: auth.token.admin === true,
    email: typeof email === "string" ? email : null,
  };
}

export function requireAdmin(request: Pick<CallableRequest, "auth">): Caller {
  const caller = requireAuth(request);
  if (!caller.isAdmin) throw new HttpsError("permission-denied", "Only admins can do this.");
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
  throw new HttpsError("invalid-argument", message, {
    issues: result.error.issues.slice(0, 10).map((each) => ({
      field: fieldName(each.path),
      message: each.message,
    })),
  });
}
