// Idempotent writes for seeding: a document is written only when what we want differs from
// what is stored, so seeding twice changes nothing.
import { isDeepStrictEqual } from "node:util";
import { FieldValue, Timestamp } from "../shared/firebase";
import type { DocumentReference } from "firebase-admin/firestore";

export type WriteOutcome = "created" | "updated" | "unchanged";

function comparable(value: unknown): unknown {
  if (value instanceof Timestamp) return { timestampMs: value.toMillis() };
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, comparable(each)]));
  }
  return value;
}

export async function writeIfChanged(
  ref: DocumentReference,
  desired: Record<string, unknown>,
  options: { timestamps?: boolean } = {},
): Promise<WriteOutcome> {
  const timestamps = options.timestamps ?? true;
  const snapshot = await ref.get();
  if (!snapshot.exists) {
    await ref.set({
      ...desired,
      ...(timestamps
        ? { createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp() }
        : {}),
    });
    return "created";
  }
  const stored = snapshot.data() ?? {};
  const same = Object.entries(desired).every(([key, value]) =>
    isDeepStrictEqual(comparable(stored[key]), comparable(value)),
  );
  if (same) return "unchanged";
  await ref.set(
    { ...desired, ...(timestamps ? { updatedAt: FieldValue.serverTimestamp() } : {}) },
    // Replaces each desired top-level field whole, leaving other fields (stats...) alone.
    { mergeFields: [...Object.keys(desired), ...(timestamps ? ["updatedAt"] : [])] },
  );
  return "updated";
}

export class Tally {
  private readonly counts: Record<WriteOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  add(outcome: WriteOutcome): void {
    this.counts[outcome] += 1;
  }
  toString(): string {
    return `${this.counts.created} created, ${this.counts.updated} updated, ${this.counts.unchanged} unchanged`;
  }
  get changed(): number {
    return this.counts.created + this.counts.updated;
  }
}
