// A small solid-colour PNG for exporting a character that has no image: a PNG card needs an
// image to live in. Written by hand with zlib so this module does not depend on an image
// library. Pure: no Firebase imports.
import { deflateSync } from "node:zlib";
import { writePngChunks } from "./png";

const SIZE = 64;

type Rgb = [number, number, number];

function header(width: number, height: number): Uint8Array {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data[8] = 8; // bit depth
  data[9] = 2; // colour type: RGB
  // Bytes 10-12 stay 0: deflate compression, adaptive filtering, no interlace.
  return data;
}

/** A pleasant colour picked from `seed`, so different characters get different squares. */
export function placeholderColour(seed: string): Rgb {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  const hue = hash % 360;
  // HSL with fixed saturation 45% and lightness 70%: soft, never too dark or garish.
  const s = 0.45;
  const l = 0.7;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const sectors: Rgb[] = [
    [c, x, 0],
    [x, c, 0],
    [0, c, x],
    [0, x, c],
    [x, 0, c],
    [c, 0, x],
  ];
  const [r, g, b] = sectors[Math.floor(hue / 60)];
  const channel = (v: number) => Math.round((v + m) * 255);
  return [channel(r), channel(g), channel(b)];
}

export function placeholderPng(seed: string): Uint8Array {
  const [r, g, b] = placeholderColour(seed);
  // Each scanline is a filter byte (0: none) followed by RGB triples.
  const row = new Uint8Array(1 + SIZE * 3);
  for (let x = 0; x < SIZE; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = new Uint8Array(row.length * SIZE);
  for (let y = 0; y < SIZE; y++) pixels.set(row, y * row.length);
  return writePngChunks([
    { name: "IHDR", data: header(SIZE, SIZE) },
    { name: "IDAT", data: new Uint8Array(deflateSync(pixels)) },
    { name: "IEND", data: new Uint8Array(0) },
  ]);
}
