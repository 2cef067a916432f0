// storage.rules admits exactly the formats the upload trigger accepts. The Storage emulator
// cannot run everywhere, so the lists themselves are compared here, from the rules' text.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AUDIO_CONTENT_TYPES,
  IMAGE_CONTENT_TYPES,
} from "../../../functions/src/media/upload-filter";

const rules = readFileSync(new URL("../../../storage.rules", import.meta.url), "utf8");

/** The content types listed in the rules function `name`. */
function typesIn(name: string): string[] {
  const body = new RegExp(`function ${name}\\(\\)\\s*\\{([^}]*)\\}`).exec(rules)?.[1] ?? "";
  const list = /contentTypeIn\(\[([^\]]*)\]\)/.exec(body)?.[1] ?? "";
  return [...list.matchAll(/'([^']*)'/g)].map((match) => match[1] ?? "");
}

describe("storage.rules content types", () => {
  it("admits exactly the image formats the trigger makes variants of", () => {
    expect(typesIn("isImage").sort()).toEqual([...IMAGE_CONTENT_TYPES].sort());
  });

  it("admits exactly the audio formats the trigger reads", () => {
    expect(typesIn("isAudio").sort()).toEqual([...AUDIO_CONTENT_TYPES].sort());
  });

  it("uses no content-type pattern (image/.+ would admit SVG)", () => {
    expect(rules).not.toMatch(/contentType[^;\n]*\.matches\(/);
    expect(typesIn("isImage")).not.toContain("image/svg+xml");
  });
});
