// Runs a scheduled function in the Functions emulator the way Cloud Scheduler runs a 2nd-gen
// scheduled function in production: an HTTP POST to the function. (The Pub/Sub emulator makes
// the Functions emulator load scheduled functions, but firebase-tools 14.18 cannot deliver a
// topic message to a 2nd-gen one: "Unsupported trigger signature: http".)
import { emulatorEnv } from "./env";

/**
 * The emulator's endpoint of a scheduled function, `<name>-<generation>`: the generation goes
 * up each time the emulator reloads its triggers (as re-enabling background triggers does). A
 * request by the bare name answers 404 with every current endpoint.
 */
async function endpointOf(name: string): Promise<string> {
  const { functionsOrigin, projectId } = emulatorEnv();
  const listing = await (await fetch(`${functionsOrigin}/${projectId}/us-central1/${name}`)).text();
  const generations = [...listing.matchAll(new RegExp(`us-central1-${name}-(\\d+)`, "g"))].map(
    (match) => Number(match[1]),
  );
  if (generations.length === 0) throw new Error(`no scheduled function ${name}: ${listing}`);
  return `${functionsOrigin}/${projectId}/us-central1/${name}-${Math.max(...generations)}`;
}

/** Runs the function and resolves when it has finished. */
export async function fireScheduled(functionName: string): Promise<void> {
  const response = await fetch(await endpointOf(functionName), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-cloudscheduler-jobname": `local-${functionName}`,
      "x-cloudscheduler-scheduletime": new Date().toISOString(),
    },
    body: "{}",
  });
  // 204 is the emulator saying its triggers are disabled: nothing ran.
  if (response.status !== 200) {
    throw new Error(`${functionName} answered ${response.status}: ${await response.text()}`);
  }
}
