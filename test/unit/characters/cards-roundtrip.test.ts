import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  cardToCharacter,
  characterToCardPng,
  characterToCardV2Json,
  characterToCardV3Json,
  parseCardJson,
  parseCardPng,
} from "../../../functions/src/characters/cards";
import {
  characterInputSchema,
  type CharacterInput,
} from "../../../functions/src/contract/characters";
import { solidPng } from "./card-files";

const viaV2Json = (c: CharacterInput, trustPublished = false) =>
  cardToCharacter(parseCardJson(characterToCardV2Json(c)), { trustPublished }).input;
const viaV3Json = (c: CharacterInput, trustPublished = false) =>
  cardToCharacter(parseCardJson(characterToCardV3Json(c)), { trustPublished }).input;
const viaPng = (c: CharacterInput, image?: Uint8Array, trustPublished = false) =>
  cardToCharacter(parseCardPng(characterToCardPng(c, image)), { trustPublished }).input;

const characters: Record<string, CharacterInput> = {
  minimal: characterInputSchema.parse({ profile: { name: "Plain Jane" } }),
  everything: characterInputSchema.parse({
    profile: {
      name: "Orrin Ashdown",
      nickname: "Orrin",
      tagline: "Clockmaker who repairs more than clocks.",
      description: "A patient clockmaker.\nHe speaks in measured sentences.",
      tags: ["clocks", "steampunk", "mentor"],
      greeting: "Tick, tock. Come in — mind the pendulum. ⏰",
      alternateGreetings: ["Back again?", "The shop is closed, but you're welcome."],
      groupOnlyGreetings: ["A whole group! Let me find more stools."],
      exampleDialogue: "<START>\n{{user}}: Hi\n{{char}}: Hello.",
      scenario: "A clock shop at dusk.",
      personality: {
        traits: ["order", "competence", "warmth"],
        tone: "warm",
        formality: 7,
        humor: 3,
        empathy: 8,
        creativity: 6,
        confidence: 9,
      },
      personalitySummary: "meticulous, kind",
      premiumOnly: true,
      creator: "someone",
      creatorNotes: 'Notes with "quotes" and 日本語 text.',
      characterVersion: "3.1.4",
      extensions: {
        depth_prompt: { prompt: "He hums.", depth: 2 },
        "x-unknown": [1, "two", { three: null }],
        aichat_ccv3: {
          assets: [{ type: "icon", uri: "ccdefault:", name: "main", ext: "png" }],
          creation_date: 1_690_000_000,
          source: ["https://example.org/orrin"],
          creator_notes_multilingual: { de: "Notizen." },
        },
      },
    },
    ai: {
      model: "gpt-4o-mini",
      temperature: 0.3,
      maxTokens: 1000,
      contextWindow: 65536,
      systemPromptOverride: "You are {{char}}.",
      postHistoryInstructions: "Stay brief.",
      knowledgeBudgetTokens: 2000,
      restrictedTopics: ["spoilers"],
      lorebook: { name: "Shop", scan_depth: 3, recursive_scanning: true, extensions: { z: 1 } },
      knowledgeBase: [
        {
          id: "12",
          keys: ["pendulum"],
          content: "The great pendulum never stops.",
          enabled: false,
          constant: true,
          insertionOrder: -5,
          priority: 99,
          name: "Pendulum",
          extensions: {
            comment: "old",
            selective: true,
            secondary_keys: ["swing"],
            extensions: { a: 1 },
          },
        },
        {
          id: "gear-room",
          keys: [],
          content: "Gears everywhere.",
          extensions: { use_regex: true },
        },
      ],
    },
  }),
  bookOnlyFields: characterInputSchema.parse({
    profile: { name: "Book Keeper" },
    ai: { lorebook: { name: "Empty shelf", token_budget: 10 } },
  }),
};

