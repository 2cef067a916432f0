// Turns one uploaded image into the WebP variants of VARIANT_SPECS.
//
// The original is decoded once: libvips shrinks JPEGs while decoding when the target allows
// it, the pixels are auto-rotated from EXIF and reduced to an intermediate just big enough
// for every variant (normally the 1200 px "large" one), kept as raw sRGB bytes, and each
// variant is resized and encoded from those bytes. Decoding the original once per variant
// instead costs 1.2-1.8x the CPU time (bench/image-variants.ts, docs/media.md).
//
// Outputs carry no metadata: sharp drops EXIF (GPS, camera), XMP, IPTC and ICC unless told
// to keep them. Colours stay right because pixels are converted to sRGB first (CMYK and
// wide-gamut profiles included) and an untagged image is shown as sRGB by browsers.
// Animated GIF/WebP: only the first frame is used. 16-bit input becomes 8-bit; alpha is kept.
import sharp from "sharp";
import { VARIANT_SPECS, type VariantName, type VariantSpec } from "./variant-specs";

/** 10000x10000 is the largest square accepted by default. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "avif";

export type VariantErrorCode = "unsupported-format" | "corrupt" | "too-many-pixels" | "empty";

export class VariantError extends Error {
  readonly code: VariantErrorCode;
  /** Safe to show to the uploader. */
  readonly reason: string;
  /** Decoder detail for logs only; never shown to users. */
  readonly detail: string | undefined;

  constructor(code: VariantErrorCode, reason: string, detail?: string) {
    super(reason);
    this.name = "VariantError";
    this.code = code;
    this.reason = reason;
    this.detail = detail;
  }
}

export interface MakeVariantsOptions {
  /** Images with more pixels (per frame) than this are refused before decoding. */
  maxPixels?: number;
}

export interface OriginalInfo {
  /** Width as displayed, i.e. after EXIF orientation is applied. */
  width: number;
  height: number;
  format: ImageFormat;
  /** EXIF orientation tag (1-8) when the original has one. */
  orientation?: number;
}

export interface Variant {
  name: VariantName;
  width: number;
  height: number;
  bytes: Buffer;
  contentType: "image/webp";
  size: number;
}

export interface VariantSet {
  original: OriginalInfo;
  variants: Variant[];
}

export async function makeVariants(
  input: Buffer,
  options: MakeVariantsOptions = {},
): Promise<VariantSet> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isSafeInteger(maxPixels) || maxPixels < 1) {
    throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  }
  if (input.length === 0) throw new VariantError("empty", "The file is empty.");
  const format = sniffFormat(input);
  if (format === undefined) {
    throw new VariantError(
      "unsupported-format",
      "This file is not a JPEG, PNG, WebP, GIF or AVIF image.",
    );
  }

  const header = await readHeader(input);
  // Header only: a small file can declare a huge canvas, so check before any pixel decoding.
  if (header.width * header.height > maxPixels) {
    const size = `${header.width}x${header.height}`;
    throw new VariantError(
      "too-many-pixels",
      `The image is too large (${size}); the limit is ${maxPixels} pixels.`,
    );
  }

  const intermediate = await decodeIntermediate(input, maxPixels, header.autoOrient);
  const variants = await encodeAll(intermediate);
  const original: OriginalInfo = {
    width: header.autoOrient.width,
    height: header.autoOrient.height,
    format,
  };
  if (header.orientation !== undefined) original.orientation = header.orientation;
  return { original, variants };
}

/** Recognises accepted formats by their first bytes, so text or SVG never reaches a decoder. */
function sniffFormat(bytes: Buffer): ImageFormat | undefined {
  const ascii = (start: number, end: number) => bytes.toString("latin1", start, end);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return "jpeg";
  }
  if (ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return "gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(4, 8) === "ftyp" && ftypBrands(bytes).some((b) => b === "avif" || b === "avis")) {
    return "avif";
  }
  // HEIC shares the container but needs an HEVC decoder that sharp's prebuilt libvips lacks.
  return undefined;
}

function ftypBrands(bytes: Buffer): string[] {
  const boxEnd = Math.min(bytes.length >= 4 ? bytes.readUInt32BE(0) : 0, bytes.length);
  const brands = [bytes.toString("latin1", 8, 12)];
  for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(bytes.toString("latin1", at, at + 4));
  return brands;
}

async function readHeader(input: Buffer): Promise<sharp.Metadata> {
  try {
    // No pixel limit here: the caller compares the size itself to raise a typed error.
    return await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw corrupt(error);
  }
}

