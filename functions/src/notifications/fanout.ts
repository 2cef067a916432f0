// Fan-outs: one notification to many users (an announcement to everyone or to premium
// members, a new gallery item to a character's followers), a page of recipients at a time.
//
// A job document (notificationJobs/{id}) holds the notification and a cursor. Its trigger
// delivers one page per invocation and commits, in one batch, the page's notifications and
// the job's next cursor, on the condition that the job has not changed since it was read. The
// commit changes the job, which runs the trigger again for the next page, until a short page
// ends it. So each invocation does bounded work (PAGE_SIZE recipients, about 2 reads and 2
// writes each), 100,000 users are 500 invocations one after another, a retried or
// duplicated event finds the job moved on and does nothing, and a recipient who already has
// the notification (its id is the same for every recipient) is skipped, never counted twice.
import { FieldValue, Timestamp, type Transaction } from "firebase-admin/firestore";
import * as logger from "firebase-functions/logger";
import { z } from "zod";
import { notificationContentSchema } from "../contract/notifications";
import { db } from "../shared/firebase";
import { writeNotification } from "./deliver";
import { galleryNotification, type NewGalleryItem, type NewNotification } from "./model";
import {
  activeUsersPage,
  fanoutJobRef,
  followersPage,
  newFanoutJobRef,
  notificationRef,
  premiumUsersPage,
} from "./store";

/** Recipients per invocation: 2 writes each plus the job's stay within a batch's 500. */
export const PAGE_SIZE = 200;

const audienceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("all") }),
  /** Premium at the time the announcement was sent (a fixed time keeps the pages stable). */
  z.object({ type: z.literal("premium"), premiumAfterMs: z.number() }),
  z.object({ type: z.literal("followers"), characterId: z.string() }),
]);
export type Audience = z.infer<typeof audienceSchema>;

const cursorSchema = z
  .object({ uid: z.string().optional(), ms: z.number().optional(), path: z.string().optional() })
  .nullable();
type Cursor = z.infer<typeof cursorSchema>;

const jobSchema = z.object({
  kind: z.enum(["announcement", "gallery"]),
  audience: audienceSchema,
  notification: z
    .object({ id: z.string(), title: z.string(), body: z.string() })
    .and(notificationContentSchema),
  status: z.enum(["sending", "sent"]),
  pages: z.number().int(),
  recipients: z.number().int(),
  cursor: cursorSchema,
});
export type FanoutJob = z.infer<typeof jobSchema>;

