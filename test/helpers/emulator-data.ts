// Resets the emulators between tests through their REST endpoints.
import { emulatorEnv } from "./env";

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
}

/**
 * Deletes every document in the Firestore emulator (rules are not consulted). A trigger
 * still finishing the previous test may hold a transaction lock, and the emulator now and
 * then answers 500 to a clear it completes when asked again: both are retried.
 */
export async function clearFirestore(projectId = emulatorEnv().projectId): Promise<void> {
  const env = emulatorEnv();
  const url = `http://${env.firestoreHost}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { method: "DELETE" });
    // 409: a transaction lock; 500: the emulator failing a delete it retries fine.
    const retryable = response.status === 409 || response.status === 500;
    if (!retryable || attempt === 10) return expectOk(response, "clearing Firestore");
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

/** Deletes every account in the Auth emulator. */
export async function clearAuth(): Promise<void> {
  const env = emulatorEnv();
  const response = await fetch(
    `http://${env.authHost}/emulator/v1/projects/${env.projectId}/accounts`,
    { method: "DELETE" },
  );
  await expectOk(response, "clearing Auth");
}
