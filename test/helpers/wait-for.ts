// Waits for a document to reach a state, through a real listener (as an app would see it).
import {
  onSnapshot,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  type Query,
  type QuerySnapshot,
} from "firebase/firestore";

export async function waitForDoc<T = DocumentData>(
  ref: DocumentReference<T>,
  predicate: (snapshot: DocumentSnapshot<T>) => boolean,
  timeoutMs = 15_000,
  describe = ref.path,
): Promise<DocumentSnapshot<T>> {
  return new Promise((resolve, reject) => {
    let last: DocumentSnapshot<T> | undefined;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${describe}; last seen: ${JSON.stringify(last?.data() ?? null)}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = onSnapshot(
      ref,
      (snapshot) => {
        last = snapshot;
        if (predicate(snapshot)) {
          clearTimeout(timer);
          unsubscribe();
          resolve(snapshot);
        }
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export async function waitForQuery<T = DocumentData>(
  query: Query<T>,
  predicate: (snapshot: QuerySnapshot<T>) => boolean,
  timeoutMs = 15_000,
  describe = "query",
): Promise<QuerySnapshot<T>> {
  return new Promise((resolve, reject) => {
    let lastSize = -1;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe} (last size ${lastSize})`));
    }, timeoutMs);
    const unsubscribe = onSnapshot(
      query,
      (snapshot) => {
        lastSize = snapshot.size;
        if (predicate(snapshot)) {
          clearTimeout(timer);
          unsubscribe();
          resolve(snapshot);
        }
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
