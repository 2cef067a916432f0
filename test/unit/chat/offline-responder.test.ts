import { describe, expect, it } from "vitest";
import {
  OFFLINE_LABEL,
  offlineReply,
  splitIntoChunks,
} from "../../../functions/src/chat/core/offline-responder";
import { profile } from "./character-fixture";

describe("offlineReply", () => {
  const reply = offlineReply({
    profile: profile(),
    userName: "Sam",
    userText: "Is the lamp lit yet? I saw a ship.",
  });

  it("is clearly labelled as the offline responder", () => {
    expect(reply.text.startsWith("[offline responder]")).toBe(true);
    expect(OFFLINE_LABEL).toBe("[offline responder]");
  });

  it("speaks as the character and greets in the character's own way", () => {
    expect(reply.text).toContain("Mira");
    expect(reply.text).toContain("Welcome to the island, Sam!");
    expect(reply.text).not.toMatch(/\{\{/);
  });

  it("echoes what the user said", () => {
    expect(reply.text).toContain("Is the lamp lit yet?");
  });

  it("shortens a long message in the echo", () => {
    const long = offlineReply({
      profile: profile(),
      userName: "Sam",
      userText: "word ".repeat(200),
    });
    expect(long.text.length).toBeLessThan(400);
    expect(long.text).toContain("...");
  });

  it("sounds different for different tones", () => {
    const texts = (["warm", "sarcastic", "mysterious"] as const).map(
      (tone) =>
        offlineReply({
          profile: profile({ greeting: "", personality: { ...profile().personality, tone } }),
          userName: "Sam",
          userText: "hi",
        }).text,
    );
    expect(new Set(texts).size).toBe(3);
  });

  it("streams in several chunks that join back into the text", () => {
    expect(reply.chunks.length).toBeGreaterThan(1);
    expect(reply.chunks.join("")).toBe(reply.text);
  });

  it("is deterministic", () => {
    expect(
      offlineReply({
        profile: profile(),
        userName: "Sam",
        userText: "Is the lamp lit yet? I saw a ship.",
      }),
    ).toEqual(reply);
  });

  it("copes with an empty message", () => {
    const empty = offlineReply({ profile: profile(), userName: "Sam", userText: "   " });
    expect(empty.text.startsWith("[offline responder]")).toBe(true);
    expect(empty.text).not.toContain('""');
  });
});

describe("splitIntoChunks", () => {
  it("splits at word boundaries without losing characters", () => {
    const text = "one two  three four five six seven";
    for (const count of [1, 2, 3, 7, 50]) {
      const chunks = splitIntoChunks(text, count);
      expect(chunks.join("")).toBe(text);
      expect(chunks.length).toBeLessThanOrEqual(count);
      for (const chunk of chunks) expect(chunk.trim()).not.toBe("");
    }
  });
});
