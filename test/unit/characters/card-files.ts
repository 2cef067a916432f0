// Builds card files the way other apps write them, independently of the module under test:
// PNG chunks are written here by hand (CRC from node:zlib) and images come from sharp.
import { Buffer } from "node:buffer";
import { crc32 } from "node:zlib";
import sharp from "../../../functions/node_modules/sharp";

export function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const body = Buffer.concat([head.subarray(4), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([head.subarray(0, 4), body, crc]);
}

export interface RawChunk {
  type: string;
  data: Buffer;
}

/** Every chunk of a PNG, in order. */
export function listChunks(png: Uint8Array): RawChunk[] {
  const bytes = Buffer.from(png);
  const chunks: RawChunk[] = [];
  let offset = 8;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    chunks.push({ type, data: bytes.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
    if (type === "IEND") break;
  }
  return chunks;
}

/** The tEXt chunks of a PNG as [keyword, text] pairs. */
export function textChunks(png: Uint8Array): [string, string][] {
  return listChunks(png)
    .filter((c) => c.type === "tEXt")
    .map((c) => {
      const nul = c.data.indexOf(0);
      return [c.data.toString("latin1", 0, nul), c.data.toString("latin1", nul + 1)];
    });
}

/** `png` with tEXt chunks added just before IEND. */
export function withTextChunks(png: Uint8Array, texts: [string, string][]): Uint8Array {
  const bytes = Buffer.from(png);
  const iend = bytes.length - 12;
  const added = texts.map(([keyword, text]) =>
    chunk("tEXt", Buffer.from(`${keyword}\0${text}`, "latin1")),
  );
  return Buffer.concat([bytes.subarray(0, iend), ...added, bytes.subarray(iend)]);
}

export async function solidPng(
  width: number,
  height: number,
  rgb: [number, number, number],
): Promise<Uint8Array> {
  const [r, g, b] = rgb;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

export async function describePng(
  png: Uint8Array,
): Promise<{ width: number; height: number; pixels: Buffer }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: data };
}

/** A PNG card as another app writes it: an image with the given card chunks. */
export async function pngCard(chunks: { chara?: unknown; ccv3?: unknown }): Promise<Uint8Array> {
  const texts: [string, string][] = [];
  if (chunks.chara !== undefined) texts.push(["chara", base64Json(chunks.chara)]);
  if (chunks.ccv3 !== undefined) texts.push(["ccv3", base64Json(chunks.ccv3)]);
  return withTextChunks(await solidPng(16, 12, [30, 120, 200]), texts);
}
