// Where the app finds its Firebase project. A local run (npm start, npm test, npm run dev)
// serves /local-stack.json naming that run's emulators; a deployed site reads the project's
// web config from Firebase Hosting's reserved /__/firebase/init.json.

export interface EmulatorAddress {
  host: string;
  port: number;
}

export interface AppConfig {
  firebase: {
    apiKey: string;
    authDomain: string;
    projectId: string;
    storageBucket: string;
    appId?: string;
  };
  /** Set in a local run: every Firebase service is an emulator. */
  emulators: {
    auth: EmulatorAddress;
    firestore: EmulatorAddress;
    functions: EmulatorAddress;
    storage: EmulatorAddress;
  } | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function address(value: unknown): EmulatorAddress | null {
  if (!isRecord(value)) return null;
  const { host, port } = value;
  return typeof host === "string" && typeof port === "number" ? { host, port } : null;
}

async function fetchJson(path: string): Promise<unknown> {
  const response = await fetch(path, { cache: "no-store" });
  // The SPA rewrite answers unknown paths with index.html: only JSON counts.
  if (!response.ok || !response.headers.get("content-type")?.includes("json")) return null;
  return response.json();
}

function localConfig(raw: unknown): AppConfig | null {
  if (!isRecord(raw) || typeof raw.projectId !== "string" || !isRecord(raw.emulators)) return null;
  const auth = address(raw.emulators.auth);
  const firestore = address(raw.emulators.firestore);
  const functions = address(raw.emulators.functions);
  const storage = address(raw.emulators.storage);
  if (!auth || !firestore || !functions || !storage) return null;
  const projectId = raw.projectId;
  return {
    firebase: {
      apiKey: "demo-api-key",
      authDomain: `${projectId}.firebaseapp.com`,
      projectId,
      storageBucket: `${projectId}.appspot.com`,
    },
    emulators: { auth, firestore, functions, storage },
  };
}

function hostingConfig(raw: unknown): AppConfig | null {
  if (!isRecord(raw)) return null;
  const { apiKey, authDomain, projectId, storageBucket, appId } = raw;
  if (typeof apiKey !== "string" || typeof projectId !== "string") return null;
  return {
    firebase: {
      apiKey,
      projectId,
      authDomain: typeof authDomain === "string" ? authDomain : `${projectId}.firebaseapp.com`,
      storageBucket: typeof storageBucket === "string" ? storageBucket : "",
      ...(typeof appId === "string" ? { appId } : {}),
    },
    emulators: null,
  };
}

export async function loadConfig(): Promise<AppConfig> {
  const local = localConfig(await fetchJson("/local-stack.json").catch(() => null));
  if (local) return local;
  const hosted = hostingConfig(await fetchJson("/__/firebase/init.json").catch(() => null));
  if (hosted) return hosted;
  throw new Error(
    "No Firebase configuration found: serve the app with `npm start` or deploy it to Firebase Hosting.",
  );
}
