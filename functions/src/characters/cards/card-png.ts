// Character cards inside PNG images: base64 JSON in `tEXt` chunks named `chara` (V2, also
// used by V1) and `ccv3` (V3). Pure: no Firebase imports.
import { CardError } from "./errors";
import { readPngChunks, readTextChunk, textChunk, writePngChunks, type PngChunk } from "./png";

export type CardKeyword = "chara" | "ccv3";

/** Keywords are compared without case: some tools write `Chara`. */
function cardKeyword(chunk: PngChunk): CardKeyword | undefined {
  if (chunk.name !== "tEXt") return undefined;
  // PNG keywords are 1-79 Latin-1 bytes ended by a NUL.
  const end = chunk.data.indexOf(0);
  if (end < 1 || end > 79) return undefined;
  const keyword = String.fromCharCode(...chunk.data.subarray(0, end)).toLowerCase();
  return keyword === "chara" || keyword === "ccv3" ? keyword : undefined;
}

export interface FoundCard {
  keyword: CardKeyword;
  /** The chunk's text: base64 of the card JSON. */
  text: string;
  /** The image with every card chunk removed. */
  image: Uint8Array;
}

/** The card text in a PNG; `ccv3` wins over `chara` when both are there, as V3 asks. */
export function findCardInPng(bytes: Uint8Array): FoundCard {
  const texts: Partial<Record<CardKeyword, string>> = {};
  const imageChunks: PngChunk[] = [];
  for (const chunk of readPngChunks(bytes)) {
    const keyword = cardKeyword(chunk);
    if (keyword === undefined) {
      imageChunks.push(chunk);
    } else {
      texts[keyword] ??= readTextChunk(chunk).text;
    }
  }
  const keyword: CardKeyword | undefined =
    texts.ccv3 !== undefined ? "ccv3" : texts.chara !== undefined ? "chara" : undefined;
  if (keyword === undefined) {
    throw new CardError("this PNG holds no character card (no `chara` or `ccv3` text chunk)");
  }
  return { keyword, text: texts[keyword] ?? "", image: writePngChunks(imageChunks) };
}

/** `image` with its card chunks replaced by `texts`, placed just before IEND. */
export function embedCardInPng(image: Uint8Array, texts: Record<CardKeyword, string>): Uint8Array {
  const kept = readPngChunks(image).filter((chunk) => cardKeyword(chunk) === undefined);
  const end = kept.findIndex((chunk) => chunk.name === "IEND");
  const cardChunks = [textChunk("chara", texts.chara), textChunk("ccv3", texts.ccv3)];
  return writePngChunks([...kept.slice(0, end), ...cardChunks, ...kept.slice(end)]);
}
