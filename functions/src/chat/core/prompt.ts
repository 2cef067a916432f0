// Assembles the messages of one chat-completion call, within a token budget.
//
// Order: the character's system message; activated knowledge (a second system message, so
// the first one stays byte-identical between calls and OpenAI's prompt cache can reuse it);
// the long-term memory summary; as many recent turns as fit, chosen newest-first and emitted
// oldest-first; the post-history instructions; the new user message.
//
// Budget = min(ai.contextWindow, the model's own window when known) - ai.maxTokens, so the
// reply always has room. When the fixed parts alone exceed it, they give way in this order:
//   1. the example dialogue,
//   2. the memory summary,
//   3. knowledge entries, lowest priority first,
//   4. the new message's oldest part (its end is kept: that is what the user just typed),
//   5. the new message's image,
//   6. the post-history instructions,
//   7. the character's description, cut from its end.
// Identity, restricted-topic guidance and rules are never dropped; if even those do not fit,
// assemblePrompt throws PromptBudgetError rather than return an over-budget prompt.
import type { AiSettings, CharacterProfile, KnowledgeEntry } from "../../characters/model";
import type { ChatMessage, UserContentPart } from "./chat-message";
import {
  activateKnowledge,
  knowledgeScanDepth,
  selectKnowledge,
  withoutLowestPriority,
} from "./knowledge";
import { lookupModel, modelSupportsVision } from "./models";
import { fillPlaceholders, personaSections, renderSystemPrompt, type Names } from "./persona";
import {
  countMessageTokens,
  countOneMessage,
  countTextTokens,
  keepFirstTokens,
  keepLastTokens,
} from "./tokens";

export interface ContextTurn {
  role: "user" | "assistant";
  text: string;
  imageUrl?: string;
}

export interface PromptInput {
  profile: CharacterProfile;
  ai: AiSettings;
  userName: string;
  /** Long-term memory of the conversation; "" when there is none yet. */
  summary: string;
  /** Oldest to newest, without the new message. */
  recentTurns: readonly ContextTurn[];
  newMessage: ContextTurn;
  model: string;
  /** What the character should make clear when declining a restricted topic. */
  restrictedTopicsNotice?: string;
}

export type Degradation =
  | "example_dialogue_dropped"
  | "summary_dropped"
  | "knowledge_shortened"
  | "new_message_truncated"
  | "image_dropped"
  | "post_history_dropped"
  | "character_trimmed";

