import { describe, expect, it } from "vitest";
import {
  appendTurn,
  contextWindowSchema,
  EMPTY_WINDOW,
  shouldRefreshSummary,
  summaryPrompt,
  turnsSinceSummaryAfterFold,
  turnsToFold,
  upsertTurn,
  windowChars,
  type ContextWindow,
  type WindowTurn,
} from "../../../functions/src/chat/core/memory";

const turn = (n: number, text = `message number ${n}`): WindowTurn => ({
  id: `m${n}`,
  role: n % 2 === 0 ? "user" : "assistant",
  text,
  atMs: 1_000 + n,
});

function fill(
  count: number,
  limits = { maxTurns: 50, maxChars: 200_000 },
  text?: (n: number) => string,
): ContextWindow {
  let window = EMPTY_WINDOW;
  for (let n = 0; n < count; n++) window = appendTurn(window, turn(n, text?.(n)), limits);
  return window;
}

describe("appendTurn", () => {
  it("keeps the most recent turns, in order, up to maxTurns", () => {
    const window = fill(80, { maxTurns: 50, maxChars: 200_000 });
    expect(window.turns).toHaveLength(50);
    expect(window.turns.map((each) => each.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => `m${i + 30}`),
    );
  });

  it("keeps the window under its size cap", () => {
    const limits = { maxTurns: 1_000, maxChars: 10_000 };
    const window = fill(300, limits, () => "x".repeat(300));
    expect(windowChars(window)).toBeLessThanOrEqual(10_000);
    expect(window.turns[window.turns.length - 1]?.id).toBe("m299");
    expect(window.turns.length).toBeGreaterThan(20);
  });

  it("stays well under Firestore's 1 MiB document limit with the defaults", () => {
    let window = EMPTY_WINDOW;
    for (let n = 0; n < 400; n++) window = appendTurn(window, turn(n, "é😀".repeat(2_000)));
    const bytes = Buffer.byteLength(JSON.stringify(window), "utf8");
    expect(bytes).toBeLessThan(1_048_576 * 0.75);
  });

  it("ignores a turn it already holds (a redelivered trigger)", () => {
    const window = fill(3);
    expect(appendTurn(window, turn(1))).toBe(window);
  });

  it("cuts a single turn larger than the whole cap", () => {
    const window = appendTurn(EMPTY_WINDOW, turn(0, "y".repeat(5_000)), {
      maxTurns: 10,
      maxChars: 1_000,
    });
    expect(window.turns).toHaveLength(1);
    expect(windowChars(window)).toBeLessThanOrEqual(1_000);
  });

  it("counts turns since the last summary", () => {
    const window = fill(7);
    expect(window.turnsSinceSummary).toBe(7);
    expect(turnsToFold(window).map((each) => each.id)).toEqual([
      "m0",
      "m1",
      "m2",
      "m3",
      "m4",
      "m5",
      "m6",
    ]);
    const summarized = {
      ...window,
      turnsSinceSummary: turnsSinceSummaryAfterFold(window, turnsToFold(window)),
    };
    expect(turnsToFold(summarized)).toEqual([]);
    const next = appendTurn(summarized, turn(7));
    expect(turnsToFold(next).map((each) => each.id)).toEqual(["m7"]);
  });

  it("after a fold in a full window, counts only the turns that came after it", () => {
    // 50 turns kept, the last 30 not yet summarised: the older 20 are not "since" the fold.
    const full = { ...fill(60), turnsSinceSummary: 30 };
    const folded = turnsToFold(full);
    expect(folded).toHaveLength(30);
    expect(turnsSinceSummaryAfterFold(full, folded)).toBe(0);
    expect(shouldRefreshSummary(turnsSinceSummaryAfterFold(full, folded))).toBe(false);
    // Two turns finished while the summary was being written: they wait for the next fold.
    const later = appendTurn(appendTurn(full, turn(60)), turn(61));
    expect(turnsSinceSummaryAfterFold(later, folded)).toBe(2);
  });

  it("after a fold whose turns have all left the window, counts what the window holds", () => {
    const window = { ...fill(5), turnsSinceSummary: 5 };
    expect(turnsSinceSummaryAfterFold(window, [{ id: "gone" }])).toBe(5);
  });

  it("produces documents its own schema accepts", () => {
    expect(contextWindowSchema.parse(fill(5))).toEqual(fill(5));
  });
});

describe("upsertTurn", () => {
  it("appends a turn it does not hold", () => {
    expect(upsertTurn(fill(3), turn(3))).toEqual(appendTurn(fill(3), turn(3)));
  });

  it("puts a regenerated reply's new text in place, keeping its position and time", () => {
    const window = fill(4);
    const updated = upsertTurn(window, { ...turn(1, "the new version"), atMs: 99_999 });
    expect(updated.turns.map((each) => each.id)).toEqual(["m0", "m1", "m2", "m3"]);
    expect(updated.turns[1]).toMatchObject({ text: "the new version", atMs: turn(1).atMs });
    expect(updated.turnsSinceSummary).toBe(window.turnsSinceSummary);
  });

  it("keeps the size cap when the new text is longer", () => {
    const limits = { maxTurns: 100, maxChars: 2_000 };
    const window = fill(10, limits, () => "x".repeat(150));
    const updated = upsertTurn(window, turn(9, "y".repeat(1_500)), limits);
    expect(windowChars(updated)).toBeLessThanOrEqual(2_000);
    expect(updated.turns.at(-1)?.text).toBe("y".repeat(1_500));
  });

  it("keeps diagnostics on the turn, which the schema accepts", () => {
    const diagnostics = {
      model: "gpt-4o-mini",
      knowledge: ["k1"],
      promptTokens: 10,
      budget: 100,
      includedTurns: 2,
      droppedTurns: 0,
    };
    const updated = upsertTurn(fill(2), { ...turn(1), diagnostics });
    expect(contextWindowSchema.parse(updated).turns[1]?.diagnostics).toEqual(diagnostics);
  });
});

describe("shouldRefreshSummary", () => {
  it("refreshes every 20 turns by default", () => {
    expect(shouldRefreshSummary(19)).toBe(false);
    expect(shouldRefreshSummary(20)).toBe(true);
    expect(shouldRefreshSummary(35)).toBe(true);
    expect(shouldRefreshSummary(4, 5)).toBe(false);
    expect(shouldRefreshSummary(5, 5)).toBe(true);
  });
});

describe("summaryPrompt", () => {
  it("asks to fold the new turns into the previous summary", () => {
    const messages = summaryPrompt(
      "Sam is a sailor.",
      [
        { role: "user", text: "My sister Ana visits next week." },
        { role: "assistant", text: "I'll bake bread for her." },
      ],
      { char: "Mira", user: "Sam" },
    );
    expect(messages.map((message) => message.role)).toEqual(["system", "user"]);
    const [system, user] = messages.map((message) =>
      typeof message.content === "string" ? message.content : "",
    );
    expect(system).toMatch(/summary/i);
    expect(system).toContain("Sam");
    expect(user).toContain("Sam is a sailor.");
    expect(user).toContain("Sam: My sister Ana visits next week.");
    expect(user).toContain("Mira: I'll bake bread for her.");
  });

  it("says so when there is no summary yet", () => {
    const [, user] = summaryPrompt("", [{ role: "user", text: "hi" }]);
    expect(typeof user?.content === "string" ? user.content : "").toContain("(none yet)");
  });
});
