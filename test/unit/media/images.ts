// Builds real test images and reads pixels back from the variants made of them.
import { crc32 } from "node:zlib";
import sharp from "./sharp";

export type Rgb = readonly [number, number, number];

export const RED: Rgb = [255, 0, 0];
export const GREEN: Rgb = [0, 255, 0];
export const BLUE: Rgb = [0, 0, 255];
export const WHITE: Rgb = [255, 255, 255];
const NAMED: Record<string, Rgb> = { red: RED, green: GREEN, blue: BLUE, white: WHITE };

export function solid(width: number, height: number, colour: Rgb = [40, 110, 190]) {
  const [r, g, b] = colour;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
}

/**
 * A JPEG that looks like `width` x `height` with red, green, blue and white quadrants
 * (clockwise from top-left) once its EXIF orientation is applied. The stored pixels are
 * laid out as a camera would for that orientation (EXIF 2.3, tag 0x0112).
 */
export async function quadrantJpeg(width: number, height: number, orientation: number) {
  const turned = orientation >= 5;
  const storedWidth = turned ? height : width;
  const storedHeight = turned ? width : height;
  const pixels = Buffer.alloc(storedWidth * storedHeight * 3);
  for (let y = 0; y < storedHeight; y++) {
    for (let x = 0; x < storedWidth; x++) {
      const [dx, dy] = displayedAt(orientation, x, y, storedWidth, storedHeight);
      const left = dx < width / 2;
      const colour = dy < height / 2 ? (left ? RED : GREEN) : left ? WHITE : BLUE;
      pixels.set(colour, (y * storedWidth + x) * 3);
    }
  }
  return sharp(pixels, { raw: { width: storedWidth, height: storedHeight, channels: 3 } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation })
    .toBuffer();
}

/** Where the stored pixel (x, y) appears once the orientation is applied. */
function displayedAt(orientation: number, x: number, y: number, w: number, h: number) {
  switch (orientation) {
    case 2:
      return [w - 1 - x, y];
    case 3:
      return [w - 1 - x, h - 1 - y];
    case 4:
      return [x, h - 1 - y];
    case 5:
      return [y, x];
    case 6:
      return [h - 1 - y, x];
    case 7:
      return [h - 1 - y, w - 1 - x];
    case 8:
      return [y, w - 1 - x];
    default:
      return [x, y];
  }
}

export interface Decoded {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

export async function decode(image: Buffer): Promise<Decoded> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

/** Channel values of the pixel at fractional position (fx, fy) of the image. */
export function pixelAt(image: Decoded, fx: number, fy: number): number[] {
  const x = Math.min(image.width - 1, Math.floor(image.width * fx));
  const y = Math.min(image.height - 1, Math.floor(image.height * fy));
  const at = (y * image.width + x) * image.channels;
  return [...image.data.subarray(at, at + image.channels)];
}

/** The nearest of red, green, blue and white, by name. */
export function colourName(pixel: number[]): string {
  let best = "";
  let bestDistance = Infinity;
  for (const [name, rgb] of Object.entries(NAMED)) {
    const distance = rgb.reduce((sum, value, i) => sum + (value - (pixel[i] ?? 0)) ** 2, 0);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

export function quadrants(image: Decoded) {
  return {
    topLeft: colourName(pixelAt(image, 0.25, 0.25)),
    topRight: colourName(pixelAt(image, 0.75, 0.25)),
    bottomRight: colourName(pixelAt(image, 0.75, 0.75)),
    bottomLeft: colourName(pixelAt(image, 0.25, 0.75)),
  };
}

/**
 * A PNG whose header claims `width` x `height` but whose pixel data is garbage: reading
 * only the header succeeds, decoding any pixels fails.
 */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, then the only defined methods
  return Buffer.concat([
    Buffer.from("\x89PNG\r\n\x1a\n", "latin1"),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", Buffer.from("not zlib data at all")),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A noisy image: its data fills the whole file, so cutting the file really loses pixels. */
export function noisy(width: number, height: number) {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 120, g: 120, b: 120 },
      noise: { type: "gaussian", mean: 120, sigma: 40 },
    },
  });
}
