import { describe, expect, it } from "vitest";
import {
  addGalleryItemInput,
  removeGalleryItemInput,
} from "../../../functions/src/contract/characters";
import {
  itemIdFromStoragePath,
  newGalleryItem,
} from "../../../functions/src/characters/gallery-model";

const valid = {
  characterId: "luna",
  type: "image",
  storagePath: "characters/luna/gallery/sunset.jpg",
};

describe("gallery items", () => {
  it("stores the given fields with empty variants and no views", () => {
    const input = addGalleryItemInput.parse({
      ...valid,
      caption: "Sunset",
      tags: ["sky"],
      premiumOnly: true,
    });
    expect(newGalleryItem(input)).toEqual({
      type: "image",
      storagePath: "characters/luna/gallery/sunset.jpg",
      caption: "Sunset",
      tags: ["sky"],
      premiumOnly: true,
      variants: {},
      viewCount: 0,
      viewCountRefreshedAtMs: null,
    });
  });

  it("defaults caption, tags and premiumOnly", () => {
    expect(addGalleryItemInput.parse(valid)).toMatchObject({
      caption: "",
      tags: [],
      premiumOnly: false,
    });
  });

  it("wants the file under the character's gallery folder", () => {
    for (const storagePath of [
      "characters/other/gallery/x.jpg",
      "characters/luna/gallery/",
      "characters/luna/avatar/x.png",
      "characters/luna/gallery/../../secret",
      "characters/luna/gallery//x.jpg",
      "user-content/u1/x.jpg",
    ]) {
      const result = addGalleryItemInput.safeParse({ ...valid, storagePath });
      expect(result.success, storagePath).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["storagePath"]);
    }
    expect(
      addGalleryItemInput.safeParse({ ...valid, storagePath: "characters/luna/gallery/2024/a.mp4" })
        .success,
    ).toBe(true);
  });

  it("refuses unknown types, bad tags, long captions and unknown keys", () => {
    expect(
      addGalleryItemInput.safeParse({ ...valid, type: "document" }).error?.issues[0]?.path,
    ).toEqual(["type"]);
    expect(
      addGalleryItemInput.safeParse({ ...valid, tags: ["Bad Tag!"] }).error?.issues[0]?.path,
    ).toEqual(["tags", 0]);
    expect(
      addGalleryItemInput.safeParse({ ...valid, caption: "x".repeat(501) }).error?.issues[0]?.path,
    ).toEqual(["caption"]);
    expect(addGalleryItemInput.safeParse({ ...valid, viewCount: 1000 }).success).toBe(false);
  });

  it("validates removal ids", () => {
    expect(
      removeGalleryItemInput.safeParse({ characterId: "luna", itemId: "AbC_123-x" }).success,
    ).toBe(true);
    expect(removeGalleryItemInput.safeParse({ characterId: "luna", itemId: "a/b" }).success).toBe(
      false,
    );
  });
});

describe("gallery item ids from storage paths", () => {
  it("takes the folder under gallery/ as the item id, so storage rules can find the item", () => {
    expect(itemIdFromStoragePath("luna", "characters/luna/gallery/moon-1/full.jpg")).toBe("moon-1");
    expect(itemIdFromStoragePath("luna", "characters/luna/gallery/sunset.jpg")).toBeNull();
    expect(itemIdFromStoragePath("luna", "characters/luna/gallery/bad id/a.jpg")).toBeNull();
  });
});
