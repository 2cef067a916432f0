// Entry points for reading a card file: JSON text or a PNG image. Pure: no Firebase imports.
import { Buffer } from "node:buffer";
import { MAX_CARD_JSON_BYTES } from "../../contract/characters";
import { decodeBase64Text } from "./base64";
import type { CharacterCard } from "./card-schema";
import { findCardInPng } from "./card-png";
import { CardError, withContext } from "./errors";
import { normalizeCard } from "./normalize";

export function parseCardJson(text: string): CharacterCard {
  if (Buffer.byteLength(text, "utf8") > MAX_CARD_JSON_BYTES) {
    throw new CardError("the card is larger than 2 MB");
  }
  // Editors on Windows often save JSON with a byte order mark, which JSON.parse refuses.
  const json = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CardError("the card is not valid JSON");
  }
  return normalizeCard(value);
}

export function parseCardPng(bytes: Uint8Array): CharacterCard {
  const found = findCardInPng(bytes);
  const where = `the PNG's \`${found.keyword}\` chunk`;
  const json = decodeBase64Text(found.text, where);
  const card = withContext(`in ${where}`, () => parseCardJson(json));
  return { ...card, image: found.image };
}
