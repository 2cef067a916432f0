import { describe, expect, it } from "vitest";
import {
  BLOCKED_INPUT,
  BLOCKED_OUTPUT,
  blockedMessage,
  moderationDecision,
  moderationInput,
  moderationResultSchema,
} from "../../../functions/src/chat/core/moderation";

describe("moderationDecision", () => {
  it("allows content nothing flagged", () => {
    expect(
      moderationDecision({ flagged: false, categories: { violence: false, hate: false } }),
    ).toEqual({
      allowed: true,
    });
  });

  it("blocks flagged content and lists the categories that fired", () => {
    expect(
      moderationDecision({
        flagged: true,
        categories: { violence: true, hate: false, "self-harm": true },
      }),
    ).toEqual({ allowed: false, categories: ["self-harm", "violence"] });
  });

  it("blocks when a category fired even if the overall flag did not", () => {
    expect(moderationDecision({ flagged: false, categories: { "sexual/minors": true } })).toEqual({
      allowed: false,
      categories: ["sexual/minors"],
    });
  });

  it("reads a raw API result through its schema", () => {
    const raw: unknown = JSON.parse(
      '{"flagged":true,"categories":{"harassment":true,"illicit":null},"category_scores":{"harassment":0.9}}',
    );
    const parsed = moderationResultSchema.parse(raw);
    expect(moderationDecision(parsed)).toEqual({ allowed: false, categories: ["harassment"] });
  });
});

describe("blocked messages", () => {
  it("are friendly, distinct for input and output, and free of moderation jargon", () => {
    expect(blockedMessage("input")).toBe(BLOCKED_INPUT);
    expect(blockedMessage("output")).toBe(BLOCKED_OUTPUT);
    expect(BLOCKED_INPUT.code).not.toBe(BLOCKED_OUTPUT.code);
    for (const { message } of [BLOCKED_INPUT, BLOCKED_OUTPUT]) {
      expect(message).toMatch(/guidelines/);
      expect(message).not.toMatch(/openai|flagged|violence|harassment|categor/i);
    }
    expect(BLOCKED_INPUT.message).toMatch(/message/);
    expect(BLOCKED_OUTPUT.message).toMatch(/reply/);
  });
});

describe("moderationInput", () => {
  it("sends plain text as a string and a message with an image as parts", () => {
    expect(moderationInput("hello")).toBe("hello");
    expect(moderationInput("look", "https://img/a.png")).toEqual([
      { type: "text", text: "look" },
      { type: "image_url", image_url: { url: "https://img/a.png" } },
    ]);
    expect(moderationInput("", "https://img/a.png")).toEqual([
      { type: "image_url", image_url: { url: "https://img/a.png" } },
    ]);
  });
});
