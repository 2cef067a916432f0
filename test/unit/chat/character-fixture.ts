// Characters and conversations for the chat-core tests, built through the real schemas so
// defaults are the ones production data gets.
import {
  aiSettingsSchema,
  characterProfileSchema,
  knowledgeEntrySchema,
  type AiSettings,
  type CharacterProfile,
  type KnowledgeEntry,
} from "../../../functions/src/contract/characters";
import type { ContextTurn } from "../../../functions/src/chat/core/prompt";

export function profile(overrides: Record<string, unknown> = {}): CharacterProfile {
  return characterProfileSchema.parse({
    name: "Mira",
    description: "A lighthouse keeper on a windswept northern island who collects sea glass.",
    personalitySummary: "Patient, curious and a little stubborn.",
    scenario: "{{user}} has just arrived on the island by the evening ferry.",
    greeting: "Welcome to the island, {{user}}! Mind the wet stairs.",
    personality: {
      traits: ["warmth", "ideas"],
      tone: "warm",
      formality: 9,
      humor: 2,
      empathy: 8,
      creativity: 5,
      confidence: 6,
    },
    ...overrides,
  });
}

export function ai(overrides: Partial<AiSettings> = {}): AiSettings {
  return { ...aiSettingsSchema.parse({}), ...overrides };
}

export function entry(fields: Record<string, unknown>): KnowledgeEntry {
  return knowledgeEntrySchema.parse(fields);
}

/** A deterministic pseudo-random generator (mulberry32), so failures can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the sea was calm tonight and the lamp turned slowly over dark water while gulls " +
  "slept on the rocks I brought tea and we talked about ships storms maps and old letters"
).split(" ");

export function sentence(random: () => number, wordCount: number): string {
  return Array.from({ length: wordCount }, () => WORDS[Math.floor(random() * WORDS.length)]).join(
    " ",
  );
}

/** `count` alternating turns, oldest first, each tagged with its index ("#12"). */
export function conversation(
  count: number,
  random = seededRandom(1),
  maxWords = 40,
): ContextTurn[] {
  return Array.from({ length: count }, (_, index) => ({
    role: index % 2 === 0 ? "user" : "assistant",
    text: `#${index} ${sentence(random, 1 + Math.floor(random() * maxWords))}`,
  }));
}
