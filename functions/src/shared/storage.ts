// Cloud Storage access that degrades honestly where no Storage backend exists (the local
// emulator suite on machines that cannot run the Storage emulator).
import * as logger from "firebase-functions/logger";
import { readSettings } from "../config";
import { adminStorage } from "./firebase";

/** Against the emulators without a Storage emulator, there is no bucket to talk to. */
export function storageReachable(): boolean {
  const emulated =
    process.env.FUNCTIONS_EMULATOR === "true" || Boolean(process.env.FIRESTORE_EMULATOR_HOST);
  if (!emulated) return true;
  return Boolean(process.env.FIREBASE_STORAGE_EMULATOR_HOST || process.env.STORAGE_EMULATOR_HOST);
}

export function mediaBucket() {
  const name = readSettings().mediaBucket;
  return name ? adminStorage().bucket(name) : adminStorage().bucket();
}

export async function deleteStoragePrefix(prefix: string): Promise<void> {
  if (!storageReachable()) {
    logger.warn("storage is not reachable here; skipped deleting objects", { prefix });
    return;
  }
  await mediaBucket().deleteFiles({ prefix, force: true });
}
