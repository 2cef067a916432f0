// A real client app, as a web or mobile app would build it, connected to the emulators.
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  signInWithEmailAndPassword,
  type Auth,
  type User,
} from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import { db } from "../../functions/src/shared/firebase";
import {
  connectFunctionsEmulator,
  getFunctions,
  httpsCallable,
  type Functions,
} from "firebase/functions";
import { emulatorEnv } from "./env";

export interface ClientApp {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  functions: Functions;
  /** Calls a callable function and returns its data. */
  call<Out = unknown>(name: string, data?: unknown): Promise<Out>;
  close(): Promise<void>;
}

let appCount = 0;
const openApps = new Set<ClientApp>();

export function newClientApp(): ClientApp {
  const env = emulatorEnv();
  const app = initializeApp(
    {
      projectId: env.projectId,
      apiKey: "demo-api-key",
      authDomain: `${env.projectId}.firebaseapp.com`,
    },
    `client-${process.pid}-${++appCount}`,
  );
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${env.authHost}`, { disableWarnings: true });
  const db = getFirestore(app);
  const [host, port] = env.firestoreHost.split(":");
  connectFirestoreEmulator(db, host ?? "127.0.0.1", Number(port));
  const functions = getFunctions(app, "us-central1");
  const functionsUrl = new URL(env.functionsOrigin);
  connectFunctionsEmulator(functions, functionsUrl.hostname, Number(functionsUrl.port));
  const client: ClientApp = {
    app,
    auth,
    db,
    functions,
    async call<Out>(name: string, data?: unknown): Promise<Out> {
      const result = await httpsCallable<unknown, Out>(functions, name)(data ?? {});
      return result.data;
    },
    async close() {
      openApps.delete(client);
      await deleteApp(app);
    },
  };
  openApps.add(client);
  return client;
}

export async function closeAllClientApps(): Promise<void> {
  await Promise.all([...openApps].map((client) => client.close()));
}

let userCount = 0;

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${++userCount}@example.test`;
}

/**
 * Signs up a new user (email/password) in a fresh client app and, as an app does before
 * letting the user chat, waits until the server has created their profile.
 */
export async function signUp(
  prefix = "user",
  password = "password-123",
): Promise<ClientApp & { user: User; email: string; password: string }> {
  const client = newClientApp();
  const email = uniqueEmail(prefix);
  const credential = await createUserWithEmailAndPassword(client.auth, email, password);
  await waitForProfile(credential.user.uid);
  return Object.assign(client, { user: credential.user, email, password });
}

export async function signIn(email: string, password: string): Promise<ClientApp & { user: User }> {
  const client = newClientApp();
  const credential = await signInWithEmailAndPassword(client.auth, email, password);
  return Object.assign(client, { user: credential.user });
}

/**
 * Waits, reading on the server side, until the onUserCreated trigger has written the
 * user's profile (a freshly signed-in client's first listener can lag behind its token).
 */
async function waitForProfile(uid: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await db().collection("users").doc(uid).get()).exists) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `no profile for ${uid} after ${timeoutMs} ms: is the onUserCreated trigger running?`,
  );
}
