// The queries behind notifications and follows have their indexes in firestore.indexes.json
// (the emulator does not enforce indexes, so this is what stops them failing in production).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  collectionGroupFieldIndexed,
  parseIndexFile,
} from "../../../functions/src/characters/listing";

const file = parseIndexFile(
  JSON.parse(readFileSync(new URL("../../../firestore.indexes.json", import.meta.url), "utf8")),
);

function composite(collectionGroup: string, fields: [string, "ASCENDING" | "DESCENDING"][]) {
  return file.indexes.some(
    (index) =>
      index.collectionGroup === collectionGroup &&
      index.queryScope === "COLLECTION" &&
      index.fields.length === fields.length &&
      fields.every(
        ([fieldPath, order], i) =>
          index.fields[i]?.fieldPath === fieldPath && index.fields[i]?.order === order,
      ),
  );
}

describe("notification and follow queries are indexed", () => {
  it("premium expiry and premium announcements: active users by premiumUntil", () => {
    expect(
      composite("users", [
        ["deactivated", "ASCENDING"],
        ["premiumUntil", "ASCENDING"],
      ]),
    ).toBe(true);
  });

  it("an app's unread notifications, newest first", () => {
    expect(
      composite("notifications", [
        ["read", "ASCENDING"],
        ["createdAt", "DESCENDING"],
      ]),
    ).toBe(true);
  });

  it("a character's followers across users, and shards whose follower counts changed", () => {
    expect(collectionGroupFieldIndexed(file, "following", "characterId")).toBe(true);
    expect(collectionGroupFieldIndexed(file, "statShards", "followersChangedAtMs")).toBe(true);
  });
});
