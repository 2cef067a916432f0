// Typed Firestore access: every document read goes through its collection's zod schema,
// so code never trusts a cast about what is stored.
import type {
  DocumentData,
  FirestoreDataConverter,
  QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import type { z } from "zod";

export class StoredDataError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`stored document ${path} does not match its schema: ${detail}`);
  }
}

export function zodConverter<S extends z.ZodType<DocumentData>>(
  schema: S,
): FirestoreDataConverter<z.output<S>> {
  return {
    toFirestore(value: z.output<S>): DocumentData {
      return value;
    },
    fromFirestore(snapshot: QueryDocumentSnapshot): z.output<S> {
      const result = schema.safeParse(snapshot.data());
      if (!result.success) {
        throw new StoredDataError(snapshot.ref.path, result.error.issues[0]?.message ?? "invalid");
      }
      return result.data;
    },
  };
}
