import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_PIXELS,
  VariantError,
  makeVariants,
  type VariantErrorCode,
} from "../../../functions/src/media/variants";
import { noisy, pngHeaderOnly, solid } from "./images";

async function failure(input: Buffer, maxPixels?: number): Promise<VariantError> {
  const options = maxPixels === undefined ? {} : { maxPixels };
  const error: unknown = await makeVariants(input, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof VariantError)) {
    throw new Error(`expected a VariantError, got ${String(error)}`);
  }
  return error;
}

function expectCode(error: VariantError, code: VariantErrorCode) {
  expect(error.code).toBe(code);
  expect(error.message).toBe(error.reason);
  expect(error.reason.length).toBeGreaterThan(0);
}

describe("makeVariants: refused input", () => {
  it("refuses a zero-byte file", async () => {
    expectCode(await failure(Buffer.alloc(0)), "empty");
  });

  it.each([
    ["a text file", Buffer.from("hello, this is not a picture\n")],
    ["an SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')],
    ["an HEIC container", Buffer.from("\0\0\0\x18ftypheic\0\0\0\0mif1heic", "latin1")],
  ])("refuses %s as an unsupported format", async (_label, input) => {
    expectCode(await failure(input), "unsupported-format");
  });

  it("refuses TIFF, which uploads do not accept", async () => {
    const tiff = await solid(20, 20).tiff().toBuffer();
    expectCode(await failure(tiff), "unsupported-format");
  });

  it("refuses a truncated JPEG as corrupt, keeping decoder words out of the reason", async () => {
    const jpeg = await noisy(600, 400).jpeg().toBuffer();

    const error = await failure(jpeg.subarray(0, Math.floor(jpeg.length / 2)));

    expectCode(error, "corrupt");
    expect(error.detail).toBeTruthy();
    expect(error.reason).not.toContain(error.detail);
    expect(error.reason).not.toMatch(/vips|jpeg|premature/i);
  });

  it("refuses a truncated PNG as corrupt", async () => {
    const png = await noisy(600, 400).png().toBuffer();

    const error = await failure(png.subarray(0, Math.floor(png.length / 2)));

    expectCode(error, "corrupt");
    expect(error.reason).not.toMatch(/vips|png|stream/i);
  });

  it("refuses a JPEG cut inside its header", async () => {
    const jpeg = await solid(100, 100).jpeg().toBuffer();
    expectCode(await failure(jpeg.subarray(0, 40)), "corrupt");
  });
});

describe("makeVariants: pixel limit", () => {
  it("refuses an image over the limit from its header alone, before decoding pixels", async () => {
    // The pixel data is garbage, so any attempt to decode would report "corrupt" instead.
    const bomb = pngHeaderOnly(30_000, 30_000);

    const error = await failure(bomb);

    expectCode(error, "too-many-pixels");
  });

  it("accepts 10000x10000 by default and refuses one pixel row more", async () => {
    expect(DEFAULT_MAX_PIXELS).toBe(10_000 * 10_000);
    expectCode(await failure(pngHeaderOnly(10_000, 10_001)), "too-many-pixels");
    // Within the limit the header passes, so the garbage pixels are what fails.
    expectCode(await failure(pngHeaderOnly(10_000, 10_000)), "corrupt");
  });

  it("uses a configured limit", async () => {
    const jpeg = await solid(2000, 1500).jpeg().toBuffer();

    expectCode(await failure(jpeg, 2_999_999), "too-many-pixels");
    await expect(makeVariants(jpeg, { maxPixels: 3_000_000 })).resolves.toBeDefined();
  });

  it("rejects a limit that is not a positive integer", async () => {
    const png = await solid(10, 10).png().toBuffer();
    await expect(makeVariants(png, { maxPixels: 0 })).rejects.toThrow(RangeError);
    await expect(makeVariants(png, { maxPixels: 1.5 })).rejects.toThrow(RangeError);
  });
});
