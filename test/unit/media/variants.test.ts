import { describe, expect, it } from "vitest";
import { makeVariants, type Variant } from "../../../functions/src/media/variants";
import { VARIANT_SPECS } from "../../../functions/src/media/variant-specs";
import sharp from "./sharp";
import {
  BLUE,
  GREEN,
  RED,
  colourName,
  decode,
  pixelAt,
  quadrantJpeg,
  quadrants,
  solid,
} from "./images";

function byName(variants: Variant[]) {
  return Object.fromEntries(variants.map((v) => [v.name, v]));
}

/** Name of the colour at the given fractional position of a variant. */
async function colourOf(variants: Variant[], name: string, fx = 0.5, fy = 0.5) {
  const variant = variants.find((v) => v.name === name);
  if (variant === undefined) throw new Error(`no ${name} variant`);
  return colourName(pixelAt(await decode(variant.bytes), fx, fy));
}

function sizes(variants: Variant[]) {
  return Object.fromEntries(variants.map((v) => [v.name, `${v.width}x${v.height}`]));
}

describe("makeVariants: orientation", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("shows EXIF orientation %i upright", async (orientation) => {
    const jpeg = await quadrantJpeg(640, 400, orientation);

    const { original, variants } = await makeVariants(jpeg);

    expect(original).toMatchObject({ width: 640, height: 400, format: "jpeg", orientation });
    for (const variant of variants) {
      const pixels = await decode(variant.bytes);
      expect(pixels.width, variant.name).toBeGreaterThanOrEqual(pixels.height);
      expect(quadrants(pixels), variant.name).toEqual({
        topLeft: "red",
        topRight: "green",
        bottomRight: "blue",
        bottomLeft: "white",
      });
    }
  });
});

describe("makeVariants: sizes", () => {
  it("makes the four WebP variants of the spec from a large photo", async () => {
    const jpeg = await solid(3000, 2000).jpeg().toBuffer();

    const { variants } = await makeVariants(jpeg);

    expect(sizes(variants)).toEqual({
      thumbnail: "150x150",
      small: "400x267",
      medium: "800x533",
      large: "1200x800",
    });
    for (const variant of variants) {
      const meta = await sharp(variant.bytes).metadata();
      expect(meta.format).toBe("webp");
      expect([meta.width, meta.height]).toEqual([variant.width, variant.height]);
      expect(variant.contentType).toBe("image/webp");
      expect(variant.size).toBe(variant.bytes.length);
    }
  });

  it.each([
    [4001, 2999, 1],
    [4000, 3000, 6],
    [4000, 300, 1],
    [300, 4000, 8],
    [1333, 999, 5],
    [1201, 901, 1],
  ])("matches one decode per size (%ix%i, orientation %i)", async (w, h, orientation) => {
    const jpeg = await solid(w, h).jpeg().withMetadata({ orientation }).toBuffer();

    const { variants } = await makeVariants(jpeg);

    for (const spec of VARIANT_SPECS) {
      const { info } = await sharp(jpeg)
        .rotate()
        .resize(spec.width, spec.height, { fit: spec.fit, withoutEnlargement: true })
        .toBuffer({ resolveWithObject: true });
      const variant = byName(variants)[spec.name];
      expect(Math.abs((variant?.width ?? 0) - info.width), spec.name).toBeLessThanOrEqual(1);
      expect(Math.abs((variant?.height ?? 0) - info.height), spec.name).toBeLessThanOrEqual(1);
    }
  });

  it("never enlarges a small image; its thumbnail is still a 150x150 crop", async () => {
    const png = await solid(300, 200).png().toBuffer();

    const { variants } = await makeVariants(png);

    expect(sizes(variants)).toEqual({
      thumbnail: "150x150",
      small: "300x200",
      medium: "300x200",
      large: "300x200",
    });
  });

  it("gives an image narrower than 150 px a square thumbnail of its short side", async () => {
    const png = await solid(100, 40).png().toBuffer();

    const { variants } = await makeVariants(png);

    expect(sizes(variants)).toEqual({
      thumbnail: "40x40",
      small: "100x40",
      medium: "100x40",
      large: "100x40",
    });
  });

  it("turns a 1x1 image into 1x1 variants", async () => {
    const png = await solid(1, 1, RED).png().toBuffer();

    const { original, variants } = await makeVariants(png);

    expect(original).toEqual({ width: 1, height: 1, format: "png" });
    expect(sizes(variants)).toEqual({
      thumbnail: "1x1",
      small: "1x1",
      medium: "1x1",
      large: "1x1",
    });
    expect(await colourOf(variants, "large")).toBe("red");
  });

  it("handles a 10000x10000 image", async () => {
    const jpeg = await solid(10_000, 10_000).jpeg().toBuffer();

    const { original, variants } = await makeVariants(jpeg);

    expect(original).toMatchObject({ width: 10_000, height: 10_000 });
    expect(sizes(variants)).toEqual({
      thumbnail: "150x150",
      small: "400x400",
      medium: "800x800",
      large: "1200x1200",
    });
  });
});

