// media/{mediaId}: one record per uploaded object generation, written only by the server.
// Clients listen to it (the owner reads their own; see firestore.rules) to learn when an
// upload is ready, failed, or has its variants and transcript. Its schema is in
// contract/media.ts.
import { logger } from "firebase-functions/v2";
import { mediaRecordSchema, type MediaRecord } from "../contract/media";
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";

export function mediaCollection() {
  return db().collection(paths.media());
}

export function mediaRef(mediaId: string) {
  return mediaCollection().doc(mediaId);
}

export function parseMediaRecord(data: unknown): MediaRecord | null {
  const parsed = mediaRecordSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** The query for a user's records of one path: equality filters only, so no composite index. */
function recordsForPath(ownerUid: string, path: string) {
  return mediaCollection().where("ownerUid", "==", ownerUid).where("path", "==", path).limit(5);
}

/** The newest record of each generation written at `path`. */
function newest(
  records: { id: string; record: MediaRecord }[],
): { id: string; record: MediaRecord } | null {
  let best: { id: string; record: MediaRecord } | null = null;
  for (const each of records) {
    const at = each.record.createdAt?.toMillis() ?? 0;
    if (best === null || at >= (best.record.createdAt?.toMillis() ?? 0)) best = each;
  }
  return best;
}

export async function findUserMedia(ownerUid: string, path: string) {
  const snapshot = await recordsForPath(ownerUid, path).get();
  return newest(
    snapshot.docs.flatMap((doc) => {
      const record = parseMediaRecord(doc.data());
      return record ? [{ id: doc.id, record }] : [];
    }),
  );
}

/**
 * Listens to the user's record of `path` until `done` says the record (or its absence) is
 * good enough, or until `timeoutMs`; returns the last record seen. One listener, no polling.
 */
export function awaitUserMedia(
  ownerUid: string,
  path: string,
  done: (record: MediaRecord | null) => boolean,
  timeoutMs: number,
): Promise<{ id: string; record: MediaRecord } | null> {
  return new Promise((resolve) => {
    let last: { id: string; record: MediaRecord } | null = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(last);
    };
    const timer = setTimeout(finish, timeoutMs);
    const unsubscribe = recordsForPath(ownerUid, path).onSnapshot(
      (snapshot) => {
        last = newest(
          snapshot.docs.flatMap((doc) => {
            const record = parseMediaRecord(doc.data());
            return record ? [{ id: doc.id, record }] : [];
          }),
        );
        if (done(last?.record ?? null)) finish();
      },
      (error) => {
        logger.warn("media record listener failed", { path, error: String(error) });
        finish();
      },
    );
  });
}
