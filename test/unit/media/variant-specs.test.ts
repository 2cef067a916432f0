import { describe, expect, it } from "vitest";
import {
  VARIANT_SPECS,
  isVariantPath,
  variantPathsFor,
} from "../../../functions/src/media/variant-specs";

describe("VARIANT_SPECS", () => {
  it("are the four sizes of the product spec", () => {
    expect(VARIANT_SPECS).toEqual([
      { name: "thumbnail", width: 150, height: 150, fit: "cover", quality: 80 },
      { name: "small", width: 400, height: 400, fit: "inside", quality: 85 },
      { name: "medium", width: 800, height: 800, fit: "inside", quality: 85 },
      { name: "large", width: 1200, height: 1200, fit: "inside", quality: 90 },
    ]);
  });
});

describe("variantPathsFor", () => {
  it("puts variants in a folder named after the original file, beside it", () => {
    expect(variantPathsFor("user-content/u1/photos/cat.jpg")).toEqual({
      thumbnail: "user-content/u1/photos/variants/cat.jpg/thumbnail.webp",
      small: "user-content/u1/photos/variants/cat.jpg/small.webp",
      medium: "user-content/u1/photos/variants/cat.jpg/medium.webp",
      large: "user-content/u1/photos/variants/cat.jpg/large.webp",
    });
  });

  it("keeps originals that differ only in extension apart", () => {
    const jpg = variantPathsFor("characters/c1/gallery/a.jpg").large;
    const png = variantPathsFor("characters/c1/gallery/a.png").large;
    expect(jpg).not.toBe(png);
  });

  it("handles a file with no extension or no folder", () => {
    expect(variantPathsFor("characters/c1/avatar/current").small).toBe(
      "characters/c1/avatar/variants/current/small.webp",
    );
    expect(variantPathsFor("top.png").small).toBe("variants/top.png/small.webp");
  });

  it("makes paths that are recognised as variants", () => {
    for (const path of Object.values(variantPathsFor("user-content/u1/x.webp"))) {
      expect(isVariantPath(path)).toBe(true);
    }
  });

  it("refuses a folder path and a variant path", () => {
    expect(() => variantPathsFor("user-content/u1/")).toThrow();
    expect(() => variantPathsFor("user-content/u1/variants/x.jpg/large.webp")).toThrow();
  });
});

describe("isVariantPath", () => {
  it.each([
    ["user-content/u1/variants/cat.jpg/large.webp", true],
    ["variants/a.png/small.webp", true],
    ["characters/c1/gallery/deep/variants/x/thumbnail.webp", true],
    ["user-content/u1/cat.jpg", false],
    ["user-content/u1/variants", false],
    ["user-content/u1/my-variants/cat.jpg", false],
    ["user-content/u1/variantsX/cat.jpg", false],
  ])("%s -> %s", (path, expected) => {
    expect(isVariantPath(path)).toBe(expected);
  });
});