describe("makeVariants: formats and colour", () => {
  it("keeps transparency from a PNG with alpha", async () => {
    // Left half fully transparent, right half opaque red.
    const [w, h] = [200, 100];
    const rgba = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) if (i % w >= w / 2) rgba.set([255, 0, 0, 255], i * 4);
    const png = await sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
      .png()
      .toBuffer();

    const { variants } = await makeVariants(png);

    for (const variant of variants) {
      expect((await sharp(variant.bytes).metadata()).hasAlpha).toBe(true);
      const pixels = await decode(variant.bytes);
      expect(pixelAt(pixels, 0.1, 0.5)[3], `${variant.name} left`).toBeLessThan(10);
      const right = pixelAt(pixels, 0.9, 0.5);
      expect(right[3], `${variant.name} right`).toBe(255);
      expect(colourName(right), `${variant.name} right`).toBe("red");
    }
  });

  it("reads WebP input", async () => {
    const webp = await solid(500, 300, GREEN).webp({ lossless: true }).toBuffer();

    const { original, variants } = await makeVariants(webp);

    expect(original).toEqual({ width: 500, height: 300, format: "webp" });
    expect(await colourOf(variants, "small")).toBe("green");
  });

  it("reads AVIF input", async () => {
    const avif = await solid(300, 200, BLUE).avif().toBuffer();

    const { original, variants } = await makeVariants(avif);

    expect(original).toEqual({ width: 300, height: 200, format: "avif" });
    expect(await colourOf(variants, "large")).toBe("blue");
  });

  it.each(["gif", "webp"] as const)("uses the first frame of an animated %s", async (format) => {
    const [w, h] = [60, 40];
    const frames = Buffer.concat(
      [RED, GREEN, BLUE].map((rgb) => Buffer.alloc(w * h * 3).map((_, i) => rgb[i % 3] ?? 0)),
    );
    const animated = await sharp(frames, {
      raw: { width: w, height: h * 3, channels: 3, pageHeight: h },
    })
      .toFormat(format, { loop: 0 })
      .toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(3);

    const { original, variants } = await makeVariants(animated);

    expect(original).toMatchObject({ width: w, height: h, format });
    for (const variant of variants) {
      expect((await sharp(variant.bytes).metadata()).pages ?? 1).toBe(1);
      expect(colourName(pixelAt(await decode(variant.bytes), 0.5, 0.5)), variant.name).toBe("red");
    }
  });

  it("converts a CMYK JPEG to sRGB with the right colours", async () => {
    const cmyk = await solid(400, 300, RED).toColourspace("cmyk").jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe("cmyk");

    const { variants } = await makeVariants(cmyk);

    for (const variant of variants) {
      const meta = await sharp(variant.bytes).metadata();
      expect(meta.space).toBe("srgb");
      expect(meta.channels).toBe(3);
      const [r = 0, g = 0, b = 0] = pixelAt(await decode(variant.bytes), 0.5, 0.5);
      expect(r).toBeGreaterThan(200);
      expect(g).toBeLessThan(60);
      expect(b).toBeLessThan(60);
    }
  });

  it("converts a Display P3 image so it looks the same without a profile", async () => {
    // Pure sRGB red stored as Display P3 numbers with a P3 profile attached.
    const p3 = await solid(300, 200, RED).withIccProfile("p3").png().toBuffer();
    const asStored = await sharp(p3, { ignoreIcc: true }).png().toBuffer();
    const stored = pixelAt(await decode(asStored), 0.5, 0.5);
    expect(stored[0]).toBeLessThan(245);

    const { variants } = await makeVariants(p3);

    const large = byName(variants).large?.bytes ?? Buffer.alloc(0);
    expect((await sharp(large).metadata()).hasProfile).toBe(false);
    const [r = 0, g = 0, b = 0] = pixelAt(await decode(large), 0.5, 0.5);
    expect(r).toBeGreaterThan(245);
    expect(g + b).toBeLessThan(20);
  });

  it("turns a 16-bit PNG into 8-bit WebP with the right colours", async () => {
    const png16 = await solid(400, 300, [255, 128, 0]).toColourspace("rgb16").png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe("ushort");

    const { variants } = await makeVariants(png16);

    for (const variant of variants) {
      expect((await sharp(variant.bytes).metadata()).depth).toBe("uchar");
      const [r = 0, g = 0, b = 0] = pixelAt(await decode(variant.bytes), 0.5, 0.5);
      expect(r).toBeGreaterThan(240);
      expect(Math.abs(g - 128)).toBeLessThan(12);
      expect(b).toBeLessThan(15);
    }
  });

  it("strips EXIF (camera, GPS), XMP and ICC metadata from every variant", async () => {
    const jpeg = await solid(800, 600)
      .jpeg()
      .withIccProfile("p3")
      .withExif({
        IFD0: { Make: "TestCam", Model: "Secret Model", Artist: "Jane Doe" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .toBuffer();
    const input = await sharp(jpeg).metadata();
    expect(input.exif?.toString("latin1")).toContain("TestCam");
    expect(input.icc).toBeDefined();
    expect(input.xmp).toBeDefined();

    const { variants } = await makeVariants(jpeg);

    for (const variant of variants) {
      const meta = await sharp(variant.bytes).metadata();
      expect(meta.exif, variant.name).toBeUndefined();
      expect(meta.icc, variant.name).toBeUndefined();
      expect(meta.xmp, variant.name).toBeUndefined();
      expect(meta.iptc, variant.name).toBeUndefined();
      expect(variant.bytes.toString("latin1")).not.toContain("TestCam");
    }
  });
});
