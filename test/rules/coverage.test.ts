// The rules matrix covers every collection: each `match` block of firestore.rules has at least
// one matrix case, and no case names a block that no longer exists.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CASES } from "./cases";
import { rulesMatchPaths } from "./match-paths";

const rules = readFileSync(new URL("../../firestore.rules", import.meta.url), "utf8");

describe("rules matrix coverage", () => {
  it("reads the match blocks of firestore.rules, nested ones included", () => {
    const paths = rulesMatchPaths(rules);
    expect(paths).toContain("/users/{uid}");
    expect(paths).toContain("/characters/{characterId}/gallery/{itemId}/views/{uid}");
    expect(paths).not.toContain("/databases/{database}/documents");
  });

  it("has a matrix case for every match block in firestore.rules", () => {
    const covered = new Set(CASES.map((spec) => spec.match));
    expect(rulesMatchPaths(rules).filter((path) => !covered.has(path))).toEqual([]);
  });

  it("names only match blocks that exist", () => {
    const paths = new Set(rulesMatchPaths(rules));
    expect(CASES.filter((spec) => !paths.has(spec.match)).map((spec) => spec.name)).toEqual([]);
  });
});
