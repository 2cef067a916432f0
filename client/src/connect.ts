// Connecting an app to the backend: one Firebase app with Auth, Firestore, Functions and
// (where a bucket is configured) Storage, optionally pointed at the local emulators.
import { getApps, initializeApp, type FirebaseApp, type FirebaseOptions } from "firebase/app";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";
import { connectStorageEmulator, getStorage, type FirebaseStorage } from "firebase/storage";

/** Where the emulators listen; the defaults are the ports in the project's firebase.json. */
export interface EmulatorOptions {
  host?: string;
  authPort?: number;
  firestorePort?: number;
  functionsPort?: number;
  /** null: no Storage emulator (uploads then fail with `unavailable`). */
  storagePort?: number | null;
}

export interface ConnectOptions {
  /** The Firebase web config of your project (Project settings → Your apps). */
  firebaseConfig?: FirebaseOptions;
  /** Shorthands for a config with only these (enough for the emulators). */
  projectId?: string;
  apiKey?: string;
  /** An app you initialized yourself; the config is then ignored. */
  app?: FirebaseApp;
  /** The name of the Firebase app to create (several clients in one process need several). */
  appName?: string;
  /**
   * Auth and Firestore instances you initialized yourself, e.g. React Native's
   * `initializeAuth(app, { persistence: getReactNativePersistence(AsyncStorage) })`.
   */
  auth?: Auth;
  firestore?: Firestore;
  /** Where the functions are deployed. */
  region?: string;
  /** Connect to the local emulators (`npm start`) instead of the real services. */
  emulators?: EmulatorOptions;
}

/** What every helper of this library takes first. */
export interface AiChatClient {
  readonly app: FirebaseApp;
  readonly auth: Auth;
  readonly db: Firestore;
  readonly functions: Functions;
  /** Null when the app has no Storage bucket configured. */
  readonly storage: FirebaseStorage | null;
  readonly region: string;
  readonly emulated: boolean;
}

export const DEFAULT_REGION = "us-central1";
const DEFAULT_EMULATORS = {
  host: "127.0.0.1",
  authPort: 9099,
  firestorePort: 8080,
  functionsPort: 5001,
  storagePort: 9199,
} as const;

// One client per Firebase app: emulator connections can be made only once per instance, and
// a React app in strict mode, or hot reload, calls connect() again.
const clients = new Map<string, AiChatClient>();

function appFor(options: ConnectOptions): FirebaseApp {
  if (options.app) return options.app;
  const name = options.appName ?? "[DEFAULT]";
  const existing = getApps().find((app) => app.name === name);
  if (existing) return existing;
  const config: FirebaseOptions = { ...options.firebaseConfig };
  if (options.projectId) config.projectId = options.projectId;
  if (options.apiKey) config.apiKey = options.apiKey;
  if (!config.projectId) throw new Error("connect: give firebaseConfig or projectId");
  if (options.emulators) {
    config.apiKey ??= "demo-api-key";
    config.authDomain ??= `${config.projectId}.firebaseapp.com`;
    config.storageBucket ??= `${config.projectId}.appspot.com`;
  }
  return initializeApp(config, name);
}

/** The client for a project: call once at start-up and pass it to every helper. */
export function connect(options: ConnectOptions): AiChatClient {
  const app = appFor(options);
  const known = clients.get(app.name);
  if (known) return known;
  const region = options.region ?? DEFAULT_REGION;
  const auth = options.auth ?? getAuth(app);
  const db = options.firestore ?? getFirestore(app);
  const functions = getFunctions(app, region);
  const storage = app.options.storageBucket ? getStorage(app) : null;
  const given = options.emulators;
  const emulators = given
    ? {
        host: given.host ?? DEFAULT_EMULATORS.host,
        authPort: given.authPort ?? DEFAULT_EMULATORS.authPort,
        firestorePort: given.firestorePort ?? DEFAULT_EMULATORS.firestorePort,
        functionsPort: given.functionsPort ?? DEFAULT_EMULATORS.functionsPort,
        storagePort:
          given.storagePort === undefined ? DEFAULT_EMULATORS.storagePort : given.storagePort,
      }
    : null;
  if (emulators) {
    connectAuthEmulator(auth, `http://${emulators.host}:${emulators.authPort}`, {
      disableWarnings: true,
    });
    connectFirestoreEmulator(db, emulators.host, emulators.firestorePort);
    connectFunctionsEmulator(functions, emulators.host, emulators.functionsPort);
    if (storage && emulators.storagePort !== null) {
      connectStorageEmulator(storage, emulators.host, emulators.storagePort);
    }
  }
  const client: AiChatClient = {
    app,
    auth,
    db,
    functions,
    storage,
    region,
    emulated: emulators !== null,
  };
  clients.set(app.name, client);
  return client;
}

/** Forgets the client of an app (after `deleteApp`), so connect() can make a new one. */
export function forgetClient(client: AiChatClient): void {
  clients.delete(client.app.name);
}
