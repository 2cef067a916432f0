import type { Query } from "firebase-admin/firestore";
import { db } from "./firebase";

/**
 * Deletes every document the query matches, a page at a time so any number completes.
 * Idempotent: a run cut short is finished by running it again.
 */
export async function deleteMatching(query: Query): Promise<number> {
  let removed = 0;
  for (;;) {
    const page = await query.limit(400).get();
    if (page.empty) return removed;
    const batch = db().batch();
    for (const doc of page.docs) batch.delete(doc.ref);
    await batch.commit();
    removed += page.size;
  }
}