/** The job document that starts a fan-out (its trigger then runs the pages). */
export function newFanoutJob(
  kind: FanoutJob["kind"],
  audience: Audience,
  notification: NewNotification,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    kind,
    audience,
    notification,
    status: "sending",
    pages: 0,
    recipients: 0,
    cursor: null,
    ...extra,
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

export function parseFanoutJob(data: unknown): FanoutJob | null {
  const parsed = jobSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

interface Page {
  uids: string[];
  /** Where the next page starts; null when this page was the last. */
  next: Cursor;
}

async function recipientsPage(audience: Audience, cursor: Cursor, size: number): Promise<Page> {
  switch (audience.type) {
    case "all": {
      const snapshot = await activeUsersPage(cursor?.uid ?? null, size).get();
      const last = snapshot.docs[snapshot.docs.length - 1];
      return {
        uids: snapshot.docs.map((doc) => doc.id),
        next: snapshot.size === size && last ? { uid: last.id } : null,
      };
    }
    case "premium": {
      const snapshot = await premiumUsersPage({
        fromMs: audience.premiumAfterMs,
        after: cursor?.ms !== undefined && cursor.uid ? { ms: cursor.ms, uid: cursor.uid } : null,
        size,
        fields: ["premiumUntil"],
      }).get();
      const last = snapshot.docs[snapshot.docs.length - 1];
      const lastUntil: unknown = last?.get("premiumUntil");
      return {
        uids: snapshot.docs.map((doc) => doc.id),
        next:
          snapshot.size === size && last && lastUntil instanceof Timestamp
            ? { ms: lastUntil.toMillis(), uid: last.id }
            : null,
      };
    }
    case "followers": {
      const snapshot = await followersPage(audience.characterId, cursor?.path ?? null, size).get();
      const last = snapshot.docs[snapshot.docs.length - 1];
      const uids: string[] = [];
      for (const doc of snapshot.docs) {
        // users/{uid}/following/{characterId}
        const user = doc.ref.parent.parent;
        if (user && user.parent.id === "users") uids.push(user.id);
      }
      return {
        uids,
        next: snapshot.size === size && last ? { path: last.ref.path } : null,
      };
    }
  }
}

export type PageOutcome = "delivered" | "finished" | "stale" | "missing" | "malformed";

function isFailedPrecondition(error: unknown): boolean {
  const code = error && typeof error === "object" && "code" in error ? error.code : null;
  return code === 9;
}

/**
 * Delivers the next page of a job. `seenPages` is the page count of the job as the triggering
 * event saw it: an event about an older state of the job does nothing.
 */
export async function runFanoutPage(
  jobId: string,
  options: { seenPages?: number; pageSize?: number } = {},
): Promise<PageOutcome> {
  const { seenPages, pageSize = PAGE_SIZE } = options;
  const ref = fanoutJobRef(jobId);
  const snapshot = await ref.get();
  if (!snapshot.exists) return "missing";
  const job = parseFanoutJob(snapshot.data());
  if (!job) {
    logger.error("malformed notification job; it is left as it is", { jobId });
    return "malformed";
  }
  if (job.status === "sent") return "finished";
  if (seenPages !== undefined && seenPages !== job.pages) return "stale";

  const page = await recipientsPage(job.audience, job.cursor, pageSize);
  const notificationId = job.notification.id;
  const existing =
    page.uids.length === 0
      ? []
      : await db().getAll(...page.uids.map((uid) => notificationRef(uid, notificationId)));
  const fresh = page.uids.filter((_, index) => existing[index]?.exists !== true);
  const batch = db().batch();
  for (const uid of fresh) writeNotification(batch, uid, job.notification);
  const done = page.next === null;
  batch.update(
    ref,
    {
      pages: FieldValue.increment(1),
      recipients: FieldValue.increment(fresh.length),
      cursor: page.next,
      status: done ? "sent" : "sending",
      updatedAt: FieldValue.serverTimestamp(),
      ...(done ? { finishedAt: FieldValue.serverTimestamp() } : {}),
    },
    { lastUpdateTime: snapshot.updateTime },
  );
  try {
    await batch.commit();
  } catch (error) {
    // Another invocation delivered this page first.
    if (isFailedPrecondition(error)) return "stale";
    throw error;
  }
  if (done) {
    logger.info("notification fan-out sent", {
      jobId,
      kind: job.kind,
      recipients: job.recipients + fresh.length,
      pages: job.pages + 1,
    });
  }
  return done ? "finished" : "delivered";
}

/** The job trigger: one page for the state of the job the event carries. */
export async function continueFanout(event: {
  jobId: string;
  after: unknown;
}): Promise<PageOutcome> {
  if (event.after === undefined) return "missing";
  const job = parseFanoutJob(event.after);
  if (!job) return "malformed";
  if (job.status === "sent") return "finished";
  return runFanoutPage(event.jobId, { seenPages: job.pages });
}

/**
 * Queues the gallery notification to the character's followers, in the transaction that adds
 * the item (so an item queues it once). Drafts notify nobody.
 */
export function queueGalleryNotifications(tx: Transaction, item: NewGalleryItem): void {
  tx.create(
    newFanoutJobRef(),
    newFanoutJob(
      "gallery",
      { type: "followers", characterId: item.characterId },
      galleryNotification(item),
    ),
  );
}
