import { describe, it, expect } from "vitest";
import { Buffer } from "node:buffer";
import {
  CardError,
  cardToCharacter,
  characterToCardPng,
  parseCardJson,
  parseCardPng,
} from "../../../functions/src/characters/cards";
import { characterInputSchema } from "../../../functions/src/contract/characters";
import { base64Json, pngCard, solidPng, withTextChunks } from "./card-files";

/** Runs `attempt` and returns the CardError it must throw. */
function refusal(attempt: () => unknown): CardError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(CardError);
    if (error instanceof CardError) {
      expect(error.reason.length).toBeGreaterThan(10);
      return error;
    }
  }
  throw new Error("expected a CardError, but nothing was thrown");
}

const importJson = (card: unknown) => cardToCharacter(parseCardJson(JSON.stringify(card)));
const v2 = (data: Record<string, unknown>) => ({
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: { name: "Test", ...data },
});

describe("refusing JSON that is not a card", () => {
  it("refuses text that is not JSON", () => {
    expect(refusal(() => parseCardJson("{ name: 'unquoted' ")).reason).toMatch(/not valid JSON/);
  });

  it("refuses JSON that is not an object", () => {
    for (const text of ["[1, 2]", '"a card"', "42", "null", "true"]) {
      expect(refusal(() => parseCardJson(text)).reason).toMatch(/must be a JSON object/);
    }
  });

  it("refuses an object that is no card at all", () => {
    expect(refusal(() => parseCardJson('{"title": "shopping list"}')).reason).toMatch(
      /not a character card/,
    );
  });

  it("refuses an unknown or malformed spec", () => {
    const unknown = refusal(() => importJson({ spec: "chara_card_v9", data: { name: "X" } }));
    expect(unknown.field).toBe("spec");
    expect(unknown.reason).toContain("chara_card_v9");
    expect(refusal(() => importJson({ spec: 2, data: { name: "X" } })).field).toBe("spec");
    expect(refusal(() => importJson({ spec: "chara_card_v2" })).field).toBe("data");
  });

  it("refuses a card without a name or with fields of the wrong type", () => {
    expect(refusal(() => importJson({ spec: "chara_card_v2", data: {} })).reason).toBe(
      "name: is missing",
    );
    expect(refusal(() => importJson({ spec: "chara_card_v2", data: { name: "   " } })).field).toBe(
      "name",
    );
    expect(refusal(() => importJson(v2({ description: 12 }))).reason).toBe(
      "description: should be text",
    );
    expect(refusal(() => importJson(v2({ alternate_greetings: "hi" }))).field).toBe(
      "alternate_greetings",
    );
  });

  it("refuses card JSON over 2 MB", () => {
    const huge = JSON.stringify(v2({ description: "x".repeat(2 * 1024 * 1024) }));
    expect(refusal(() => parseCardJson(huge)).reason).toMatch(/larger than 2 MB/);
  });
});

describe("refusing fields over the model's limits", () => {
  it("names the card field that is too long", () => {
    expect(refusal(() => importJson(v2({ description: "d".repeat(8001) }))).reason).toBe(
      "description: is too long (at most 8000 characters)",
    );
    expect(refusal(() => importJson(v2({ first_mes: "g".repeat(4001) }))).field).toBe("first_mes");
    expect(refusal(() => importJson(v2({ personality: "p".repeat(4001) }))).field).toBe(
      "personality",
    );
    expect(refusal(() => importJson(v2({ system_prompt: "s".repeat(8001) }))).field).toBe(
      "system_prompt",
    );
    expect(
      refusal(() => importJson(v2({ alternate_greetings: ["ok", "a".repeat(4001)] }))).field,
    ).toBe("alternate_greetings[1]");
  });

  it("refuses too many tags and tags that stay invalid after tidying", () => {
    const many = Array.from({ length: 21 }, (_, i) => `tag${i}`);
    expect(refusal(() => importJson(v2({ tags: many }))).field).toBe("tags");
    const bad = refusal(() => importJson(v2({ tags: ["Fine", "C++ & Co"] })));
    expect(bad.field).toBe("tags[1]");
    expect(bad.reason).toContain("C++ & Co");
    expect(refusal(() => importJson(v2({ tags: ["   "] }))).field).toBe("tags[0]");
  });

  it("names the lorebook entry at fault", () => {
    const book = (entry: Record<string, unknown>) => ({
      extensions: {},
      entries: [
        { keys: ["a"], content: "fine", extensions: {}, enabled: true, insertion_order: 1 },
        entry,
      ],
    });
    const entry = { keys: ["b"], extensions: {}, enabled: true, insertion_order: 2 };
    expect(
      refusal(() =>
        importJson(v2({ character_book: book({ ...entry, content: "c".repeat(4001) }) })),
      ).reason,
    ).toBe("character_book.entries[1].content: is too long (at most 4000 characters)");
    expect(
      refusal(() => importJson(v2({ character_book: book({ ...entry, content: "" }) }))).reason,
    ).toBe("character_book.entries[1].content: must not be empty");
    expect(
      refusal(() =>
        importJson(v2({ character_book: book({ ...entry, content: "x", insertion_order: 2.5 }) })),
      ).reason,
    ).toBe("character_book.entries[1].insertion_order: should be a whole number");
    expect(refusal(() => importJson(v2({ character_book: book({ ...entry }) }))).field).toBe(
      "character_book.entries[1].content",
    );
  });

  it("refuses our own extension when it does not fit the model", () => {
    const hot = refusal(() =>
      importJson(v2({ extensions: { aichat: { ai: { temperature: 5 } } } })),
    );
    expect(hot.field).toBe("extensions.aichat.ai.temperature");
    const trait = refusal(() =>
      importJson(v2({ extensions: { aichat: { personality: { traits: ["grumpy"] } } } })),
    );
    expect(trait.field).toBe("extensions.aichat.personality.traits[0]");
    expect(refusal(() => importJson(v2({ extensions: { aichat: { mood: "x" } } }))).reason).toBe(
      "extensions.aichat: has fields this app does not know: mood",
    );
  });
});

