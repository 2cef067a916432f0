// A normalised card -> our character input (profile + AI settings) and the avatar image.
// The mapping is documented in docs/character-cards.md. Pure: no Firebase imports.
import type { z } from "zod";
import { characterInputSchema, type CharacterInput } from "../../contract/characters";
import {
  AICHAT_KEY,
  CARRIED_V3_KEY,
  aichatExtensionSchema,
  type AichatExtension,
} from "./aichat-extension";
import { V3_EXTRA_KEYS, type CardData, type CharacterCard } from "./card-schema";
import { cardFieldName } from "./field-names";
import { cardErrorFrom, formatPath } from "./issues";
import { entryFromCard, lorebookFromCard } from "./lorebook";
import { tagsFromCard } from "./tags";

export interface ImportOptions {
  /**
   * Honour `extensions.aichat.published`. Only the seed loader sets this: a card an admin
   * uploads always arrives unpublished, to be reviewed first.
   */
  trustPublished?: boolean;
}

export interface ImportedCharacter {
  input: CharacterInput;
  /** The card's PNG (without its card chunks), to become the avatar. */
  avatarPng?: Uint8Array;
}

function readAichat(extensions: Record<string, unknown>): AichatExtension {
  const raw = extensions[AICHAT_KEY];
  if (raw === undefined) return {};
  const result = aichatExtensionSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw cardErrorFrom(result.error, (path) => formatPath(["extensions", AICHAT_KEY, ...path]));
  }
  return result.data;
}

/** Card extensions as stored: ours read out, V3-only fields kept under `aichat_ccv3`. */
function storedExtensions(data: CardData): Record<string, unknown> {
  const extensions = { ...data.extensions };
  // Read into our own fields; an export writes it afresh from them.
  delete extensions[AICHAT_KEY];
  const v3: Record<string, unknown> = {};
  for (const key of V3_EXTRA_KEYS) {
    if (data[key] !== undefined) v3[key] = data[key];
  }
  return Object.keys(v3).length === 0 ? extensions : { ...extensions, [CARRIED_V3_KEY]: v3 };
}

export function cardToCharacter(
  card: CharacterCard,
  options: ImportOptions = {},
): ImportedCharacter {
  const { data } = card;
  const ours = readAichat(data.extensions);
  const candidate: z.input<typeof characterInputSchema> = {
    profile: {
      name: data.name,
      nickname: data.nickname,
      tagline: ours.tagline,
      description: data.description,
      tags: tagsFromCard(data.tags),
      greeting: data.first_mes,
      alternateGreetings: data.alternate_greetings,
      groupOnlyGreetings: data.group_only_greetings,
      exampleDialogue: data.mes_example,
      scenario: data.scenario,
      personality: ours.personality,
      personalitySummary: data.personality,
      premiumOnly: ours.premiumOnly,
      published: options.trustPublished === true ? (ours.published ?? false) : false,
      creator: data.creator,
      creatorNotes: data.creator_notes,
      characterVersion: data.character_version,
      extensions: storedExtensions(data),
    },
    ai: {
      ...ours.ai,
      systemPromptOverride: data.system_prompt,
      postHistoryInstructions: data.post_history_instructions,
      knowledgeBase: (data.character_book?.entries ?? []).map(entryFromCard),
      lorebook: data.character_book ? lorebookFromCard(data.character_book) : {},
    },
  };
  const result = characterInputSchema.safeParse(candidate, { reportInput: true });
  if (!result.success) throw cardErrorFrom(result.error, cardFieldName);
  return card.image === undefined
    ? { input: result.data }
    : { input: result.data, avatarPng: card.image };
}
