// Assembles the messages of one chat-completion call, within a token budget.
//
// Order: the character's system message; activated knowledge (a second system message, so
// the first one stays byte-identical between calls and OpenAI's prompt cache can reuse it);
// the long-term memory summary; as many recent turns as fit, chosen newest-first and emitted
// oldest-first; the post-history instructions; the new user message.
//
// Budget = min(ai.contextWindow, the model's own window when known) - ai.maxTokens, so the
// reply always has room. The fixed parts (everything but the history) are fitted first, giving
// way in the order documented in prompt-fit.ts; the history then gets what is left.
import {
  fillPlaceholders,
  type AiSettings,
  type CharacterProfile,
  type KnowledgeEntry,
  type PlaceholderNames,
} from "../../contract/characters";
import type { ChatMessage, UserContentPart } from "./chat-message";
import { activateKnowledge, knowledgeScanDepth, selectKnowledge } from "./knowledge";
import { lookupModel, modelSupportsVision } from "./models";
import { personaSections, renderSystemPrompt, type PersonaSections } from "./persona";
import { fitFixedParts, PromptBudgetError, type Degradation, type FixedParts } from "./prompt-fit";
import { countMessageTokens, countOneMessage, countTextTokens } from "./tokens";

export { PromptBudgetError, type Degradation } from "./prompt-fit";

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

export function promptBudget(ai: AiSettings, model: string): number {
  const modelWindow = lookupModel(model)?.contextWindow ?? ai.contextWindow;
  return Math.min(ai.contextWindow, modelWindow) - ai.maxTokens;
}

function historyMessage(turn: ContextTurn, names: PlaceholderNames): ChatMessage {
  const who = turn.role === "user" ? names.user : names.char;
  const text = turn.imageUrl ? `${turn.text}\n[${who} shared an image here.]`.trim() : turn.text;
  return turn.role === "user"
    ? { role: "user", content: text }
    : { role: "assistant", content: text };
}

function newUserMessage(
  text: string,
  imageUrl: string | undefined,
  sendImage: boolean,
  names: PlaceholderNames,
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

/** What rendering the fixed messages needs besides the shrinkable parts. */
interface RenderContext {
  names: PlaceholderNames;
  sections: PersonaSections;
  summary: string;
  postHistory: string;
  imageUrl: string | undefined;
  knowledgeText: (entry: KnowledgeEntry) => string;
}

function renderFixed(
  parts: FixedParts,
  context: RenderContext,
): { head: ChatMessage[]; tail: ChatMessage[] } {
  const { names } = context;
  const systemPrompt = renderSystemPrompt(
    { ...context.sections, character: parts.character },
    { includeExampleDialogue: parts.exampleDialogue },
  );
  const head: ChatMessage[] = [{ role: "system", content: systemPrompt }];
  if (parts.knowledge.length > 0) {
    const facts = parts.knowledge.map((entry) => context.knowledgeText(entry).trim());
    head.push({
      role: "system",
      content: `## What ${names.char} knows (use it when it matters)\n${facts.join("\n\n")}`,
    });
  }
  if (parts.summary && context.summary !== "") {
    head.push({
      role: "system",
      content: `## Memory of the conversation so far\n${context.summary}`,
    });
  }
  const tail: ChatMessage[] = [];
  if (parts.postHistory && context.postHistory !== "") {
    tail.push({ role: "system", content: context.postHistory });
  }
  tail.push(newUserMessage(parts.newText, context.imageUrl, parts.image, names));
  return { head, tail };
}

export function assemblePrompt(input: PromptInput): AssembledPrompt {
  const { profile, ai, model } = input;
  const names: PlaceholderNames = { char: profile.name, user: input.userName };
  const budget = promptBudget(ai, model);
  const context: RenderContext = {
    names,
    sections: personaSections(profile, ai, input.userName, input.restrictedTopicsNotice),
    summary: input.summary.trim(),
    postHistory: fillPlaceholders(ai.postHistoryInstructions, names).trim(),
    imageUrl: input.newMessage.imageUrl,
    knowledgeText: (entry) => fillPlaceholders(entry.content, names),
  };

  const scanned = [
    input.newMessage.text,
    ...input.recentTurns.slice(-knowledgeScanDepth(ai)).map((turn) => turn.text),
  ];
  // The knowledge budget counts entry contents only, not the heading around them.
  const knowledge = selectKnowledge(
    activateKnowledge(ai.knowledgeBase, scanned),
    ai.knowledgeBudgetTokens,
    (entry) => countTextTokens(context.knowledgeText(entry), model),
  );

  const parts: FixedParts = {
    exampleDialogue: context.sections.exampleDialogue !== "",
    summary: context.summary !== "",
    knowledge,
    newText: input.newMessage.text,
    image: modelSupportsVision(model) && Boolean(input.newMessage.imageUrl),
    postHistory: context.postHistory !== "",
    character: context.sections.character,
  };
  const fixedTokens = (candidate: FixedParts): number => {
    const { head, tail } = renderFixed(candidate, context);
    return countMessageTokens([...head, ...tail], model);
  };
  const degradations = fitFixedParts(parts, budget, fixedTokens, model);

  const { head, tail } = renderFixed(parts, context);
  let remaining = budget - fixedTokens(parts);
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
  // Counting is additive per message, so this holds by construction; checked all the same.
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
