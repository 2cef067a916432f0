// Waits for a document to reach a state, through a real listener (as an app would see it).
import {
  getDocFromServer,
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
  timeoutMs = 45_000,
  describe = ref.path,
): Promise<DocumentSnapshot<T>> {
  return new Promise((resolve, reject) => {
    let last: DocumentSnapshot<T> | undefined;
    const timer = setTimeout(() => {
      clearInterval(poll);
      unsubscribe();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${describe}; last seen: ${JSON.stringify(last?.data() ?? null)}`,
        ),
      );
    }, timeoutMs);
    // The emulator's listen stream can, rarely, miss a write that lands while the listener
    // is being registered; a slow read from the server backs the listener up.
    const poll = setInterval(() => {
      getDocFromServer(ref)
        .then((snapshot) => {
          if (predicate(snapshot)) finish(snapshot);
        })
        .catch(() => undefined);
    }, 1000);
    let done = false;
    const finish = (snapshot: DocumentSnapshot<T>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      resolve(snapshot);
    };
    const unsubscribe = onSnapshot(
      ref,
      (snapshot) => {
        last = snapshot;
        if (predicate(snapshot)) finish(snapshot);
      },
      (error) => {
        clearTimeout(timer);
        clearInterval(poll);
        reject(error);
      },
    );
  });
}

export async function waitForQuery<T = DocumentData>(
  query: Query<T>,
  predicate: (snapshot: QuerySnapshot<T>) => boolean,
  timeoutMs = 45_000,
  describe = "query",
): Promise<QuerySnapshot<T>> {
  return new Promise((resolve, reject) => {
    let lastSize = -1;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${describe} (last size ${lastSize})`,
        ),
      );
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
