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
  const user = await librarySignUp(client, email, password).then(
    (signedUp) => signedUp.user,
    async (error: unknown) => {
      // The Functions emulator runs trigger events one at a time, so behind a busy test the
      // sign-up trigger can take longer than an app's 30 s wait: the account exists, wait on.
      if (!(error instanceof AppError) || error.code !== "profile_timeout") throw error;
      await waitForProfile(client, 90_000);
      const current = client.auth.currentUser;
      if (!current) throw error;
      return current;
    },
  );
  return Object.assign(client, { user, email, password });
}

export async function signIn(email: string, password: string): Promise<ClientApp & { user: User }> {
  const client = newClientApp();
  const { user } = await librarySignIn(client, email, password);
  return Object.assign(client, { user });
}
