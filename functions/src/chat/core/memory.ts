// The rolling context window of a conversation, kept on one document so a reply needs one
// read instead of a query, and the summary that carries older turns forward.
//
// Firestore documents are limited to 1 MiB. The window is capped in characters (UTF-16 code
// units, as JavaScript counts them): 200,000 of them are at most ~600 KB of UTF-8, leaving
// ample room for the document's other fields. Keep maxTurns above the summary interval, or
// turns could leave the window before they were folded into the summary.
import { z } from "zod";
import type { ChatMessage } from "./chat-message";

/**
 * How a reply was made: the model and which knowledge entries fired. Private AI settings
 * show through these, so they are kept here (the context document, which only functions and
 * admins read) and never on the reply document a user reads.
 */
export const replyDiagnosticsSchema = z.object({
  model: z.string(),
  knowledge: z.array(z.string()),
  promptTokens: z.number(),
  budget: z.number(),
  includedTurns: z.number(),
  droppedTurns: z.number(),
});
export type ReplyDiagnostics = z.infer<typeof replyDiagnosticsSchema>;

export const windowTurnSchema = z.object({
  /** The message id: appending the same turn twice (a redelivered trigger) is a no-op. */
  id: z.string().min(1),
  role: z.enum(["user", "assistant"]),
  text: z.string(),
  atMs: z.number(),
  diagnostics: replyDiagnosticsSchema.optional(),
});
export type WindowTurn = z.infer<typeof windowTurnSchema>;

export const contextWindowSchema = z.object({
  turns: z.array(windowTurnSchema),
  /** Turns appended since the summary was last refreshed. */
  turnsSinceSummary: z.number().int().min(0),
});
export type ContextWindow = z.infer<typeof contextWindowSchema>;

export interface WindowLimits {
  maxTurns: number;
  maxChars: number;
}

export const DEFAULT_WINDOW_LIMITS: WindowLimits = { maxTurns: 100, maxChars: 200_000 };
export const SUMMARY_EVERY_TURNS = 20;
export const SUMMARY_MAX_WORDS = 250;

export const EMPTY_WINDOW: ContextWindow = { turns: [], turnsSinceSummary: 0 };

function turnChars(turn: WindowTurn): number {
  return turn.id.length + turn.text.length;
}

export function windowChars(window: ContextWindow): number {
  return window.turns.reduce((sum, turn) => sum + turnChars(turn), 0);
}

/** A single turn larger than the whole cap keeps its beginning only. */
function fitted(turn: WindowTurn, limits: WindowLimits): WindowTurn {
  const room = Math.max(0, limits.maxChars - turn.id.length);
  return turn.text.length > room ? { ...turn, text: turn.text.slice(0, room) } : turn;
}

/** Drops the oldest turns until both caps hold; the newest turn always stays. */
function trimmed(turns: WindowTurn[], limits: WindowLimits): WindowTurn[] {
  const kept = [...turns];
  let chars = kept.reduce((sum, each) => sum + turnChars(each), 0);
  while (kept.length > 1 && (kept.length > limits.maxTurns || chars > limits.maxChars)) {
    const dropped = kept.shift();
    if (dropped) chars -= turnChars(dropped);
  }
  return kept;
}

/** Appends a turn, then drops the oldest turns until both caps hold. */
export function appendTurn(
  window: ContextWindow,
  turn: WindowTurn,
  limits: WindowLimits = DEFAULT_WINDOW_LIMITS,
): ContextWindow {
  if (window.turns.some((existing) => existing.id === turn.id)) return window;
  return {
    turns: trimmed([...window.turns, fitted(turn, limits)], limits),
    turnsSinceSummary: window.turnsSinceSummary + 1,
  };
}

/**
 * Puts a turn in the window: a new id is appended (appendTurn); a turn already there (a
 * regenerated reply) takes the new text and diagnostics in place, keeping its time.
 */
export function upsertTurn(
  window: ContextWindow,
  turn: WindowTurn,
  limits: WindowLimits = DEFAULT_WINDOW_LIMITS,
): ContextWindow {
  const index = window.turns.findIndex((existing) => existing.id === turn.id);
  if (index === -1) return appendTurn(window, turn, limits);
  const turns = window.turns.map((existing, at) =>
    at === index ? { ...fitted(turn, limits), atMs: existing.atMs } : existing,
  );
  return { ...window, turns: trimmed(turns, limits) };
}

export function shouldRefreshSummary(
  turnsSinceSummary: number,
  every: number = SUMMARY_EVERY_TURNS,
): boolean {
  return every > 0 && turnsSinceSummary >= every;
}

/** The turns not yet in the summary (as many as the window still holds). */
export function turnsToFold(window: ContextWindow): WindowTurn[] {
  if (window.turnsSinceSummary <= 0) return [];
  return window.turns.slice(-window.turnsSinceSummary);
}

/**
 * How many turns of `current` the new summary does not cover, once a summary of `folded`
 * (the turns turnsToFold gave) is saved: the turns that came after the last folded one while
 * the summary was being written. When none of the folded turns is still in the window, every
 * turn it holds is newer than the summary.
 */
export function turnsSinceSummaryAfterFold(
  current: ContextWindow,
  folded: readonly Pick<WindowTurn, "id">[],
): number {
  const foldedIds = new Set(folded.map((turn) => turn.id));
  let lastFolded = -1;
  current.turns.forEach((turn, index) => {
    if (foldedIds.has(turn.id)) lastFolded = index;
  });
  const after = current.turns.length - 1 - lastFolded;
  return Math.min(current.turnsSinceSummary, after);
}

// One very long message should not crowd the rest out of a summarisation call.
const MAX_CHARS_PER_FOLDED_TURN = 2_000;

export function summaryPrompt(
  previousSummary: string,
  turns: readonly Pick<WindowTurn, "role" | "text">[],
  names: { char: string; user: string } = { char: "Character", user: "User" },
): ChatMessage[] {
  const transcript = turns
    .map((turn) => {
      const speaker = turn.role === "user" ? names.user : names.char;
      const text =
        turn.text.length > MAX_CHARS_PER_FOLDED_TURN
          ? `${turn.text.slice(0, MAX_CHARS_PER_FOLDED_TURN)}...`
          : turn.text;
      return `${speaker}: ${text}`;
    })
    .join("\n");
  const instructions = [
    `You keep the long-term memory of a chat between ${names.user} and ${names.char}.`,
    "Rewrite the current summary so that it also covers the new part of the conversation.",
    `Keep what matters later: facts about ${names.user} (name, preferences, plans, people in their life), promises, events, how the relationship has developed and open threads. Leave out small talk.`,
    `Write plain prose in the third person, at most ${SUMMARY_MAX_WORDS} words. Never invent anything. Answer with the summary only.`,
  ].join("\n");
  const current = previousSummary.trim() === "" ? "(none yet)" : previousSummary.trim();
  return [
    { role: "system", content: instructions },
    {
      role: "user",
      content: `Current summary:\n${current}\n\nNew part of the conversation:\n${transcript}`,
    },
  ];
}
