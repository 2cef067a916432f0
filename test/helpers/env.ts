// Where the emulators of this run are. `npm test` (emulators/exec.mjs) sets these.
export interface EmulatorEnv {
  projectId: string;
  firestoreHost: string;
  authHost: string;
  functionsOrigin: string;
}

export function emulatorEnv(): EmulatorEnv {
  const projectId = process.env.GCLOUD_PROJECT;
  const firestoreHost = process.env.FIRESTORE_EMULATOR_HOST;
  const authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  const functionsOrigin = process.env.FUNCTIONS_EMULATOR_ORIGIN;
  if (!projectId || !firestoreHost || !authHost || !functionsOrigin) {
    throw new Error(
      "The emulators are not running: run emulator tests with `npm test` (it starts them).",
    );
  }
  return { projectId, firestoreHost, authHost, functionsOrigin };
}

export function functionUrl(name: string, path = ""): string {
  const env = emulatorEnv();
  return `${env.functionsOrigin}/${env.projectId}/us-central1/${name}${path}`;
}
