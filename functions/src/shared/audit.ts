// auditLog/{id}: one entry per admin change, created in the transaction that makes the change
// so the log and the data never disagree. Only functions write it (see firestore.rules).
import type { Transaction } from "firebase-admin/firestore";
import { FieldValue } from "./firebase";
import { newAuditEntryRef } from "./store";

export interface AuditEntry {
  action: string;
  actorUid: string;
  /** What was changed (characterId, targetUid, ...) and its before/after values. */
  [field: string]: unknown;
}

export function recordAudit(tx: Transaction, entry: AuditEntry): void {
  tx.create(newAuditEntryRef(), { ...entry, at: FieldValue.serverTimestamp() });
}