describe("refusing PNG files that hold no usable card", () => {
  it("refuses bytes that are not a PNG", () => {
    expect(
      refusal(() => parseCardPng(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70]))).reason,
    ).toMatch(/not a PNG/);
    expect(refusal(() => parseCardPng(Buffer.from("just some text, long enough"))).reason).toMatch(
      /not a PNG/,
    );
    expect(refusal(() => parseCardPng(new Uint8Array())).reason).toMatch(/not a PNG/);
  });

  it("refuses a PNG without a card chunk", async () => {
    expect(refusal(() => parseCardPng(withTextChunks(new Uint8Array(0), []))).reason).toMatch(
      /not a PNG/,
    );
    const plain = await solidPng(4, 4, [1, 2, 3]);
    expect(refusal(() => parseCardPng(plain)).reason).toMatch(/no character card/);
    const otherText = withTextChunks(plain, [["Comment", "made with love"]]);
    expect(refusal(() => parseCardPng(otherText)).reason).toMatch(/no character card/);
  });

  it("refuses a truncated PNG", async () => {
    const png = await pngCard({ chara: { spec: "chara_card_v2", data: { name: "Cut" } } });
    for (const length of [8, 20, Math.floor(png.length / 2), png.length - 1]) {
      expect(refusal(() => parseCardPng(png.slice(0, length))).reason).toMatch(/truncated/);
    }
  });

  it("refuses a PNG whose bytes were damaged", async () => {
    const png = await pngCard({ chara: { spec: "chara_card_v2", data: { name: "Damaged" } } });
    const damaged = Uint8Array.from(png);
    damaged[40] ^= 0xff;
    expect(refusal(() => parseCardPng(damaged)).reason).toMatch(/damaged/);
  });

  it("refuses a PNG over 20 MB before reading it", () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(refusal(() => parseCardPng(big)).reason).toMatch(/larger than 20 MB/);
  });

  it("refuses a card chunk that is not base64, not UTF-8 or not JSON", async () => {
    const image = await solidPng(4, 4, [9, 9, 9]);
    const inChunk = (text: string) =>
      refusal(() => cardToCharacter(parseCardPng(withTextChunks(image, [["chara", text]]))));
    expect(inChunk("this is not base64 at all!").reason).toMatch(
      /`chara` chunk is not valid base64/,
    );
    expect(inChunk(Buffer.from([0xc3, 0x28, 0xff]).toString("base64")).reason).toMatch(/UTF-8/);
    expect(inChunk(Buffer.from("{ not json", "utf8").toString("base64")).reason).toMatch(
      /`chara` chunk: the card is not valid JSON/,
    );
    expect(inChunk(base64Json([1, 2, 3])).reason).toMatch(/must be a JSON object/);
    expect(
      inChunk(base64Json({ spec: "chara_card_v2", data: { name: "x".repeat(81) } })).reason,
    ).toMatch(/name/);
  });

  it("refuses a broken `ccv3` chunk even when `chara` is fine", async () => {
    const image = await solidPng(4, 4, [9, 9, 9]);
    const png = withTextChunks(image, [
      ["chara", base64Json({ spec: "chara_card_v2", data: { name: "Fine" } })],
      ["ccv3", "%%%"],
    ]);
    expect(refusal(() => parseCardPng(png)).reason).toMatch(/`ccv3` chunk is not valid base64/);
  });

  it("refuses to embed a card in an image that is not a PNG", () => {
    const character = characterInputSchema.parse({ profile: { name: "Anyone" } });
    expect(
      refusal(() => characterToCardPng(character, Buffer.from("GIF89a-not-a-png"))).reason,
    ).toMatch(/not a PNG/);
  });
});
