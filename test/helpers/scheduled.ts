// Runs a scheduled function of this run's Functions emulator as Cloud Scheduler runs a 2nd-gen
// scheduled function in production, an HTTP POST (emulators/schedule.mjs, which `npm start`'s
// local timer and `npm run fire` use too), and resolves when it has finished.
import { fireScheduled as fire } from "../../emulators/schedule.mjs";
import { emulatorEnv } from "./env";

export function fireScheduled(name: string): Promise<void> {
  const { functionsOrigin, projectId } = emulatorEnv();
  return fire({ origin: functionsOrigin, projectId, name });
}
