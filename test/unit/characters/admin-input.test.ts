import { describe, expect, it } from "vitest";
import {
  auditChanges,
  auditValue,
  combineChanges,
  decodeBase64Bytes,
  idCandidates,
  mergeAi,
  mergeProfile,
  rawPatch,
  slugFromName,
} from "../../../functions/src/characters/admin-input";
import {
  aiSettingsSchema,
  characterIdSchema,
  characterProfileSchema,
  createCharacterInput,
  importCardInput,
  updateAiSettingsInput,
  updateCharacterInput,
} from "../../../functions/src/contract/characters";

const profile = characterProfileSchema.parse({
  name: "Luna",
  tags: ["space"],
  personality: { traits: ["warmth", "ideas"], tone: "warm", humor: 6 },
});
const ai = aiSettingsSchema.parse({ model: "gpt-4o-mini", restrictedTopics: ["politics"] });

describe("character ids", () => {
  it("accepts lowercase slugs and refuses everything else", () => {
    for (const id of ["luna", "luna-stargazer", "r2-d2", "a1"])
      expect(characterIdSchema.safeParse(id).success, id).toBe(true);
    for (const id of [
      "Luna",
      "luna_star",
      "-luna",
      "luna-",
      "lu--na",
      "l",
      "a".repeat(65),
      "lu na",
      "luna/x",
      "",
    ]) {
      expect(characterIdSchema.safeParse(id).success, id).toBe(false);
    }
  });

  it("derives a slug from a name", () => {
    expect(slugFromName("Luna Stargazer")).toBe("luna-stargazer");
    expect(slugFromName("  Émile Zola!! ")).toBe("emile-zola");
    expect(slugFromName("Captain   Brine (v2)")).toBe("captain-brine-v2");
    expect(slugFromName("東京")).toBe("character");
    expect(slugFromName("X")).toBe("character-x");
    const long = slugFromName("word ".repeat(30));
    expect(long.length).toBeLessThanOrEqual(48);
    expect(characterIdSchema.safeParse(long).success).toBe(true);
  });

  it("offers numbered then random candidates, all valid ids", () => {
    const candidates = idCandidates("Luna", () => "a1b2c3");
    expect(candidates).toEqual(["luna", "luna-2", "luna-3", "luna-a1b2c3"]);
    for (const id of candidates) expect(characterIdSchema.safeParse(id).success).toBe(true);
  });
});

describe("create input", () => {
  it("fills AI defaults and keeps the profile the model's", () => {
    const input = createCharacterInput.parse({ profile: { name: "Pip" } });
    expect(input.ai).toEqual(aiSettingsSchema.parse({}));
    expect(input.profile.published).toBe(false);
    expect(input.id).toBeUndefined();
  });

  it("names the field at fault", () => {
    const result = createCharacterInput.safeParse({ id: "Bad Id", profile: { name: "" } });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".")) ?? [];
    expect(paths).toContain("id");
    expect(paths).toContain("profile.name");
  });
});

