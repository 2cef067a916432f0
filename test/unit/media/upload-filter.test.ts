import { describe, expect, it } from "vitest";
import {
  AUDIO_CONTENT_TYPES,
  IMAGE_CONTENT_TYPES,
  MAX_AUDIO_BYTES,
  MAX_IMAGE_BYTES,
  decideUpload,
  type UploadedObject,
} from "../../../functions/src/media/upload-filter";
import sharp from "./sharp";

const photo = (over: Partial<UploadedObject> = {}): UploadedObject => ({
  name: "user-content/u1/photos/cat.jpg",
  contentType: "image/jpeg",
  size: 2_000_000,
  ...over,
});

/** The action decided for a photo upload changed by `over`. */
const actionFor = (over: Partial<UploadedObject>) => decideUpload(photo(over)).action;

describe("decideUpload: loop guard", () => {
  it.each([
    "user-content/u1/photos/variants/cat.jpg/large.webp",
    "characters/c1/gallery/variants/a.png/thumbnail.webp",
    "characters/c1/avatar/variants/me.png/small.webp",
  ])("skips the variant %s", (name) => {
    expect(actionFor({ name, contentType: "image/webp" })).toBe("skip");
  });

  it("skips an object marked as a variant wherever it is", () => {
    const decision = decideUpload(photo({ metadata: { aichatVariant: "true" } }));
    expect(decision).toMatchObject({ action: "skip" });
  });

  it("processes an object whose variant marker is not 'true'", () => {
    const decision = decideUpload(photo({ metadata: { aichatVariant: "false" } }));
    expect(decision).toMatchObject({ action: "process" });
  });

  it.each(["corrupt", "too-many-pixels", ""])("skips an original marked failed (%j)", (code) => {
    expect(actionFor({ metadata: { aichatFailed: code } })).toBe("skip");
  });

  it("skips the trigger's own writes even when they would otherwise be rejected", () => {
    const oversizedVariant = photo({
      name: "user-content/u1/variants/x.jpg/large.webp",
      contentType: "application/octet-stream",
      size: 0,
    });
    const failedAndHuge = photo({
      size: MAX_IMAGE_BYTES * 3,
      metadata: { aichatFailed: "corrupt" },
    });
    expect(decideUpload(oversizedVariant)).toMatchObject({ action: "skip" });
    expect(decideUpload(failedAndHuge)).toMatchObject({ action: "skip" });
  });
});

describe("decideUpload: owners", () => {
  it.each([
    ["user-content/u1/cat.jpg", { type: "user", uid: "u1", avatar: false }],
    ["user-content/Ab_9-z/deep/er/cat.jpg", { type: "user", uid: "Ab_9-z", avatar: false }],
    ["user-content/u1/avatars/me.png", { type: "user", uid: "u1", avatar: true }],
    ["characters/c-1/gallery/pic.png", { type: "character", characterId: "c-1", scope: "gallery" }],
    [
      "characters/c_2/gallery/2024/pic.png",
      { type: "character", characterId: "c_2", scope: "gallery" },
    ],
    ["characters/C3/avatar/me.png", { type: "character", characterId: "C3", scope: "avatar" }],
  ])("%s belongs to %j", (name, owner) => {
    expect(decideUpload(photo({ name }))).toEqual({ action: "process", kind: "image", owner });
  });

  it("accepts an id of 128 characters and rejects one of 129", () => {
    const ok = "a".repeat(128);
    expect(actionFor({ name: `user-content/${ok}/x.jpg` })).toBe("process");
    expect(actionFor({ name: `characters/${ok}x/avatar/x.jpg` })).toBe("reject");
  });

  it.each([
    "avatars/u1/cat.jpg",
    "User-content/u1/cat.jpg",
    "characters/c1/cards/card.png",
    "characters/c1/avatar-old/me.png",
    "characters/c1",
    "public/logo.png",
    "cat.jpg",
  ])("skips %s, which is outside the media folders", (name) => {
    expect(actionFor({ name })).toBe("skip");
  });

  it.each(["user-content/u1/photos/", "characters/c1/gallery/"])(
    "skips the folder placeholder %s",
    (name) => {
      expect(actionFor({ name, size: 0 })).toBe("skip");
    },
  );

  it.each([
    ["an empty owner id", "user-content//cat.jpg"],
    ["an empty character id", "characters//gallery/pic.png"],
    ["an empty segment", "user-content/u1//cat.jpg"],
    ["a '..' segment", "user-content/u1/../u2/cat.jpg"],
    ["a '..' owner id", "user-content/../cat.jpg"],
    ["a '.' segment", "characters/c1/gallery/./pic.png"],
    ["an id with a dot", "user-content/u.1/cat.jpg"],
    ["an id with a space", "characters/c 1/avatar/me.png"],
    ["an id with a non-ASCII letter", "user-content/ü1/cat.jpg"],
    ["no file under the user folder", "user-content/u1"],
    ["no file under the scope", "characters/c1/gallery"],
  ])("rejects a path with %s", (_label, name) => {
    expect(actionFor({ name })).toBe("reject");
  });
});