export interface AssembledPrompt {
  messages: ChatMessage[];
  /** countMessageTokens over exactly `messages`; never above `budget`. */
  promptTokens: number;
  budget: number;
  includedTurnCount: number;
  droppedTurnCount: number;
  /** Knowledge entries present in `messages`, in the order they appear. */
  activatedKnowledgeIds: string[];
  /** What had to give way to fit the budget, in the order it happened. */
  degradations: Degradation[];
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

/** Marks where the start of a too-long message was cut. */
const CUT_MARK = "…";

export function promptBudget(ai: AiSettings, model: string): number {
  const modelWindow = lookupModel(model)?.contextWindow ?? ai.contextWindow;
  return Math.min(ai.contextWindow, modelWindow) - ai.maxTokens;
}

interface FixedParts {
  exampleDialogue: boolean;
  summary: boolean;
  knowledge: KnowledgeEntry[];
  newText: string;
  image: boolean;
  postHistory: boolean;
  character: string;
}

function historyMessage(turn: ContextTurn, names: Names): ChatMessage {
  const who = turn.role === "user" ? names.user : names.char;
  const text = turn.imageUrl ? `${turn.text}\n[${who} shared an image here.]`.trim() : turn.text;
  return turn.role === "user" ? { role: "user", content: text } : { role: "assistant", content: text };
}

function newUserMessage(
  text: string,
  imageUrl: string | undefined,
  sendImage: boolean,
  names: Names,
): ChatMessage {
  if (imageUrl && sendImage) {
    const parts: UserContentPart[] = [];
    if (text !== "") parts.push({ type: "text", text });
    parts.push({ type: "image_url", image_url: { url: imageUrl, detail: "low" } });
    return { role: "user", content: parts };
  }
  const note = imageUrl ? `\n[${names.user} attached an image, which you cannot see.]` : "";
  return { role: "user", content: `${text}${note}`.trim() };
}

export function assemblePrompt(input: PromptInput): AssembledPrompt {
  const { profile, ai, model } = input;
  const names: Names = { char: profile.name, user: input.userName };
  const budget = promptBudget(ai, model);
  const sections = personaSections(profile, ai, input.userName, input.restrictedTopicsNotice);
  const summary = input.summary.trim();
  const postHistory = fillPlaceholders(ai.postHistoryInstructions, names).trim();
  const canSeeImage = modelSupportsVision(model);

  const scanned = [
    input.newMessage.text,
    ...input.recentTurns.slice(-knowledgeScanDepth(ai)).map((turn) => turn.text),
  ];
  const knowledgeText = (entry: KnowledgeEntry): string => fillPlaceholders(entry.content, names);
  // The knowledge budget counts entry contents only, not the heading around them.
  const knowledge = selectKnowledge(
    activateKnowledge(ai.knowledgeBase, scanned),
    ai.knowledgeBudgetTokens,
    (entry) => countTextTokens(knowledgeText(entry), model),
  );

  const render = (parts: FixedParts): { head: ChatMessage[]; tail: ChatMessage[] } => {
    const head: ChatMessage[] = [
      {
        role: "system",
        content: renderSystemPrompt(
          { ...sections, character: parts.character },
          { includeExampleDialogue: parts.exampleDialogue },
        ),
      },
    ];
    if (parts.knowledge.length > 0) {
      const facts = parts.knowledge.map((entry) => knowledgeText(entry).trim()).join("\n\n");
      head.push({
        role: "system",
        content: `## What ${names.char} knows (use it when it matters)\n${facts}`,
      });
    }
    if (parts.summary && summary !== "") {
      head.push({
        role: "system",
        content: `## Memory of the conversation so far\n${summary}`,
      });
    }
    const tail: ChatMessage[] = [];
    if (parts.postHistory && postHistory !== "") tail.push({ role: "system", content: postHistory });
    tail.push(newUserMessage(parts.newText, input.newMessage.imageUrl, parts.image, names));
    return { head, tail };
  };
  const fixedTokens = (parts: FixedParts): number => {
    const { head, tail } = render(parts);
    return countMessageTokens([...head, ...tail], model);
  };

  const parts: FixedParts = {
    exampleDialogue: sections.exampleDialogue !== "",
    summary: summary !== "",
    knowledge,
    newText: input.newMessage.text,
    image: canSeeImage && Boolean(input.newMessage.imageUrl),
    postHistory: postHistory !== "",
    character: sections.character,
  };
  const degradations = fitFixedParts(parts, budget, fixedTokens, model);

  const { head, tail } = render(parts);
  let remaining = budget - countMessageTokens([...head, ...tail], model);
  const kept: ChatMessage[] = [];
  for (let index = input.recentTurns.length - 1; index >= 0; index--) {
    const message = historyMessage(input.recentTurns[index], names);
    const cost = countOneMessage(message, model);
    // Stop at the first turn that does not fit: skipping it to squeeze in an older one would
    // leave a hole in the conversation the model cannot see.
    if (cost > remaining) break;
    kept.push(message);
    remaining -= cost;
  }
  kept.reverse();

  const messages = [...head, ...kept, ...tail];
  const promptTokens = countMessageTokens(messages, model);
  if (promptTokens > budget) throw new PromptBudgetError(budget, promptTokens);
  return {
    messages,
    promptTokens,
    budget,
    includedTurnCount: kept.length,
    droppedTurnCount: input.recentTurns.length - kept.length,
    activatedKnowledgeIds: parts.knowledge.map((entry) => entry.id),
    degradations,
  };
}

/** Shrinks `parts` in place, in the documented order, until the fixed messages fit. */
function fitFixedParts(
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
      const piece = keepLastTokens(original, target, model).replace(/^\uFFFD+/, "").trimStart();
      current = `${CUT_MARK}${piece}`;
    } else {
      const piece = keepFirstTokens(original, target, model).replace(/\uFFFD+$/, "").trimEnd();
      current = `${piece}${CUT_MARK}`;
    }
    excess = overWith(current);
  }
  return current;
}
