import { describe, expect, it } from "vitest";
import {
  afterCleared,
  afterModerationStarted,
  afterRestart,
  afterWrite,
  INITIAL_FLUSH_STATE,
  nextFlushStep,
  visibleText,
  type FlushPolicy,
  type FlushState,
  type FlushStep,
} from "../../../functions/src/chat/core/stream-flush";

const PREFIX: FlushPolicy = { output: "prefix", intervalMs: 1000, moderationLeadMs: 300 };
const FINAL: FlushPolicy = { ...PREFIX, output: "final" };
const NONE: FlushPolicy = { ...PREFIX, output: "none" };

const cleared = (overrides: Partial<FlushState> = {}): FlushState => ({
  ...INITIAL_FLUSH_STATE,
  inputCleared: true,
  ...overrides,
});

/**
 * Plays a stream against the planner, carrying out each step at once (moderation passes
 * after `moderationMs`, unless the text contains "BAD"), and returns what listeners saw.
 */
function play(
  policy: FlushPolicy,
  chunks: { atMs: number; text: string }[],
  endAtMs: number,
  moderationMs: number,
): { writes: { atMs: number; text: string }[]; moderations: string[]; outcome: FlushStep } {
  let state = cleared();
  const writes: { atMs: number; text: string }[] = [];
  const moderations: string[] = [];
  let pending: { text: string; doneAtMs: number } | null = null;
  for (let now = 0; now <= endAtMs + 10 * moderationMs + 5000; now += 10) {
    for (const chunk of chunks) if (chunk.atMs === now) state = { ...state, received: chunk.text };
    if (now === endAtMs) state = { ...state, ended: true };
    if (pending && pending.doneAtMs <= now) {
      if (pending.text.includes("BAD"))
        return { writes, moderations, outcome: { step: "wait", untilMs: -1 } };
      state = afterCleared(state, pending.text);
      pending = null;
    }
    for (let guard = 0; guard < 5; guard++) {
      const step = nextFlushStep(state, policy, now);
      if (step.step === "moderate") {
        moderations.push(step.text);
        state = afterModerationStarted(state, step.text);
        pending = { text: step.text, doneAtMs: now + moderationMs };
      } else if (step.step === "write") {
        writes.push({ atMs: now, text: step.text });
        state = afterWrite(state, step.text, now);
      } else if (step.step === "finish") {
        return { writes, moderations, outcome: step };
      } else break;
    }
  }
  throw new Error("the stream never finished");
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
// 30 tokens a second for 6 seconds, first token at 400 ms.
const stream = Array.from({ length: 180 }, (_, i) => ({
  atMs: 400 + Math.round((i * 1000) / 30 / 10) * 10,
  text: words(i + 1),
}));

describe("moderated streaming writes", () => {
  it("writes nothing before the input has passed moderation", () => {
    const state = { ...INITIAL_FLUSH_STATE, received: "hello there" };
    expect(nextFlushStep(state, FINAL, 0)).toEqual({ step: "wait", untilMs: null });
    expect(visibleText(state, FINAL)).toBe("");
  });

  it("shows only text that has passed moderation, and checks the first text at once", () => {
    const state = cleared({ received: "Once upon" });
    expect(visibleText(state, PREFIX)).toBe("");
    expect(nextFlushStep(state, PREFIX, 0)).toEqual({ step: "moderate", text: "Once upon" });
    const checking = afterModerationStarted(state, "Once upon");
    expect(nextFlushStep({ ...checking, received: "Once upon a time" }, PREFIX, 50)).toEqual({
      step: "wait",
      untilMs: null,
    });
    const passed = afterCleared({ ...checking, received: "Once upon a time" }, "Once upon");
    expect(nextFlushStep(passed, PREFIX, 250)).toEqual({ step: "write", text: "Once upon" });
  });

  it("writes the first text at once, then at most once a second", () => {
    const run = play(PREFIX, stream, 6400, 250);
    expect(run.writes[0]?.atMs).toBe(650); // first token 400 ms + one moderation 250 ms
    for (let i = 1; i < run.writes.length; i++) {
      expect((run.writes[i]?.atMs ?? 0) - (run.writes[i - 1]?.atMs ?? 0)).toBeGreaterThanOrEqual(
        1000,
      );
    }
    expect(run.writes.length).toBeLessThanOrEqual(7);
    expect(run.outcome).toEqual({ step: "finish", text: words(180) });
  });

  it("costs about one moderation per write, plus the final check", () => {
    const run = play(PREFIX, stream, 6400, 250);
    expect(run.moderations.length).toBeLessThanOrEqual(run.writes.length + 2);
    expect(run.moderations.at(-1)).toBe(words(180));
  });

  it("every written text is a prefix that moderation passed", () => {
    const run = play(PREFIX, stream, 6400, 250);
    for (const write of run.writes) expect(run.moderations).toContain(write.text);
  });

  it("stops at the first flagged piece, before it is written", () => {
    const flagged = stream.map((chunk, i) =>
      i >= 60 ? { ...chunk, text: `${chunk.text} BAD` } : chunk,
    );
    const run = play(PREFIX, flagged, 6400, 250);
    expect(run.writes.every((write) => !write.text.includes("BAD"))).toBe(true);
    expect(run.outcome.step).toBe("wait");
  });

  it("hands a short reply that ended before its first write to the final write alone", () => {
    const run = play(PREFIX, [{ atMs: 0, text: "All at once." }], 0, 0);
    expect(run.writes).toEqual([]);
    expect(run.outcome).toEqual({ step: "finish", text: "All at once." });
  });

  it("in final mode writes text as it comes and checks the whole reply at the end", () => {
    const run = play(FINAL, stream, 6400, 250);
    expect(run.writes[0]?.atMs).toBe(400);
    expect(run.moderations).toEqual([words(180)]);
  });

  it("without moderation (offline responder) writes as it comes and never checks", () => {
    const run = play(NONE, stream, 6400, 250);
    expect(run.writes[0]?.atMs).toBe(400);
    expect(run.moderations).toEqual([]);
  });

  it("starts over when a retried call starts its text over", () => {
    const state = afterRestart(cleared({ received: "abc", cleared: "abc", written: "abc" }));
    expect(state).toMatchObject({ received: "", cleared: "", written: "abc", ended: false });
    expect(afterCleared(state, "")).toMatchObject({ cleared: "" });
  });

  it("never shrinks what has passed when an older check returns late", () => {
    const state = cleared({ received: "a b c", cleared: "a b c" });
    expect(afterCleared(state, "a b").cleared).toBe("a b c");
  });
});
