import { describe, it, expect } from "vitest";
import {
  cardToCharacter,
  characterToCardPng,
  characterToCardV2,
  characterToCardV3,
  parseCardJson,
  parseCardPng,
} from "../../../functions/src/characters/cards";

const importJson = (card: unknown, trustPublished = false) =>
  cardToCharacter(parseCardJson(JSON.stringify(card)), { trustPublished }).input;

describe("importing a V1 card", () => {
  it("maps the flat fields and leaves the rest at their defaults", () => {
    const input = importJson({
      name: "Old Tom",
      description: "A lighthouse keeper.",
      personality: "gruff but kind",
      scenario: "A stormy night at the lighthouse.",
      first_mes: "Shut that door, the wind's fierce tonight.",
      mes_example: "<START>\n{{user}}: Hello?\n{{char}}: Who goes there?",
      avatar: "none",
      talkativeness: "0.5",
    });
    expect(input.profile).toMatchObject({
      name: "Old Tom",
      description: "A lighthouse keeper.",
      personalitySummary: "gruff but kind",
      scenario: "A stormy night at the lighthouse.",
      greeting: "Shut that door, the wind's fierce tonight.",
      exampleDialogue: "<START>\n{{user}}: Hello?\n{{char}}: Who goes there?",
      tags: [],
      alternateGreetings: [],
      published: false,
      premiumOnly: false,
    });
    expect(input.ai.systemPromptOverride).toBe("");
    expect(input.ai.knowledgeBase).toEqual([]);
    expect(parseCardJson(JSON.stringify({ name: "Old Tom" })).version).toBe(1);
  });
});

const v2Card = {
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: {
    name: "Mira Vale",
    description: "A cartographer of floating islands.",
    personality: "curious, precise, a little stubborn",
    scenario: "Aboard an airship above the cloud sea.",
    first_mes: "Hold the map flat, would you? The wind keeps stealing it.",
    mes_example: "{{char}}: Every island drifts. The trick is knowing which way.",
    creator_notes: "Best with slow-paced adventure.",
    system_prompt: "You are {{char}}. Stay in character.",
    post_history_instructions: "Keep replies under 120 words.",
    alternate_greetings: ["Ah, a new passenger!", "You found my compass? Thank you!"],
    tags: ["  Fantasy ", "Sky   Travel", "fantasy", "maps"],
    creator: "cloudworks",
    character_version: "1.2",
    character_book: {
      name: "Cloud Sea Atlas",
      description: "Places Mira has charted.",
      scan_depth: 4,
      token_budget: 500,
      recursive_scanning: false,
      extensions: { "x-atlas": { colour: "blue" } },
      entries: [
        {
          keys: ["Skyreach", "capital"],
          content: "Skyreach is the largest island, home to the Guild of Winds.",
          extensions: { position_hint: 2 },
          enabled: true,
          insertion_order: 5,
          case_sensitive: false,
          name: "Skyreach",
          priority: 20,
          id: 7,
          comment: "main city",
          selective: true,
          secondary_keys: ["guild"],
          constant: false,
          position: "after_char",
        },
        {
          keys: ["storm"],
          content: "Storm season closes the eastern routes.",
          extensions: {},
          enabled: false,
          insertion_order: 1,
        },
      ],
    },
    extensions: {
      talkativeness: "0.7",
      depth_prompt: { prompt: "Mira hums while she works.", depth: 4 },
      "x-other-app": { nested: [1, { deep: null }] },
    },
  },
};

