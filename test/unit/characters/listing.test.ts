// Every documented client query has an index in firestore.indexes.json. The emulator does
// not enforce indexes, so this is what stops a query from failing only in production.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  collectionGroupFieldIndexed,
  indexServes,
  needsCompositeIndex,
  parseIndexFile,
  queryIsIndexed,
} from "../../../functions/src/characters/listing";
import {
  CHARACTER_QUERIES,
  GALLERY_QUERIES,
  type QueryShape,
} from "../../../functions/src/contract/characters";

const file = parseIndexFile(
  JSON.parse(readFileSync(new URL("../../../firestore.indexes.json", import.meta.url), "utf8")),
);

describe("client listing queries are indexed", () => {
  for (const [name, shape] of Object.entries({ ...CHARACTER_QUERIES, ...GALLERY_QUERIES })) {
    it(`${shape.collection}: ${name}`, () => {
      expect(queryIsIndexed(file, shape)).toBe(true);
    });
  }

  it("the scheduled rollup's collection-group queries are indexed", () => {
    expect(collectionGroupFieldIndexed(file, "statShards", "lastActiveAtMs")).toBe(true);
    expect(collectionGroupFieldIndexed(file, "viewShards", "updatedAtMs")).toBe(true);
  });

  it("processed-event markers expire through a TTL policy", () => {
    const ttl = file.fieldOverrides.find(
      (override) => override.collectionGroup === "processedEvents",
    );
    expect(ttl).toMatchObject({ fieldPath: "expireAt", ttl: true });
  });
});

describe("the index check itself", () => {
  const popular: QueryShape = CHARACTER_QUERIES.popular;
  const published = { fieldPath: "published", order: "ASCENDING" as const };
  const byPopularity = { fieldPath: "stats.popularity", order: "DESCENDING" as const };
  const index = {
    collectionGroup: "characters",
    queryScope: "COLLECTION" as const,
    fields: [published, byPopularity],
  };

  it("matches an index with the right fields and directions", () => {
    expect(indexServes(index, popular)).toBe(true);
  });

  it("refuses a wrong direction, a missing field, another collection or scope", () => {
    const ascending = {
      ...index,
      fields: [published, { fieldPath: "stats.popularity", order: "ASCENDING" as const }],
    };
    expect(indexServes(ascending, popular)).toBe(false);
    expect(indexServes({ ...index, fields: [byPopularity] }, popular)).toBe(false);
    expect(indexServes({ ...index, collectionGroup: "gallery" }, popular)).toBe(false);
    expect(indexServes({ ...index, queryScope: "COLLECTION_GROUP" }, popular)).toBe(false);
  });

  it("requires array-contains fields to be CONTAINS in the index", () => {
    const byTag: QueryShape = CHARACTER_QUERIES.byTag;
    const ordered = {
      ...index,
      fields: [published, { fieldPath: "tags", order: "ASCENDING" as const }, byPopularity],
    };
    expect(indexServes(ordered, byTag)).toBe(false);
    const contains = {
      ...index,
      fields: [published, { fieldPath: "tags", arrayConfig: "CONTAINS" as const }, byPopularity],
    };
    expect(indexServes(contains, byTag)).toBe(true);
  });

  it("knows which queries automatic indexes serve", () => {
    expect(needsCompositeIndex(GALLERY_QUERIES.all)).toBe(false);
    expect(
      needsCompositeIndex({
        collection: "gallery",
        equality: ["type", "premiumOnly"],
        orderBy: [],
      }),
    ).toBe(false);
    expect(needsCompositeIndex(GALLERY_QUERIES.free)).toBe(true);
    expect(queryIsIndexed({ indexes: [], fieldOverrides: [] }, CHARACTER_QUERIES.byTrait)).toBe(
      false,
    );
  });
});
