// Reading and writing PNG chunks, with the checks an uploaded file needs before the chunk
// libraries see it. Pure: no Firebase imports.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the test program imports this file directly and only finds these declarations through the reference
/// <reference path="./png-modules.d.ts" />
import extractChunks from "png-chunks-extract";
import encodeChunks from "png-chunks-encode";
import { decode as decodeText, encode as encodeText } from "png-chunk-text";
import { MAX_PNG_BYTES } from "../../contract/characters";
import { CardError } from "./errors";

export interface PngChunk {
  name: string;
  data: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * Walks the chunk headers before any library touches the bytes: png-chunks-extract trusts
 * each length field and would allocate whatever a damaged or hostile file claims.
 */
function assertChunksFit(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = SIGNATURE.length;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    // Length field, type, data, CRC.
    const end = offset + 12 + length;
    if (end > bytes.length) throw new CardError(`the PNG is truncated inside its ${type} chunk`);
    if (type === "IEND") return;
    offset = end;
  }
  throw new CardError("the PNG is truncated: it ends before its IEND chunk");
}

/** The chunks of an uploaded PNG, refusing anything that is not a whole, undamaged PNG. */
export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  if (bytes.length > MAX_PNG_BYTES) {
    throw new CardError(`the PNG is larger than ${MAX_PNG_BYTES / (1024 * 1024)} MB`);
  }
  if (!hasPngSignature(bytes)) throw new CardError("the file is not a PNG image");
  assertChunksFit(bytes);
  try {
    return extractChunks(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CardError(`the PNG is damaged (${detail})`);
  }
}

export function writePngChunks(chunks: readonly PngChunk[]): Uint8Array {
  return encodeChunks(chunks);
}

/** The keyword and text of a tEXt chunk. */
export function readTextChunk(chunk: PngChunk): { keyword: string; text: string } {
  try {
    return decodeText(chunk.data);
  } catch {
    throw new CardError("the PNG has a damaged tEXt chunk");
  }
}

/** A tEXt chunk; `text` must be Latin-1, which base64 always is. */
export function textChunk(keyword: string, text: string): PngChunk {
  return encodeText(keyword, text);
}
