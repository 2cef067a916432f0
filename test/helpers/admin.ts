// The Admin SDK (the same module the functions use), for arranging and inspecting state.
import { FirebaseError } from "firebase/app";
import { adminAuth, db } from "../../functions/src/shared/firebase";
import { signUp } from "./client";

export { adminAuth, db };

/** A signed-up user promoted to admin, with a refreshed token carrying the claim. */
export async function signUpAdmin() {
  const client = await signUp("admin");
  await adminAuth().setCustomUserClaims(client.user.uid, { admin: true });
  await client.user.getIdToken(true);
  return client;
}

/**
 * The callable error a client sees: its code ("functions/invalid-argument"), message and
 * `details.reason` (null when the error carries none).
 */
export async function callError(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; reason: string | null }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FirebaseError) {
      const details: unknown = "details" in error ? error.details : undefined;
      const reason =
        typeof details === "object" && details !== null && "reason" in details
          ? String(details.reason)
          : null;
      return { code: error.code, message: error.message, reason };
    }
    throw error;
  }
  throw new Error("expected the call to fail, and it succeeded");
}

export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs = 45_000,
  what = "condition",
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
