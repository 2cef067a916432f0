// Collections that belong to no one feature:
//   auditLog/{id}   one entry per admin change (see audit.ts)
import { db } from "./firebase";

export function newAuditEntryRef() {
  return db().collection("auditLog").doc();
}
