import { describe, expect, it } from "vitest";
import {
  FREE_MESSAGES_PER_MINUTE,
  FREE_QUOTA,
  messageRateLimit,
  quotaDecision,
  RATE_LIMITS,
  remaining,
  slidingWindow,
} from "../../../functions/src/limits/policy";

describe("free-tier quota", () => {
  it("allows 30 text, 5 audio and 5 media per character, then refuses", () => {
    expect(FREE_QUOTA).toEqual({ text: 30, audio: 5, media: 5 });
    expect(quotaDecision("text", { text: 29, audio: 0, media: 0 }, false)).toEqual({
      allowed: true,
      premium: false,
    });
    expect(quotaDecision("text", { text: 30, audio: 0, media: 0 }, false)).toEqual({
      allowed: false,
      used: 30,
      limit: 30,
    });
    expect(quotaDecision("audio", { text: 0, audio: 5, media: 0 }, false).allowed).toBe(false);
    expect(quotaDecision("media", { text: 0, audio: 0, media: 4 }, false).allowed).toBe(true);
  });

  it("never limits premium users", () => {
    expect(quotaDecision("text", { text: 10_000, audio: 0, media: 0 }, true)).toEqual({
      allowed: true,
      premium: true,
    });
    expect(remaining({ text: 10, audio: 1, media: 0 }, true)).toEqual({
      text: null,
      audio: null,
      media: null,
    });
    expect(remaining({ text: 10, audio: 7, media: 0 }, false)).toEqual({
      text: 20,
      audio: 0,
      media: 5,
    });
  });
});

describe("message rate limits", () => {
  it("gives free users 10 a minute and premium users the setting's own limit", () => {
    expect(messageRateLimit(false, 99)).toEqual({
      limit: FREE_MESSAGES_PER_MINUTE,
      windowMs: 60_000,
    });
    expect(FREE_MESSAGES_PER_MINUTE).toBe(10);
    expect(messageRateLimit(true, 45)).toEqual({ limit: 45, windowMs: 60_000 });
    expect(messageRateLimit(true, 0).limit).toBe(1);
  });

  it("bounds every callable that writes or spends per call", () => {
    for (const rule of Object.values(RATE_LIMITS)) {
      expect(rule.limit).toBeGreaterThan(0);
      expect(rule.windowMs).toBeGreaterThan(0);
    }
    expect(RATE_LIMITS.startConversation).toEqual({ limit: 10, windowMs: 60_000 });
  });
});

describe("sliding-window rate limit", () => {
  const rule = messageRateLimit(false, 30);

  it("accepts 10 in a minute and refuses the 11th until the oldest leaves the window", () => {
    let hits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const decision = slidingWindow(hits, 1000 + i * 100, rule);
      expect(decision.allowed).toBe(true);
      hits = decision.hits;
    }
    const eleventh = slidingWindow(hits, 2500, rule);
    expect(eleventh).toMatchObject({ allowed: false, retryAfterMs: 1000 + 60_000 - 2500 });
    expect(slidingWindow(hits, 1000 + 60_000 + 1, rule).allowed).toBe(true);
  });

  it("counts hits stamped after its own clock (a concurrent request that committed first)", () => {
    const decision = slidingWindow([105, 106], 100, { limit: 3, windowMs: 1000 });
    expect(decision).toEqual({ allowed: true, hits: [100, 105, 106] });
    expect(slidingWindow([100, 105, 106], 99, { limit: 3, windowMs: 1000 }).allowed).toBe(false);
  });

  it("keeps the stored log bounded", () => {
    const decision = slidingWindow([1, 5, 6, 7], 100, { limit: 3, windowMs: 1000 });
    expect(decision.allowed).toBe(false);
    expect(decision.hits).toEqual([5, 6, 7]);
    const later = slidingWindow(
      Array.from({ length: 50 }, (_, i) => i),
      100_000,
      { limit: 3, windowMs: 1000 },
    );
    expect(later).toEqual({ allowed: true, hits: [100_000] });
  });
});
