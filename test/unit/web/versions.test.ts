// The web app's stable order of a reply's alternatives while the server swaps them.
import { describe, expect, it } from "vitest";
import {
  nextAlternatives,
  versionIndexFor,
  type Alternatives,
} from "../../../web/src/screens/chat/versions";

const v = (...texts: string[]) => texts.map((text) => ({ text }));

describe("reply alternatives", () => {
  it("orders them as first seen, the newest generation last and shown", () => {
    const first = nextAlternatives(null, v(), "A");
    expect(first).toEqual({ order: ["A"], position: 0 });
    const regenerated = nextAlternatives(first, v("A"), "B");
    expect(regenerated).toEqual({ order: ["A", "B"], position: 1 });
    const third = nextAlternatives(regenerated, v("A", "B"), "C");
    expect(third).toEqual({ order: ["A", "B", "C"], position: 2 });
  });

  it("walks back and forth through the server's swaps without reordering", () => {
    let state: Alternatives = { order: ["A", "B", "C"], position: 2 };
    let versions = v("A", "B");
    let shown = "C";
    const swipe = (target: number) => {
      const index = versionIndexFor(state, versions, shown, target);
      expect(index).not.toBeNull();
      const chosen = versions[index ?? 0]?.text ?? "";
      // The server: the shown text takes the chosen one's slot.
      versions = versions.map((version, at) => (at === index ? { text: shown } : version));
      shown = chosen;
      state = nextAlternatives(state, versions, shown);
    };
    swipe(1);
    expect([shown, state.position]).toEqual(["B", 1]);
    swipe(0);
    expect([shown, state.position]).toEqual(["A", 0]);
    swipe(2);
    expect([shown, state.position]).toEqual(["C", 2]);
    expect(state.order).toEqual(["A", "B", "C"]);
  });

  it("keeps two equal texts apart and asks nothing of the server between them", () => {
    const state = nextAlternatives({ order: ["A"], position: 0 }, v("A"), "A");
    expect(state).toEqual({ order: ["A", "A"], position: 1 });
    expect(versionIndexFor(state, v("A"), "A", 0)).toBeNull();
    expect(nextAlternatives({ ...state, position: 0 }, v("A"), "A").position).toBe(0);
  });
});
