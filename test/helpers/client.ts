// A real client app, as a web or mobile app builds it: the client library connected to this
// run's emulators.
import { deleteApp } from "firebase/app";
import type { User } from "firebase/auth";
import { httpsCallable } from "firebase/functions";
import {
  AppError,
  connect,
  forgetClient,
  signIn as librarySignIn,
  signUp as librarySignUp,
  waitForProfile,
  type AiChatClient,
} from "../../client/src/index";
import { profileRef } from "../../functions/src/identity/store";
import { checkCallableError } from "./error-codes";
import { emulatorEnv } from "./env";

export interface ClientApp extends AiChatClient {
  /** Calls a callable function by any name (also ones that do not exist) and returns its data. */
  call<Out = unknown>(name: string, data?: unknown): Promise<Out>;
  close(): Promise<void>;
}

let appCount = 0;
const openApps = new Set<ClientApp>();

/** The emulators of this run, as the library's connect() takes them. */
export function emulatorOptions() {
  const env = emulatorEnv();
  const [host = "127.0.0.1", firestorePort] = env.firestoreHost.split(":");
  const storagePort = Number(process.env.AICHAT_STORAGE_PORT);
  return {
    projectId: env.projectId,
    emulators: {
      host,
      authPort: Number(env.authHost.split(":")[1]),
      firestorePort: Number(firestorePort),
      functionsPort: Number(new URL(env.functionsOrigin).port),
      storagePort: process.env.AICHAT_STORAGE_EMULATOR_RUNNING === "1" ? storagePort : null,
    },
  };
}

export function newClientApp(): ClientApp {
  const library = connect({
    ...emulatorOptions(),
    appName: `client-${process.pid}-${++appCount}`,
    // Every error a library call meets is checked against the AppErrorCode union too.
    onError: (error) => checkCallableError(error.cause),
  });
  const client: ClientApp = {
    ...library,
    async call<Out>(name: string, data?: unknown): Promise<Out> {
      try {
        const result = await httpsCallable<unknown, Out>(library.functions, name)(data ?? {});
        return result.data;
      } catch (error) {
        checkCallableError(error);
        throw error;
      }
    },
    async close() {
      openApps.delete(client);
      forgetClient(library);
      await deleteApp(library.app);
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
 * Signs up a new user (email/password) in a fresh client app; like the library's signUp,
 * it resolves once the server has created the user's profile.
 */
export async function signUp(
  prefix = "user",
  password = "password-123",
): Promise<ClientApp & { user: User; email: string; password: string }> {
  const client = newClientApp();
  const email = uniqueEmail(prefix);
  try {
    const { user } = await librarySignUp(client, email, password);
    return Object.assign(client, { user, email, password });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "profile_timeout") throw error;
    return Object.assign(await afterProfileTimeout(client, email, password, error), {
      email,
      password,
    });
  }
}

/**
 * The account exists but the app saw no profile in the library's 30 s. Either the trigger is
 * late (the Functions emulator runs trigger events one at a time, so behind a busy test it
 * can be): wait on. Or the profile is stored and this app's Firestore connection stalled (the
 * web SDK in Node can, under a burst of writes against the emulator): sign in again on a
 * fresh app, as a person would reload the page, and say so in the log.
 */
async function afterProfileTimeout(
  client: ClientApp,
  email: string,
  password: string,
  error: AppError,
): Promise<ClientApp & { user: User }> {
  const user = client.auth.currentUser;
  if (!user) throw error;
  if (!(await profileRef(user.uid).get()).exists) {
    await waitForProfile(client, 90_000).catch((again: unknown) =>
      explainProfileTimeout(user.uid, again),
    );
    return Object.assign(client, { user });
  }
  console.warn(
    `signUp: the profile of ${user.uid} is stored but its app saw nothing in 30 s ` +
      `(last read error: ${lastReadErrorOf(error)}); signing in again on a fresh app`,
  );
  await client.close();
  return signIn(email, password).catch((again: unknown) => explainProfileTimeout(user.uid, again));
}

/** A profile wait that failed for good: says whether the trigger wrote the profile. */
async function explainProfileTimeout(uid: string, error: unknown): Promise<never> {
  const stored = (await profileRef(uid).get()).exists;
  throw new Error(
    `profile of ${uid} not seen by the client; stored on the server: ${stored ? "yes" : "no"}; ` +
      `the client's last read error: ${lastReadErrorOf(error)}`,
    { cause: error },
  );
}

/** The failed server read a profile timeout carries as its cause (see waitForDocument). */
function lastReadErrorOf(timeout: unknown): string {
  return timeout instanceof Error && timeout.cause instanceof Error
    ? timeout.cause.message
    : "none";
}

export async function signIn(email: string, password: string): Promise<ClientApp & { user: User }> {
  const client = newClientApp();
  const { user } = await librarySignIn(client, email, password);
  return Object.assign(client, { user });
}
