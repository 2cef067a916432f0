// Whether firestore.indexes.json serves the listing queries apps run (their shapes are in
// contract/characters.ts). Pure: zod only.
import { z } from "zod";
import type { QueryShape } from "../contract/characters";

// ---- index coverage -------------------------------------------------------------------

const indexFieldSchema = z.object({
  fieldPath: z.string(),
  order: z.enum(["ASCENDING", "DESCENDING"]).optional(),
  arrayConfig: z.literal("CONTAINS").optional(),
});

const indexFileSchema = z.object({
  indexes: z.array(
    z.object({
      collectionGroup: z.string(),
      queryScope: z.enum(["COLLECTION", "COLLECTION_GROUP"]),
      fields: z.array(indexFieldSchema),
    }),
  ),
  fieldOverrides: z
    .array(
      z.object({
        collectionGroup: z.string(),
        fieldPath: z.string(),
        ttl: z.boolean().optional(),
        indexes: z.array(
          z.object({
            order: z.enum(["ASCENDING", "DESCENDING"]).optional(),
            arrayConfig: z.literal("CONTAINS").optional(),
            queryScope: z.enum(["COLLECTION", "COLLECTION_GROUP"]),
          }),
        ),
      }),
    )
    .default([]),
});
export type IndexFile = z.infer<typeof indexFileSchema>;

export function parseIndexFile(json: unknown): IndexFile {
  return indexFileSchema.parse(json);
}

/**
 * Whether a query needs a composite index. Firestore serves a query on one field, and
 * equality-only queries (by merging), from its automatic single-field indexes.
 */
export function needsCompositeIndex(shape: QueryShape): boolean {
  const fieldCount = shape.equality.length + (shape.arrayContains ? 1 : 0) + shape.orderBy.length;
  if (fieldCount <= 1) return false;
  return shape.orderBy.length > 0 || shape.arrayContains !== undefined;
}

/**
 * Whether a composite index serves the query: the equality and array-contains fields first (in
 * any order), then the order-by fields in order and direction.
 */
export function indexServes(index: IndexFile["indexes"][number], shape: QueryShape): boolean {
  if (index.collectionGroup !== shape.collection || index.queryScope !== "COLLECTION") return false;
  const fields = index.fields.filter((field) => field.fieldPath !== "__name__");
  const prefixLength = fields.length - shape.orderBy.length;
  if (prefixLength !== shape.equality.length + (shape.arrayContains ? 1 : 0)) return false;
  const prefix = fields.slice(0, prefixLength);
  const suffix = fields.slice(prefixLength);
  const orderMatches = shape.orderBy.every((wanted, i) => {
    const field = suffix[i];
    const order = wanted.direction === "asc" ? "ASCENDING" : "DESCENDING";
    return field !== undefined && field.fieldPath === wanted.field && field.order === order;
  });
  if (!orderMatches) return false;
  const equalityMatches = shape.equality.every((name) =>
    prefix.some((field) => field.fieldPath === name && field.order !== undefined),
  );
  const arrayMatches =
    shape.arrayContains === undefined ||
    prefix.some(
      (field) => field.fieldPath === shape.arrayContains && field.arrayConfig === "CONTAINS",
    );
  return equalityMatches && arrayMatches;
}

/** The query is served: by automatic indexes, or by a composite index in the file. */
export function queryIsIndexed(file: IndexFile, shape: QueryShape): boolean {
  if (!needsCompositeIndex(shape)) return true;
  return file.indexes.some((index) => indexServes(index, shape));
}

/** A collection-group range query on one field needs a COLLECTION_GROUP single-field index. */
export function collectionGroupFieldIndexed(
  file: IndexFile,
  collectionGroup: string,
  fieldPath: string,
): boolean {
  return file.fieldOverrides.some(
    (override) =>
      override.collectionGroup === collectionGroup &&
      override.fieldPath === fieldPath &&
      override.indexes.some(
        (index) => index.queryScope === "COLLECTION_GROUP" && index.order === "ASCENDING",
      ),
  );
}
