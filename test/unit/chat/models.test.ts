import { describe, expect, it } from "vitest";
import { estimateCost } from "../../../functions/src/chat/core/cost-estimate";
import {
  costOf,
  imageTokenCost,
  knownModels,
  lookupModel,
  modelSupportsVision,
} from "../../../functions/src/chat/core/models";
import { countMessageTokens } from "../../../functions/src/chat/core/tokens";

const MILLION = 1_000_000;

describe("the model table", () => {
  it("covers the models the app offers", () => {
    const ids = knownModels().map((model) => model.id);
    for (const id of [
      "gpt-4o",
      "gpt-4o-mini",
      "gpt-4.1",
      "gpt-4.1-mini",
      "gpt-4.1-nano",
      "gpt-4-turbo",
      "gpt-4",
      "gpt-3.5-turbo",
    ]) {
      expect(ids).toContain(id);
    }
  });

  it("has sane limits and prices for every model", () => {
    for (const model of knownModels()) {
      expect(model.contextWindow).toBeGreaterThanOrEqual(model.maxOutputTokens);
      expect(model.price.input).toBeGreaterThan(0);
      expect(model.price.output).toBeGreaterThanOrEqual(model.price.input);
      if (model.price.cachedInput !== null)
        expect(model.price.cachedInput).toBeLessThan(model.price.input);
      expect(model.vision ? model.imageTokens > 0 : model.imageTokens === 0).toBe(true);
    }
  });

  it("resolves dated snapshots to their family and never confuses families", () => {
    expect(lookupModel("gpt-4o-2024-08-06")?.id).toBe("gpt-4o");
    expect(lookupModel("gpt-4o-mini-2024-07-18")?.id).toBe("gpt-4o-mini");
    expect(lookupModel("gpt-4.1-mini-2025-04-14")?.id).toBe("gpt-4.1-mini");
    expect(lookupModel("gpt-4-0613")?.id).toBe("gpt-4");
    expect(lookupModel("gpt-3.5-turbo-0125")?.id).toBe("gpt-3.5-turbo");
    expect(lookupModel("gpt-4-turbo-2024-04-09")?.id).toBe("gpt-4-turbo");
    expect(lookupModel("openai/GPT-4o")?.id).toBe("gpt-4o");
    expect(lookupModel("gpt-4o-audio-preview")).toBeUndefined();
    expect(lookupModel("llama3")).toBeUndefined();
  });

  it("knows which models can see images", () => {
    expect(modelSupportsVision("gpt-4o")).toBe(true);
    expect(modelSupportsVision("gpt-4.1-nano")).toBe(true);
    expect(modelSupportsVision("gpt-4-turbo")).toBe(true);
    expect(modelSupportsVision("gpt-4")).toBe(false);
    expect(modelSupportsVision("gpt-3.5-turbo")).toBe(false);
    expect(modelSupportsVision("some-local-model")).toBe(false);
    expect(imageTokenCost("some-local-model")).toBe(0);
  });
});

describe("costOf", () => {
  it("bills a million input tokens at the listed input price", () => {
    for (const model of knownModels()) {
      const cost = costOf(model.id, {
        promptTokens: MILLION,
        cachedTokens: 0,
        completionTokens: 0,
      });
      expect(cost).toEqual({ usd: model.price.input, priced: true });
      const output = costOf(model.id, {
        promptTokens: 0,
        cachedTokens: 0,
        completionTokens: MILLION,
      });
      expect(output.usd).toBeCloseTo(model.price.output, 10);
    }
  });

  it("adds input, cached input and output at their own rates", () => {
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per 1M tokens.
    const cost = costOf("gpt-4o-mini", {
      promptTokens: 10_000,
      cachedTokens: 4_000,
      completionTokens: 2_000,
    });
    expect(cost.priced).toBe(true);
    expect(cost.usd).toBeCloseTo((6_000 * 0.15 + 4_000 * 0.075 + 2_000 * 0.6) / MILLION, 12);
  });

  it("makes cached tokens cheaper on models with a caching discount", () => {
    const fresh = costOf("gpt-4.1", { promptTokens: 50_000, cachedTokens: 0, completionTokens: 0 });
    const cached = costOf("gpt-4.1", {
      promptTokens: 50_000,
      cachedTokens: 50_000,
      completionTokens: 0,
    });
    // gpt-4.1: cached input is a quarter of the input price.
    expect(cached.usd).toBeCloseTo(fresh.usd / 4, 12);
  });

  it("bills cached tokens at the input rate where there is no discount", () => {
    const fresh = costOf("gpt-4", { promptTokens: 1_000, cachedTokens: 0, completionTokens: 0 });
    const cached = costOf("gpt-4", {
      promptTokens: 1_000,
      cachedTokens: 1_000,
      completionTokens: 0,
    });
    expect(cached.usd).toBe(fresh.usd);
  });

  it("never counts more cached tokens than prompt tokens, nor negative ones", () => {
    const all = costOf("gpt-4o", { promptTokens: 1_000, cachedTokens: 1_000, completionTokens: 0 });
    const over = costOf("gpt-4o", {
      promptTokens: 1_000,
      cachedTokens: 5_000,
      completionTokens: 0,
    });
    expect(over.usd).toBe(all.usd);
    expect(costOf("gpt-4o", { promptTokens: -5, cachedTokens: -5, completionTokens: -5 }).usd).toBe(
      0,
    );
  });

  it("prices snapshots like their family", () => {
    const usage = { promptTokens: 1234, cachedTokens: 200, completionTokens: 321 };
    expect(costOf("gpt-4o-2024-11-20", usage)).toEqual(costOf("gpt-4o", usage));
  });

  it("does not guess for unknown models", () => {
    expect(
      costOf("mystery-model", { promptTokens: 1000, cachedTokens: 0, completionTokens: 1000 }),
    ).toEqual({
      usd: 0,
      priced: false,
    });
  });
});

describe("estimateCost", () => {
  it("counts the text as one user message and prices the expected reply", () => {
    const text = "How long have you kept the lighthouse?";
    const estimate = estimateCost(text, "gpt-4o", 300);
    expect(estimate.promptTokens).toBe(
      countMessageTokens([{ role: "user", content: text }], "gpt-4o"),
    );
    expect(estimate.completionTokens).toBe(300);
    expect(estimate.priced).toBe(true);
    expect(estimate.usd).toBeCloseTo((estimate.promptTokens * 2.5 + 300 * 10) / MILLION, 12);
  });

  it("grows with the expected reply and reports unknown models as unpriced", () => {
    expect(estimateCost("hi", "gpt-4.1", 1000).usd).toBeGreaterThan(
      estimateCost("hi", "gpt-4.1", 10).usd,
    );
    const unknown = estimateCost("hi", "mystery-model", 100);
    expect(unknown.priced).toBe(false);
    expect(unknown.usd).toBe(0);
    expect(unknown.promptTokens).toBeGreaterThan(0);
  });
});