describe("partial updates", () => {
  it("refuses published (it has its own callable) and unknown keys", () => {
    expect(
      updateCharacterInput.safeParse({ id: "luna", profile: { published: true } }).success,
    ).toBe(false);
    expect(updateCharacterInput.safeParse({ id: "luna", profile: { stats: {} } }).success).toBe(
      false,
    );
    expect(updateCharacterInput.safeParse({ id: "luna", stats: {} }).success).toBe(false);
    expect(updateAiSettingsInput.safeParse({ id: "luna", ai: { temperature: 3 } }).success).toBe(
      false,
    );
    expect(updateAiSettingsInput.safeParse({ id: "luna", ai: { temperature: 1.1 } }).success).toBe(
      true,
    );
  });

  it("reads back only the keys the caller sent", () => {
    expect(rawPatch({ id: "luna", profile: { tagline: "hi" } })).toEqual({
      profile: { tagline: "hi" },
    });
    expect(rawPatch({ id: "luna", ai: { temperature: 1 } })).toEqual({ ai: { temperature: 1 } });
    expect(rawPatch("nonsense")).toEqual({});
  });

  it("merges a profile patch, one level deeper for personality", () => {
    const merged = characterProfileSchema.parse(
      mergeProfile(profile, { tagline: "Stargazer", personality: { humor: 9 } }),
    );
    expect(merged.tagline).toBe("Stargazer");
    expect(merged.personality).toEqual({ ...profile.personality, humor: 9 });
    expect(merged.tags).toEqual(["space"]);
    expect(merged.name).toBe("Luna");
  });

  it("replaces lists and maps whole", () => {
    const merged = characterProfileSchema.parse(
      mergeProfile(profile, { tags: [], extensions: { other: 1 } }),
    );
    expect(merged.tags).toEqual([]);
    expect(merged.extensions).toEqual({ other: 1 });
    const mergedAi = aiSettingsSchema.parse(
      mergeAi(ai, { restrictedTopics: [], temperature: 0.2 }),
    );
    expect(mergedAi).toEqual({ ...ai, restrictedTopics: [], temperature: 0.2 });
  });
});

describe("audit summaries", () => {
  it("lists changed fields with small values", () => {
    const changes = auditChanges("profile", profile, {
      ...profile,
      name: "Luna II",
      tags: ["space", "night"],
    });
    expect(changes.fields).toEqual(["profile.name", "profile.tags"]);
    expect(changes.before).toEqual({ "profile.name": "Luna", "profile.tags": "(list of 1)" });
    expect(changes.after).toEqual({ "profile.name": "Luna II", "profile.tags": "(list of 2)" });
  });

  it("reports nothing when nothing changed", () => {
    expect(auditChanges("ai", ai, { ...ai }).fields).toEqual([]);
  });

  it("keeps entries small whatever the settings hold", () => {
    expect(auditValue("x".repeat(5000))).toMatch(/^x{200}… \(5000 chars\)$/);
    expect(auditValue({ a: 1 })).toBe("(object)");
    expect(auditValue(undefined)).toBeNull();
    expect(auditValue(0.5)).toBe(0.5);
    expect(auditValue(false)).toBe(false);
  });

  it("combines profile and AI changes", () => {
    const combined = combineChanges(
      auditChanges("profile", profile, { ...profile, tagline: "x" }),
      auditChanges("ai", ai, { ...ai, maxTokens: 100 }),
    );
    expect(combined.fields).toEqual(["profile.tagline", "ai.maxTokens"]);
    expect(combined.after).toEqual({ "profile.tagline": "x", "ai.maxTokens": 100 });
  });
});

describe("card import input", () => {
  it("wants exactly one of json and pngBase64", () => {
    expect(importCardInput.safeParse({ json: "{}" }).success).toBe(true);
    expect(importCardInput.safeParse({ pngBase64: "iVBORw0KGgo=" }).success).toBe(true);
    const neither = importCardInput.safeParse({});
    expect(neither.error?.issues[0]?.path).toEqual(["json"]);
    const both = importCardInput.safeParse({ json: "{}", pngBase64: "AA==" });
    expect(both.error?.issues[0]?.path).toEqual(["pngBase64"]);
  });

  it("decodes strict base64, tolerating a data URL prefix and line breaks", () => {
    expect(Array.from(decodeBase64Bytes("AQID") ?? [])).toEqual([1, 2, 3]);
    expect(Array.from(decodeBase64Bytes("data:image/png;base64,AQ\nID") ?? [])).toEqual([1, 2, 3]);
    expect(decodeBase64Bytes("not base64!")).toBeNull();
    expect(decodeBase64Bytes("AQIDB")).toBeNull();
  });
});

describe("audit comparison", () => {
  it("ignores key order inside maps", () => {
    const before = { extensions: { a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } } };
    const after = { extensions: { b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 } };
    expect(auditChanges("profile", before, after).fields).toEqual([]);
    expect(auditChanges("profile", before, { extensions: { a: 2 } }).fields).toEqual([
      "profile.extensions",
    ]);
  });
});