/** Decoded, rotated sRGB pixels, just big enough for every variant. */
export interface RawImage {
  pixels: Buffer;
  width: number;
  height: number;
  channels: sharp.Channels;
}

/** Stage 1 of makeVariants; exported so the benchmark can time each stage on its own. */
export async function decodeIntermediate(
  input: Buffer,
  maxPixels: number,
  displayed: { width: number; height: number },
): Promise<RawImage> {
  try {
    const { data, info } = await sharp(input, {
      autoOrient: true,
      // 'error' refuses truncated or broken pixel data but tolerates harmless warnings
      // (stray bytes after the JPEG end marker and the like) that real cameras produce.
      failOn: "error",
      limitInputPixels: maxPixels,
      sequentialRead: true,
    })
      .resize(intermediateBox(displayed))
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { pixels: data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw corrupt(error);
  }
}

/**
 * The smallest size every variant can be made from without losing detail: the largest
 * "inside" box, unless the image is so elongated that a "cover" crop needs more pixels
 * along its short side (a 4000x300 panorama needs 150 px of height for its thumbnail).
 */
function intermediateBox(displayed: { width: number; height: number }): sharp.ResizeOptions {
  const longSide = Math.max(displayed.width, displayed.height);
  const shortSide = Math.min(displayed.width, displayed.height);
  let best: sharp.ResizeOptions = { width: 1, height: 1, fit: "inside" };
  let bestScale = 0;
  for (const spec of VARIANT_SPECS) {
    const scale =
      spec.fit === "inside"
        ? Math.min(spec.width, spec.height) / longSide
        : Math.max(spec.width, spec.height) / shortSide;
    if (scale > bestScale) {
      bestScale = scale;
      // "outside" keeps the aspect ratio and makes both sides at least the box: a cover
      // without the crop, so the crop can happen later per variant.
      const fit = spec.fit === "inside" ? "inside" : "outside";
      best = { width: spec.width, height: spec.height, fit };
    }
  }
  return { ...best, withoutEnlargement: true };
}

/**
 * Two lanes: the largest variant alone, the others one after another. The largest has
 * more pixels than the rest together, so it sets the finish time; giving it a core of its
 * own finishes sooner than four encoders sharing the cores, and uses no more threads than
 * a two-core machine has.
 */
async function encodeAll(image: RawImage): Promise<Variant[]> {
  const byArea = [...VARIANT_SPECS].sort((a, b) => b.width * b.height - a.width * a.height);
  const [largest, ...rest] = byArea;
  if (largest === undefined) return [];
  const encodeRest = async () => {
    const done: Variant[] = [];
    for (const spec of rest) done.push(await encodeVariant(image, spec));
    return done;
  };
  const [first, others] = await Promise.all([encodeVariant(image, largest), encodeRest()]);
  const found = new Map([first, ...others].map((variant) => [variant.name, variant]));
  return VARIANT_SPECS.flatMap((spec) => found.get(spec.name) ?? []);
}

/** Stage 2 of makeVariants, once per variant; exported for the benchmark like stage 1. */
export async function encodeVariant(image: RawImage, spec: VariantSpec): Promise<Variant> {
  const { data, info } = await sharp(image.pixels, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .resize(variantBox(image, spec))
    .webp({ quality: spec.quality })
    .toBuffer({ resolveWithObject: true });
  return {
    name: spec.name,
    width: info.width,
    height: info.height,
    bytes: data,
    contentType: "image/webp",
    size: data.length,
  };
}

/**
 * Variants are never enlarged. For a cover variant bigger than the image, that means the
 * largest centred crop with the variant's aspect ratio at full resolution: a 100x40 image
 * gets a 40x40 thumbnail, a 1x1 image a 1x1 one.
 */
function variantBox(
  image: { width: number; height: number },
  spec: VariantSpec,
): sharp.ResizeOptions {
  if (spec.fit === "inside") {
    return { width: spec.width, height: spec.height, fit: "inside", withoutEnlargement: true };
  }
  const coverScale = Math.max(spec.width / image.width, spec.height / image.height);
  if (coverScale <= 1) return { width: spec.width, height: spec.height, fit: "cover" };
  return {
    width: Math.max(1, Math.min(image.width, Math.round(spec.width / coverScale))),
    height: Math.max(1, Math.min(image.height, Math.round(spec.height / coverScale))),
    fit: "cover",
  };
}

function corrupt(error: unknown): VariantError {
  const detail = error instanceof Error ? error.message : String(error);
  const reason = "The image is damaged or incomplete and cannot be read.";
  return new VariantError("corrupt", reason, detail);
}