describe("importing a V2 card", () => {
  const input = importJson(v2Card);

  it("maps every V2 field to the profile and AI settings", () => {
    expect(input.profile).toMatchObject({
      name: "Mira Vale",
      description: "A cartographer of floating islands.",
      personalitySummary: "curious, precise, a little stubborn",
      scenario: "Aboard an airship above the cloud sea.",
      greeting: "Hold the map flat, would you? The wind keeps stealing it.",
      alternateGreetings: ["Ah, a new passenger!", "You found my compass? Thank you!"],
      exampleDialogue: "{{char}}: Every island drifts. The trick is knowing which way.",
      creatorNotes: "Best with slow-paced adventure.",
      creator: "cloudworks",
      characterVersion: "1.2",
    });
    expect(input.ai.systemPromptOverride).toBe("You are {{char}}. Stay in character.");
    expect(input.ai.postHistoryInstructions).toBe("Keep replies under 120 words.");
  });

  it("tidies tag case and spacing and lists each tag once", () => {
    expect(input.profile.tags).toEqual(["fantasy", "sky travel", "maps"]);
  });

  it("keeps the card's extensions, unknown keys included", () => {
    expect(input.profile.extensions).toEqual(v2Card.data.extensions);
  });

  it("maps lorebook entries and keeps their other fields for export", () => {
    const [first, second] = input.ai.knowledgeBase;
    expect(first).toEqual({
      id: "7",
      keys: ["Skyreach", "capital"],
      content: "Skyreach is the largest island, home to the Guild of Winds.",
      enabled: true,
      constant: false,
      insertionOrder: 5,
      priority: 20,
      name: "Skyreach",
      extensions: {
        extensions: { position_hint: 2 },
        case_sensitive: false,
        comment: "main city",
        selective: true,
        secondary_keys: ["guild"],
        position: "after_char",
      },
    });
    expect(second).toMatchObject({
      id: "entry-1",
      enabled: false,
      insertionOrder: 1,
      extensions: {},
    });
    expect(input.ai.lorebook).toEqual({
      name: "Cloud Sea Atlas",
      description: "Places Mira has charted.",
      scan_depth: 4,
      token_budget: 500,
      recursive_scanning: false,
      extensions: { "x-atlas": { colour: "blue" } },
    });
  });

  it("writes the lorebook back exactly as it came", () => {
    const exported = characterToCardV2(input).data;
    expect(exported.character_book).toEqual({
      ...v2Card.data.character_book,
      entries: v2Card.data.character_book.entries.map((entry, index) => ({
        // Fields the card left out come back with their defaults.
        priority: 10,
        constant: false,
        name: "",
        id: `entry-${index}`,
        ...entry,
      })),
    });
  });

  it("stores card text as plain data, markup and macros untouched", () => {
    const text = '<script>alert("hi")</script> {{user}} ${process.exit()} `rm -rf`';
    const stored = importJson({ ...v2Card, data: { ...v2Card.data, description: text } });
    expect(stored.profile.description).toBe(text);
  });
});

describe("unknown extensions keys", () => {
  it("survive import and export through JSON and PNG", () => {
    const input = importJson(v2Card);
    expect(characterToCardV2(input).data.extensions).toMatchObject(v2Card.data.extensions);
    expect(characterToCardV3(input).data.extensions).toMatchObject(v2Card.data.extensions);
    const throughPng = parseCardPng(characterToCardPng(input));
    expect(throughPng.data.extensions).toMatchObject(v2Card.data.extensions);
    expect(cardToCharacter(throughPng).input.profile.extensions).toEqual(v2Card.data.extensions);
  });
});

const v3Card = {
  spec: "chara_card_v3",
  spec_version: "3.0",
  data: {
    ...v2Card.data,
    name: "Mira Vale (V3)",
    nickname: "Mira",
    group_only_greetings: ["Everyone, gather round the chart table!"],
    assets: [
      { type: "icon", uri: "ccdefault:", name: "main", ext: "png" },
      { type: "background", uri: "https://example.org/sky.webp", name: "sky", ext: "webp" },
    ],
    creation_date: 1_700_000_000,
    modification_date: 1_710_000_000,
    source: ["https://example.org/cards/mira"],
    creator_notes_multilingual: { en: "Slow adventure.", fr: "Aventure tranquille." },
    character_book: {
      extensions: {},
      entries: [
        {
          keys: ["^wind(s)?$"],
          content: "The winds have names here.",
          extensions: {},
          enabled: true,
          insertion_order: 3,
          use_regex: true,
          id: "wind-lore",
        },
      ],
    },
  },
};

