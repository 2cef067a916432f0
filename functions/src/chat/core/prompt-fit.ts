// What gives way when the fixed parts of a prompt (everything but the conversation history)
// do not fit the budget. In this order:
//   1. the example dialogue,
//   2. the memory summary,
//   3. knowledge entries, lowest priority first,
//   4. the new message's oldest part (its end is kept: that is what the user just typed),
//   5. the new message's image,
//   6. the post-history instructions,
//   7. the character's description, cut from its end.
// Identity, restricted-topic guidance and rules are never dropped; if even those do not fit,
// PromptBudgetError is thrown rather than an over-budget prompt returned.
import type { KnowledgeEntry } from "../../contract/characters";
import { withoutLowestPriority } from "./knowledge";
import { countTextTokens, keepFirstTokens, keepLastTokens } from "./tokens";

export type Degradation =
  | "example_dialogue_dropped"
  | "summary_dropped"
  | "knowledge_shortened"
  | "new_message_truncated"
  | "image_dropped"
  | "post_history_dropped"
  | "character_trimmed";

/** The parts of a prompt that can shrink; prompt.ts renders them into messages. */
export interface FixedParts {
  exampleDialogue: boolean;
  summary: boolean;
  knowledge: KnowledgeEntry[];
  newText: string;
  image: boolean;
  postHistory: boolean;
  character: string;
}

export class PromptBudgetError extends Error {
  constructor(
    readonly budget: number,
    readonly minimumTokens: number,
  ) {
    super(
      `the prompt needs at least ${minimumTokens} tokens but the budget is ${budget}: ` +
        "raise contextWindow or lower maxTokens",
    );
    this.name = "PromptBudgetError";
  }
}

/** Marks where a too-long text was cut. */
const CUT_MARK = "…";

/**
 * Shrinks `parts` in place, in the order above, until `fixedTokens(parts)` fits the budget.
 * Returns what gave way.
 */
export function fitFixedParts(
  parts: FixedParts,
  budget: number,
  fixedTokens: (parts: FixedParts) => number,
  model: string,
): Degradation[] {
  const done: Degradation[] = [];
  const note = (step: Degradation): void => {
    if (!done.includes(step)) done.push(step);
  };
  const over = (): number => fixedTokens(parts) - budget;

  if (over() > 0 && parts.exampleDialogue) {
    parts.exampleDialogue = false;
    note("example_dialogue_dropped");
  }
  if (over() > 0 && parts.summary) {
    parts.summary = false;
    note("summary_dropped");
  }
  while (over() > 0 && parts.knowledge.length > 0) {
    parts.knowledge = withoutLowestPriority(parts.knowledge);
    note("knowledge_shortened");
  }
  if (over() > 0 && parts.newText !== "") {
    parts.newText = shrinkText(
      parts.newText,
      (text) => fixedTokens({ ...parts, newText: text }) - budget,
      model,
      "end",
    );
    note("new_message_truncated");
  }
  if (over() > 0 && parts.image) {
    parts.image = false;
    note("image_dropped");
  }
  if (over() > 0 && parts.postHistory) {
    parts.postHistory = false;
    note("post_history_dropped");
  }
  if (over() > 0 && parts.character !== "") {
    parts.character = shrinkText(
      parts.character,
      (text) => fixedTokens({ ...parts, character: text }) - budget,
      model,
      "start",
    );
    note("character_trimmed");
  }
  const excess = over();
  if (excess > 0) throw new PromptBudgetError(budget, budget + excess);
  return done;
}

/**
 * Cuts `original` until `overWith(candidate)` reports it fits, or nothing is left. Decoded
 * token slices can re-encode to a slightly different count, so each cut is re-measured and
 * the target shrinks strictly until it fits. `keep: "end"` keeps the newest part of a
 * message; `"start"` keeps the opening of a text.
 */
function shrinkText(
  original: string,
  overWith: (candidate: string) => number,
  model: string,
  keep: "end" | "start",
): string {
  let current = original;
  let target = countTextTokens(original, model);
  let excess = overWith(current);
  while (excess > 0 && current !== "") {
    // One token more for the cut mark.
    target -= excess + 1;
    if (target <= 0) {
      current = "";
    } else if (keep === "end") {
      const piece = keepLastTokens(original, target, model)
        .replace(/^\uFFFD+/, "")
        .trimStart();
      current = `${CUT_MARK}${piece}`;
    } else {
      const piece = keepFirstTokens(original, target, model)
        .replace(/\uFFFD+$/, "")
        .trimEnd();
      current = `${piece}${CUT_MARK}`;
    }
    excess = overWith(current);
  }
  return current;
}
