// What the health probe reads: a query on a collection nobody writes, so it costs at most one
// read and proves Firestore answers.
import { db } from "../shared/firebase";

export function healthProbeQuery() {
  return db().collection("_health").limit(1);
}