describe("importing a V3 card", () => {
  const card = parseCardJson(JSON.stringify(v3Card));
  const input = cardToCharacter(card).input;

  it("maps the V3 fields that have a place in the profile", () => {
    expect(card.version).toBe(3);
    expect(input.profile.name).toBe("Mira Vale (V3)");
    expect(input.profile.nickname).toBe("Mira");
    expect(input.profile.groupOnlyGreetings).toEqual(["Everyone, gather round the chart table!"]);
    expect(input.ai.knowledgeBase[0]).toMatchObject({
      id: "wind-lore",
      extensions: { use_regex: true },
    });
  });

  it("keeps assets, dates, source and multilingual notes so an export restores them", () => {
    expect(input.profile.extensions.aichat_ccv3).toEqual({
      assets: v3Card.data.assets,
      creation_date: 1_700_000_000,
      modification_date: 1_710_000_000,
      source: ["https://example.org/cards/mira"],
      creator_notes_multilingual: { en: "Slow adventure.", fr: "Aventure tranquille." },
    });
    const exported = characterToCardV3(input).data;
    expect(exported).toMatchObject({
      nickname: "Mira",
      group_only_greetings: v3Card.data.group_only_greetings,
      assets: v3Card.data.assets,
      creation_date: 1_700_000_000,
      modification_date: 1_710_000_000,
      source: v3Card.data.source,
      creator_notes_multilingual: v3Card.data.creator_notes_multilingual,
    });
    expect(exported.extensions).not.toHaveProperty("aichat_ccv3");
  });

  it("carries the V3-only fields through a V2 export", () => {
    const again = importJson(JSON.parse(JSON.stringify(characterToCardV2(input))));
    expect(again).toEqual(input);
  });
});

describe("a lorebook with 50 entries", () => {
  const entries = Array.from({ length: 50 }, (_, i) => ({
    keys: [`place ${i}`],
    content: `Lore about place number ${i}.`,
    extensions: i % 5 === 0 ? { note: `every fifth: ${i}` } : {},
    enabled: i % 7 !== 0,
    // Deliberately not sorted: the card's order is what must be kept.
    insertion_order: (i * 37) % 50,
    ...(i % 2 === 0 ? { id: i * 10 } : {}),
  }));
  const input = importJson({
    ...v2Card,
    data: { ...v2Card.data, character_book: { extensions: {}, entries } },
  });

  it("maps every entry in the card's order", () => {
    expect(input.ai.knowledgeBase).toHaveLength(50);
    input.ai.knowledgeBase.forEach((entry, i) => {
      expect(entry.content).toBe(`Lore about place number ${i}.`);
      expect(entry.keys).toEqual([`place ${i}`]);
      expect(entry.insertionOrder).toBe((i * 37) % 50);
      expect(entry.enabled).toBe(i % 7 !== 0);
      expect(entry.id).toBe(i % 2 === 0 ? String(i * 10) : `entry-${i}`);
    });
  });

  it("exports them in the same order with the same content", () => {
    const book = characterToCardV2(input).data.character_book;
    expect(book).toMatchObject({
      entries: entries.map((e) => ({ content: e.content, extensions: e.extensions })),
    });
  });
});

describe("our own fields in extensions.aichat", () => {
  const aichat = {
    tagline: "Charts the uncharted.",
    premiumOnly: true,
    published: true,
    personality: { traits: ["ideas", "order"], tone: "playful", humor: 8 },
    ai: { temperature: 0.6, maxTokens: 300, restrictedTopics: ["real-world politics"] },
  };
  const card = { ...v2Card, data: { ...v2Card.data, extensions: { aichat, other: 1 } } };

  it("become the character's personality, tagline, access and AI settings", () => {
    const input = importJson(card);
    expect(input.profile.tagline).toBe("Charts the uncharted.");
    expect(input.profile.premiumOnly).toBe(true);
    expect(input.profile.personality).toEqual({
      traits: ["ideas", "order"],
      tone: "playful",
      formality: 5,
      humor: 8,
      empathy: 5,
      creativity: 5,
      confidence: 5,
    });
    expect(input.ai).toMatchObject({ temperature: 0.6, maxTokens: 300, contextWindow: 8192 });
    expect(input.ai.restrictedTopics).toEqual(["real-world politics"]);
    expect(input.profile.extensions).toEqual({ other: 1 });
  });

  it("publish the character only when the importer trusts the card", () => {
    expect(importJson(card).profile.published).toBe(false);
    expect(importJson(card, true).profile.published).toBe(true);
  });
});
