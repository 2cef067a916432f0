// Types for the three small PNG chunk libraries, which ship JavaScript only. Declares exactly
// the calls this folder makes.

declare module "png-chunks-extract" {
  /** Splits a PNG into its chunks, checking the signature, IHDR first, CRCs and IEND. */
  function extractChunks(data: Uint8Array): { name: string; data: Uint8Array }[];
  export = extractChunks;
}

declare module "png-chunks-encode" {
  /** Writes the signature and the chunks, computing each chunk's CRC. */
  function encodeChunks(chunks: readonly { name: string; data: Uint8Array }[]): Uint8Array;
  export = encodeChunks;
}

declare module "png-chunk-text" {
  /** Builds a tEXt chunk; keyword and text must be Latin-1. */
  export function encode(keyword: string, content: string): { name: string; data: Uint8Array };
  /** Reads a tEXt chunk's data back into keyword and text. */
  export function decode(data: Uint8Array): { keyword: string; text: string };
}
