import { describe, expect, it } from "vitest";
import { encodeChat as encodeChatO200k } from "../../../functions/node_modules/gpt-tokenizer/esm/encoding/o200k_base.js";
import { encodeChat as encodeChatCl100k } from "../../../functions/node_modules/gpt-tokenizer/esm/encoding/cl100k_base.js";
import type { ChatMessage } from "../../../functions/src/chat/core/chat-message";
import {
  countMessageTokens,
  countOneMessage,
  countTextTokens,
  encodingForModel,
  keepFirstTokens,
  keepLastTokens,
} from "../../../functions/src/chat/core/tokens";

// Plain-text messages, a shape both this backend and the tokenizer library accept.
const chat: { role: "system" | "user" | "assistant"; content: string }[] = [
  { role: "system", content: "You are Mira, a lighthouse keeper. Stay in character." },
  { role: "user", content: "Good evening! Is the lamp lit yet?" },
  { role: "assistant", content: "Not yet, the wick needs trimming first." },
  { role: "user", content: "Can I help? 🙂 Ich helfe gern." },
];

describe("encodingForModel", () => {
  it.each([
    ["gpt-4o", "o200k_base"],
    ["gpt-4o-mini-2024-07-18", "o200k_base"],
    ["gpt-4.1-nano", "o200k_base"],
    ["o3-mini", "o200k_base"],
    ["o1", "o200k_base"],
    ["gpt-5", "o200k_base"],
    ["gpt-5.1-chat-latest", "o200k_base"],
    ["openai/gpt-4o", "o200k_base"],
    ["GPT-4o", "o200k_base"],
    ["gpt-4", "cl100k_base"],
    ["gpt-4-turbo", "cl100k_base"],
    ["gpt-3.5-turbo-0125", "cl100k_base"],
    ["llama3.1:8b", "cl100k_base"],
    ["", "cl100k_base"],
  ])("%s uses %s", (model, encoding) => {
    expect(encodingForModel(model)).toBe(encoding);
  });
});

describe("countMessageTokens", () => {
  // The tokenizer library's own chat encoder implements the same OpenAI chat format
  // independently; agreeing with it checks the per-message overhead.
  it("matches the chat encoder for o200k models", () => {
    expect(countMessageTokens(chat, "gpt-4o")).toBe(encodeChatO200k(chat, "gpt-4o").length);
  });

  it("matches the chat encoder for cl100k models", () => {
    expect(countMessageTokens(chat, "gpt-4")).toBe(encodeChatCl100k(chat, "gpt-4").length);
  });

  it("adds 3 framing tokens per message plus the role, and 3 for the reply", () => {
    const one: ChatMessage = { role: "user", content: "hello there" };
    expect(countOneMessage(one, "gpt-4o")).toBe(
      3 + countTextTokens("user", "gpt-4o") + countTextTokens("hello there", "gpt-4o"),
    );
    expect(countMessageTokens([one], "gpt-4o")).toBe(countOneMessage(one, "gpt-4o") + 3);
    expect(countMessageTokens([], "gpt-4o")).toBe(3);
  });

  it("is additive over messages", () => {
    const sum = chat.reduce((total, message) => total + countOneMessage(message, "gpt-4o-mini"), 3);
    expect(countMessageTokens(chat, "gpt-4o-mini")).toBe(sum);
  });

  it("counts text parts and a fixed cost per image", () => {
    const parts: ChatMessage = {
      role: "user",
      content: [
        { type: "text", text: "Look at this" },
        { type: "image_url", image_url: { url: "https://img/a.png", detail: "low" } },
      ],
    };
    const plain: ChatMessage = { role: "user", content: "Look at this" };
    expect(countOneMessage(parts, "gpt-4o") - countOneMessage(plain, "gpt-4o")).toBe(85);
    // A model that cannot see images is never charged for one.
    expect(countOneMessage(parts, "gpt-3.5-turbo") - countOneMessage(plain, "gpt-3.5-turbo")).toBe(
      0,
    );
  });

  it("uses different vocabularies for different model families", () => {
    const text = "Привет! Как дела у маяка сегодня вечером? これはテストです。";
    expect(countTextTokens(text, "gpt-4o")).not.toBe(countTextTokens(text, "gpt-4"));
  });

  it("reads special-token text in user input as plain text instead of throwing", () => {
    expect(countTextTokens("ignore <|endoftext|> this", "gpt-4o")).toBeGreaterThan(3);
    expect(countTextTokens("<|im_start|>system", "gpt-4")).toBeGreaterThan(2);
  });
});

describe("keepLastTokens / keepFirstTokens", () => {
  const text = "one two three four five six seven eight nine ten";

  it("keeps the end or the start, within the token limit", () => {
    const end = keepLastTokens(text, 3, "gpt-4o");
    expect(text.endsWith(end)).toBe(true);
    expect(countTextTokens(end, "gpt-4o")).toBeLessThanOrEqual(3);
    const start = keepFirstTokens(text, 3, "gpt-4o");
    expect(text.startsWith(start)).toBe(true);
    expect(countTextTokens(start, "gpt-4o")).toBeLessThanOrEqual(3);
  });

  it("returns short text unchanged and nothing for a zero limit", () => {
    expect(keepLastTokens("short", 50, "gpt-4o")).toBe("short");
    expect(keepLastTokens(text, 0, "gpt-4o")).toBe("");
    expect(keepFirstTokens(text, 0, "gpt-4o")).toBe("");
  });
});
