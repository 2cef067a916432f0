// Runs a scheduled function in the Functions emulator the way Cloud Scheduler runs a 2nd-gen
// scheduled function in production: an HTTP POST to the function. (The Pub/Sub emulator makes
// the Functions emulator load scheduled functions, but firebase-tools 14.18 cannot deliver a
// topic message to a 2nd-gen one: "Unsupported trigger signature: http".)
import { emulatorEnv } from "./env";

export async function fireScheduled(functionName: string): Promise<void> {
  const { functionsOrigin, projectId } = emulatorEnv();
  // The emulator keys a scheduled function's endpoint `<name>-0`.
  const response = await fetch(`${functionsOrigin}/${projectId}/us-central1/${functionName}-0`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-cloudscheduler-jobname": `local-${functionName}`,
      "x-cloudscheduler-scheduletime": new Date().toISOString(),
    },
    body: "{}",
  });
  if (!response.ok) {
    throw new Error(`${functionName} answered ${response.status}: ${await response.text()}`);
  }
}
