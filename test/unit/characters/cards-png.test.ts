import { describe, it, expect } from "vitest";
import { Buffer } from "node:buffer";
import {
  cardToCharacter,
  characterToCardPng,
  characterToCardV2,
  characterToCardV3,
  parseCardJson,
  parseCardPng,
} from "../../../functions/src/characters/cards";
import { characterInputSchema } from "../../../functions/src/contract/characters";
import {
  describePng,
  pngCard,
  solidPng,
  textChunks,
  withTextChunks,
  base64Json,
} from "./card-files";

const v2 = (name: string) => ({
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: { name, description: `${name}, described.`, first_mes: `Hello from ${name}.` },
});
const v3 = (name: string) => ({
  spec: "chara_card_v3",
  spec_version: "3.0",
  data: { name, nickname: `${name} the Third`, group_only_greetings: [], first_mes: "Hi, all." },
});

const fromBase64 = (text: string): unknown =>
  JSON.parse(Buffer.from(text, "base64").toString("utf8"));

describe("importing a PNG card", () => {
  it("reads a card from a `chara` chunk", async () => {
    const { input } = cardToCharacter(parseCardPng(await pngCard({ chara: v2("Pip") })));
    expect(input.profile.name).toBe("Pip");
    expect(input.profile.greeting).toBe("Hello from Pip.");
  });

  it("reads a V1 card from a `chara` chunk", async () => {
    const card = parseCardPng(await pngCard({ chara: { name: "Elder Oak", first_mes: "Mm." } }));
    expect(card.version).toBe(1);
    expect(cardToCharacter(card).input.profile.name).toBe("Elder Oak");
  });

  it("reads a card from a `ccv3` chunk", async () => {
    const { input } = cardToCharacter(parseCardPng(await pngCard({ ccv3: v3("Quill") })));
    expect(input.profile.name).toBe("Quill");
    expect(input.profile.nickname).toBe("Quill the Third");
  });

  it("prefers `ccv3` when both chunks are present, in either order", async () => {
    const image = await solidPng(4, 4, [0, 0, 0]);
    for (const order of [
      [
        ["chara", base64Json(v2("Old Name"))],
        ["ccv3", base64Json(v3("New Name"))],
      ],
      [
        ["ccv3", base64Json(v3("New Name"))],
        ["chara", base64Json(v2("Old Name"))],
      ],
    ] satisfies [string, string][][]) {
      const card = parseCardPng(withTextChunks(image, order));
      expect(card.version).toBe(3);
      expect(cardToCharacter(card).input.profile.name).toBe("New Name");
    }
  });

  it("returns the image, without its card chunks, as the avatar", async () => {
    const image = await solidPng(16, 12, [30, 120, 200]);
    const { avatarPng } = cardToCharacter(
      parseCardPng(await pngCard({ chara: v2("Pip"), ccv3: v3("Pip") })),
    );
    expect(avatarPng).toBeDefined();
    const avatar = avatarPng ?? new Uint8Array();
    expect(textChunks(avatar).map(([keyword]) => keyword)).not.toContain("chara");
    expect(textChunks(avatar).map(([keyword]) => keyword)).not.toContain("ccv3");
    const [before, after] = await Promise.all([describePng(image), describePng(avatar)]);
    expect(after).toEqual(before);
  });

  it("gives no avatar for a JSON card", () => {
    expect(cardToCharacter(parseCardJson(JSON.stringify(v2("Pip")))).avatarPng).toBeUndefined();
  });
});

const character = characterInputSchema.parse({
  profile: {
    name: "Sable Wren",
    nickname: "Wren",
    tagline: "Keeper of the night market.",
    greeting: "Lanterns are lit. What are you looking for? 🌙",
    groupOnlyGreetings: ["Welcome, travellers, all of you!"],
    tags: ["market", "mystery"],
  },
});

describe("exporting a PNG card", () => {
  it("writes both a `chara` (V2) and a `ccv3` (V3) chunk", () => {
    const png = characterToCardPng(character);
    const texts = Object.fromEntries(textChunks(png));
    expect(Object.keys(texts).sort()).toEqual(["ccv3", "chara"]);
    expect(fromBase64(texts.chara ?? "")).toEqual(characterToCardV2(character));
    expect(fromBase64(texts.ccv3 ?? "")).toEqual(characterToCardV3(character));
  });

  it("keeps the given image's pixels", async () => {
    const image = await solidPng(20, 30, [250, 200, 10]);
    const png = characterToCardPng(character, image);
    expect(await describePng(png)).toEqual(await describePng(image));
  });

  it("replaces card chunks already in the image", async () => {
    const image = await pngCard({ chara: v2("Someone Else"), ccv3: v3("Someone Else") });
    const png = characterToCardPng(character, image);
    const keywords = textChunks(png).map(([keyword]) => keyword);
    expect(keywords.filter((k) => k === "chara")).toHaveLength(1);
    expect(keywords.filter((k) => k === "ccv3")).toHaveLength(1);
    expect(cardToCharacter(parseCardPng(png)).input.profile.name).toBe("Sable Wren");
  });

  it("makes a small valid image when none is given", async () => {
    const png = characterToCardPng(characterInputSchema.parse({ profile: { name: "No Picture" } }));
    const { width, height, pixels } = await describePng(png);
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    expect(pixels.length).toBe(width * height * 3);
  });
});
