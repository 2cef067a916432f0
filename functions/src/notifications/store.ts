// Where notifications live in Firestore:
//   users/{uid}/notifications/{id}      one per notification (contract/notifications.ts)
//   users/{uid}/counters/notifications  the unread count
//   notificationJobs/{jobId}            fan-outs under way (announcements, gallery items)
//   schedulerState/{name}               how far the premium-expiry notifier has come
//   <MAIL_COLLECTION>/{uid}_{id}        emails for the Trigger Email extension
// and the queries that find each fan-out's recipients a page at a time.
import { FieldPath, Timestamp, type Query } from "firebase-admin/firestore";
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";

export function notificationRef(uid: string, notificationId: string) {
  return db().doc(paths.notification(uid, notificationId));
}

export function notificationsOf(uid: string) {
  return db().collection(paths.notifications(uid));
}

export function notificationCounterRef(uid: string) {
  return db().doc(paths.notificationCounter(uid));
}

export function mailRef(collection: string, uid: string, notificationId: string) {
  return db().collection(collection).doc(`${uid}_${notificationId}`);
}

/** A user's emails (account deletion removes them: they hold the address). */
export function mailOf(collection: string, uid: string): Query {
  return db().collection(collection).where("uid", "==", uid);
}

export function fanoutJobRef(jobId: string) {
  return db().doc(paths.notificationJob(jobId));
}

export function newFanoutJobRef() {
  return fanoutJobRef(db().collection("notificationJobs").doc().id);
}

export function schedulerStateRef(name: string) {
  return db().collection("schedulerState").doc(name);
}

// ---- recipients ---------------------------------------------------------------------------

/** Active accounts in id order, after `afterUid` (indexed: `deactivated`, then the id). */
export function activeUsersPage(afterUid: string | null, size: number): Query {
  let query = db()
    .collection(paths.users())
    .where("deactivated", "==", false)
    .orderBy(FieldPath.documentId());
  if (afterUid !== null) query = query.startAfter(afterUid);
  return query.limit(size).select();
}

/**
 * Active accounts whose premium ends after `fromMs` (and at most at `toMs`), in expiry order,
 * after the position `after` of the previous page. One composite index serves it:
 * `users (deactivated, premiumUntil)` in firestore.indexes.json.
 */
export function premiumUsersPage(options: {
  fromMs: number;
  toMs?: number;
  after: { ms: number; uid: string } | null;
  size: number;
  fields?: string[];
}): Query {
  const { after } = options;
  let query = db()
    .collection(paths.users())
    .where("deactivated", "==", false)
    .where(
      "premiumUntil",
      after ? ">=" : ">",
      Timestamp.fromMillis(after ? after.ms : options.fromMs),
    );
  if (options.toMs !== undefined)
    query = query.where("premiumUntil", "<=", Timestamp.fromMillis(options.toMs));
  query = query.orderBy("premiumUntil").orderBy(FieldPath.documentId());
  if (after) query = query.startAfter(Timestamp.fromMillis(after.ms), after.uid);
  query = query.limit(options.size);
  return options.fields ? query.select(...options.fields) : query;
}

/** The follows of a character across users, in path order, after `afterPath`. */
export function followersPage(characterId: string, afterPath: string | null, size: number): Query {
  let query = db()
    .collectionGroup("following")
    .where("characterId", "==", characterId)
    .orderBy(FieldPath.documentId());
  if (afterPath !== null) query = query.startAfter(afterPath);
  return query.limit(size).select();
}
