// Typed Firestore access for the helpers: every document read goes through its contract
// schema, and listeners report errors as AppErrors.
import {
  collection,
  doc,
  getDocFromServer,
  onSnapshot,
  type CollectionReference,
  type DocumentData,
  type DocumentReference,
  type FirestoreDataConverter,
  type Query,
  type QueryDocumentSnapshot,
  type SnapshotOptions,
} from "firebase/firestore";
import type { Schema } from "../../functions/src/contract/index.js";
import type { AiChatClient } from "./connect.js";
import { AppError, toAppError } from "./errors.js";

/** A stored document that does not match its schema (an app older or newer than the data). */
export class StoredDataError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`stored document ${path} does not match its schema: ${detail}`);
    this.name = "StoredDataError";
  }
}

/** A document's data with its id. */
export type WithId<T> = T & { id: string };

/** Stops a listener. Return it from a React effect. */
export type Unsubscribe = () => void;

export type ErrorHandler = (error: AppError) => void;

const converters = new WeakMap<object, FirestoreDataConverter<unknown>>();

/**
 * A converter that parses with `schema`. Server timestamps still pending on this device
 * read as estimates (never null), so a message just sent sorts where it will land.
 */
export function converterFor<T>(schema: Schema<T>): FirestoreDataConverter<T> {
  const known = converters.get(schema);
  if (known) return known as FirestoreDataConverter<T>;
  const converter: FirestoreDataConverter<T> = {
    toFirestore(value): DocumentData {
      return value as DocumentData;
    },
    fromFirestore(snapshot: QueryDocumentSnapshot, options?: SnapshotOptions): T {
      const data = snapshot.data({ ...options, serverTimestamps: "estimate" });
      const result = schema.safeParse(data);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new StoredDataError(
          snapshot.ref.path,
          issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid",
        );
      }
      return result.data;
    },
  };
  converters.set(schema, converter);
  return converter;
}

export function typedDoc<T>(
  client: AiChatClient,
  path: string,
  schema: Schema<T>,
): DocumentReference<T> {
  return doc(client.db, path).withConverter(converterFor(schema));
}

export function typedCollection<T>(
  client: AiChatClient,
  path: string,
  schema: Schema<T>,
): CollectionReference<T> {
  return collection(client.db, path).withConverter(converterFor(schema));
}

/** An untyped reference, for writes (the rules check their shape). */
export function plainDoc(client: AiChatClient, path: string): DocumentReference {
  return doc(client.db, path);
}

export function plainCollection(client: AiChatClient, path: string): CollectionReference {
  return collection(client.db, path);
}

function report(onError: ErrorHandler | undefined, error: unknown): void {
  const appError = toAppError(error);
  if (onError) onError(appError);
  else console.error(appError);
}

/** Listens to one document: `null` while it does not exist. */
export function watchDocument<T>(
  ref: DocumentReference<T>,
  onChange: (value: WithId<T> | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return onSnapshot(
    ref,
    (snapshot) => {
      let value: WithId<T> | null;
      try {
        const data = snapshot.data();
        value = data === undefined ? null : { ...data, id: snapshot.id };
      } catch (error) {
        report(onError, error);
        return;
      }
      onChange(value);
    },
    (error) => report(onError, error),
  );
}

/**
 * Listens to a query. A document that does not match its schema is reported to `onError`
 * and left out; the others are still delivered.
 */
export function watchQuery<T>(
  query: Query<T>,
  onChange: (values: WithId<T>[]) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return onSnapshot(
    query,
    (snapshot) => {
      const values: WithId<T>[] = [];
      for (const each of snapshot.docs) {
        try {
          values.push({ ...each.data(), id: each.id });
        } catch (error) {
          report(onError, error);
        }
      }
      onChange(values);
    },
    (error) => report(onError, error),
  );
}

/**
 * Resolves with the document once `done` holds for it. A listener does the work; a read
 * from the server every `pollMs` backs it up, because a listener attached right after
 * sign-in can miss a write that lands while it is being registered.
 */
export function waitForDocument<T>(
  ref: DocumentReference<T>,
  done: (value: WithId<T> | null) => boolean,
  options: { timeoutMs: number; timeoutCode: "timeout" | "profile_timeout"; pollMs?: number },
  onUpdate?: (value: WithId<T> | null) => void,
): Promise<WithId<T>> {
  return new Promise((resolve, reject) => {
    let finished = false;
    const finish = (outcome: { value: WithId<T> } | { error: AppError }) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      if ("value" in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const consider = (value: WithId<T> | null) => {
      if (finished) return;
      onUpdate?.(value);
      if (value !== null && done(value)) finish({ value });
    };
    // Why the last read from the server failed ("client is offline"...), kept as the
    // timeout's cause, so a wait that never sees the document says what stood in the way.
    let lastReadError: unknown;
    const timer = setTimeout(
      () =>
        finish({
          error: new AppError({
            code: options.timeoutCode,
            source: "client",
            cause: lastReadError,
          }),
        }),
      options.timeoutMs,
    );
    const poll = setInterval(() => {
      try {
        getDocFromServer(ref)
          .then((snapshot) => {
            lastReadError = undefined;
            const data = snapshot.data();
            const value = data === undefined ? null : { ...data, id: snapshot.id };
            if (value !== null && done(value)) finish({ value });
          })
          .catch((error: unknown) => {
            lastReadError = error;
          });
      } catch (error) {
        // Thrown at once when the app was deleted meanwhile: nothing more will arrive.
        finish({ error: toAppError(error) });
      }
    }, options.pollMs ?? 2000);
    const unsubscribe = watchDocument(ref, consider, (error) => {
      // A document that does not parse yet may parse later; anything else ends the wait.
      if (!(error.cause instanceof StoredDataError)) finish({ error });
    });
  });
}
