// The AI callables (the spec's /api/ai): status, models, estimates, admin test generation
// and usage statistics.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callError, signUpAdmin } from "../helpers/admin";
import { sendText, waitForFinalReply } from "../helpers/chat";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});

describe("AI callables", () => {
  it("report status and the model table to signed-in users", async () => {
    const user = await signUp("curious");
    expect(await user.call("aiStatus", {})).toMatchObject({
      enabled: true,
      mode: "provider",
      defaultModel: "gpt-4o-mini",
    });
    const { models } = await user.call<{
      models: { id: string; contextWindow: number; pricePerMillionTokens: { input: number } }[];
    }>("listModels", {});
    const mini = models.find((model) => model.id === "gpt-4o-mini");
    expect(mini?.contextWindow).toBeGreaterThan(100_000);
    expect(mini?.pricePerMillionTokens.input).toBeGreaterThan(0);
  });

  it("estimates the cost of a text with the real tokenizer", async () => {
    const user = await signUp("thrifty");
    const short = await user.call<{ promptTokens: number; usd: number }>("estimateCost", {
      text: "hi",
      expectedReplyTokens: 0,
    });
    const long = await user.call<{ promptTokens: number; usd: number }>("estimateCost", {
      text: "hello there ".repeat(200),
      expectedReplyTokens: 0,
    });
    expect(long.promptTokens).toBeGreaterThan(short.promptTokens * 20);
    expect(long.usd).toBeGreaterThan(short.usd);
  });

  it("lets admins test a character's settings and read usage per day, user and character", async () => {
    const user = await signUp("talker");
    const { conversationId, messageId } = await sendText(user, "luna", "hello there [[words:6]]");
    expect((await waitForFinalReply(user, conversationId, messageId)).get("status")).toBe(
      "complete",
    );
    expect(
      (await callError(user.call("testGeneration", { characterId: "luna", message: "hi" }))).code,
    ).toBe("functions/permission-denied");
    const admin = await signUpAdmin();
    const test = await admin.call<{ text: string; usage: { promptTokens: number } | null }>(
      "testGeneration",
      {
        characterId: "luna",
        message: "Introduce yourself [[words:5]]",
      },
    );
    expect(test.text.split(/\s+/)).toHaveLength(5);
    expect(test.usage?.promptTokens).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const stats = await admin.call<{
      total: { replies: number; costUsd: number };
      users: { id: string }[];
      characters: { id: string }[];
    }>("aiUsageStats", { from: today, to: today });
    expect(stats.total.replies).toBe(1);
    expect(stats.total.costUsd).toBeGreaterThan(0);
    expect(stats.users.map((entry) => entry.id)).toEqual([user.user.uid]);
    expect(stats.characters.map((entry) => entry.id)).toEqual(["luna"]);
    const bad = await callError(
      admin.call("aiUsageStats", { from: "2026-01-01", to: "2026-06-01" }),
    );
    expect(bad.code).toBe("functions/invalid-argument");
  });
});