describe("export then import gives back the same character", () => {
  for (const [label, character] of Object.entries(characters)) {
    it(`${label}: through V2 JSON, V3 JSON and PNG`, async () => {
      expect(viaV2Json(character)).toEqual(character);
      expect(viaV3Json(character)).toEqual(character);
      expect(viaPng(character)).toEqual(character);
      expect(viaPng(character, await solidPng(10, 10, [5, 5, 5]))).toEqual(character);
    });
  }

  it("keeps publication only for a trusted import", () => {
    const published = characterInputSchema.parse({ profile: { name: "Public", published: true } });
    expect(viaV2Json(published, true)).toEqual(published);
    expect(viaPng(published, undefined, true)).toEqual(published);
    expect(viaV2Json(published).profile.published).toBe(false);
  });
});

const seedDir = join(import.meta.dirname, "../../../seeds/characters");
const seedFiles = readdirSync(seedDir).filter((file) => file.endsWith(".json"));
const seeds = seedFiles.map((file) => ({
  id: file.replace(/\.json$/, ""),
  text: readFileSync(join(seedDir, file), "utf8"),
}));

describe("seed characters", () => {
  const imported = seeds.map(({ id, text }) => ({
    id,
    card: parseCardJson(text),
    input: cardToCharacter(parseCardJson(text), { trustPublished: true }).input,
  }));

  it("are eight V2 cards with ids fit for document ids", () => {
    expect(imported).toHaveLength(8);
    for (const { id, card } of imported) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(card.version).toBe(2);
    }
  });

  it("are published, with exactly two for premium members", () => {
    for (const { input } of imported) expect(input.profile.published).toBe(true);
    expect(imported.filter(({ input }) => input.profile.premiumOnly)).toHaveLength(2);
  });

  it("arrive unpublished when an admin imports them", () => {
    for (const { text } of seeds) {
      expect(cardToCharacter(parseCardJson(text)).input.profile.published).toBe(false);
    }
  });

  it("each have a distinct personality, a tagline, greetings, dialogue, scenario and tags", () => {
    const personalities = new Set(
      imported.map(({ input }) => JSON.stringify(input.profile.personality)),
    );
    expect(personalities.size).toBe(8);
    for (const { input } of imported) {
      const { profile } = input;
      expect(profile.personality.traits.length).toBeGreaterThan(0);
      expect(profile.tagline).not.toBe("");
      expect(profile.greeting).not.toBe("");
      expect(profile.alternateGreetings.length).toBeGreaterThanOrEqual(1);
      expect(profile.alternateGreetings.length).toBeLessThanOrEqual(2);
      expect(profile.exampleDialogue).not.toBe("");
      expect(profile.scenario).not.toBe("");
      expect(profile.tags.length).toBeGreaterThan(0);
    }
  });

  it("differ in AI settings, and only one overrides the system prompt", () => {
    const settings = new Set(
      imported.map(({ input: { ai } }) =>
        JSON.stringify([
          ai.model,
          ai.temperature,
          ai.maxTokens,
          ai.contextWindow,
          ai.knowledgeBudgetTokens,
          ai.restrictedTopics,
        ]),
      ),
    );
    expect(settings.size).toBe(8);
    expect(imported.filter(({ input }) => input.ai.systemPromptOverride !== "")).toHaveLength(1);
    const books = imported.map(({ input }) => input.ai.knowledgeBase.length).filter((n) => n > 0);
    expect(books.length).toBeGreaterThan(0);
    for (const size of books) expect(size).toBeGreaterThanOrEqual(2);
    for (const size of books) expect(size).toBeLessThanOrEqual(4);
  });

  for (const { id, text } of seeds) {
    it(`${id} survives export and import through JSON and PNG`, () => {
      const input = cardToCharacter(parseCardJson(text), { trustPublished: true }).input;
      expect(viaV2Json(input, true)).toEqual(input);
      expect(viaV3Json(input, true)).toEqual(input);
      expect(viaPng(input, undefined, true)).toEqual(input);
    });
  }
});