describe("decideUpload: types and sizes", () => {
  it.each([...IMAGE_CONTENT_TYPES])("processes %s as an image", (contentType) => {
    const decision = decideUpload(photo({ contentType }));
    expect(decision).toMatchObject({ action: "process", kind: "image" });
  });

  it.each([...AUDIO_CONTENT_TYPES])("processes %s as audio", (contentType) => {
    const decision = decideUpload(photo({ name: "user-content/u1/voice/clip", contentType }));
    expect(decision).toMatchObject({ action: "process", kind: "audio" });
  });

  it("lists the image and audio types of the spec, without HEIC", () => {
    expect([...IMAGE_CONTENT_TYPES].sort()).toEqual([
      "image/avif",
      "image/gif",
      "image/jpeg",
      "image/png",
      "image/webp",
    ]);
    expect([...AUDIO_CONTENT_TYPES].sort()).toEqual([
      "audio/aac",
      "audio/flac",
      "audio/mp4",
      "audio/mpeg",
      "audio/ogg",
      "audio/wav",
      "audio/webm",
      "audio/x-wav",
    ]);
  });

  it("accepts only image types the installed sharp can decode from a buffer", () => {
    const decoders: Record<string, boolean> = {
      "image/jpeg": sharp.format.jpeg.input.buffer,
      "image/png": sharp.format.png.input.buffer,
      "image/webp": sharp.format.webp.input.buffer,
      "image/gif": sharp.format.gif.input.buffer,
      "image/avif": sharp.format.heif.input.fileSuffix?.includes(".avif") ?? false,
    };
    for (const type of IMAGE_CONTENT_TYPES) expect(decoders[type], type).toBe(true);
    // HEIC is refused because this sharp build cannot read it; revisit if that changes.
    expect(sharp.format.heif.input.fileSuffix ?? []).not.toContain(".heic");
  });

  it.each(["image/heic", "image/heif", "image/svg+xml", "image/tiff", "image/bmp"])(
    "rejects the image type %s",
    (contentType) => {
      expect(actionFor({ contentType })).toBe("reject");
    },
  );

  const notMedia = ["application/pdf", "text/plain", "video/mp4", "application/octet-stream"];
  it.each([...notMedia, "", undefined])("rejects the content type %j", (contentType) => {
    expect(actionFor({ contentType })).toBe("reject");
  });

  it("reads content types without case or parameters", () => {
    expect(actionFor({ contentType: "Image/JPEG" })).toBe("process");
    expect(decideUpload(photo({ contentType: "audio/ogg; codecs=opus" }))).toMatchObject({
      action: "process",
      kind: "audio",
    });
  });

  it("accepts an image of exactly 10 MiB and rejects one byte more", () => {
    expect(MAX_IMAGE_BYTES).toBe(10 * 1024 * 1024);
    expect(actionFor({ size: MAX_IMAGE_BYTES })).toBe("process");
    expect(actionFor({ size: MAX_IMAGE_BYTES + 1 })).toBe("reject");
  });

  it("accepts audio of exactly 50 MiB and rejects one byte more", () => {
    const clip = (size: number) =>
      photo({ name: "user-content/u1/a.mp3", contentType: "audio/mpeg", size });
    expect(MAX_AUDIO_BYTES).toBe(50 * 1024 * 1024);
    expect(decideUpload(clip(MAX_AUDIO_BYTES))).toMatchObject({ action: "process" });
    expect(decideUpload(clip(MAX_AUDIO_BYTES + 1))).toMatchObject({ action: "reject" });
  });

  it("lets audio be larger than an image may be", () => {
    const size = MAX_IMAGE_BYTES + 1;
    expect(actionFor({ size, contentType: "audio/wav" })).toBe("process");
    expect(actionFor({ size, contentType: "image/png" })).toBe("reject");
  });

  it.each([0, -1, Number.NaN])("rejects a size of %s", (size) => {
    expect(actionFor({ size })).toBe("reject");
  });

  it("accepts audio in a character gallery but not as an avatar", () => {
    const audio = { contentType: "audio/mpeg" };
    const inGallery = decideUpload(photo({ ...audio, name: "characters/c1/gallery/theme.mp3" }));
    expect(inGallery).toMatchObject({ action: "process", kind: "audio" });
    expect(actionFor({ ...audio, name: "characters/c1/avatar/theme.mp3" })).toBe("reject");
  });

  it("accepts a user's audio anywhere in their folder but in avatars/", () => {
    const audio = { contentType: "audio/mpeg" };
    expect(actionFor({ ...audio, name: "user-content/u1/voice/m1.mp3" })).toBe("process");
    expect(actionFor({ ...audio, name: "user-content/u1/avatars/me.mp3" })).toBe("reject");
    expect(actionFor({ ...audio, name: "user-content/u1/avatars/old/me.mp3" })).toBe("reject");
  });

  it("explains every rejection", () => {
    const decision = decideUpload(photo({ contentType: "text/plain" }));
    expect(decision.action === "reject" && decision.reason).toMatch(/text\/plain/);
  });
});
