// Our character -> Character Card V2 JSON, V3 JSON and a PNG carrying both. The mapping is
// documented in docs/character-cards.md. Pure: no Firebase imports.
import type { CharacterInput } from "../../contract/characters";
import { AICHAT_KEY, CARRIED_V3_KEY, type AichatExtension } from "./aichat-extension";
import { encodeBase64Text } from "./base64";
import { v3ExtrasSchema, type V3Extras } from "./card-schema";
import { embedCardInPng } from "./card-png";
import { cardErrorFrom, formatPath } from "./issues";
import { bookToCard } from "./lorebook";
import { placeholderPng } from "./placeholder-png";

export interface CardJson {
  spec: "chara_card_v2" | "chara_card_v3";
  spec_version: "2.0" | "3.0";
  data: Record<string, unknown>;
}

function aichatOf({ profile, ai }: CharacterInput): AichatExtension {
  return {
    tagline: profile.tagline,
    premiumOnly: profile.premiumOnly,
    published: profile.published,
    personality: profile.personality,
    ai: {
      model: ai.model,
      temperature: ai.temperature,
      maxTokens: ai.maxTokens,
      contextWindow: ai.contextWindow,
      knowledgeBudgetTokens: ai.knowledgeBudgetTokens,
      restrictedTopics: ai.restrictedTopics,
    },
  };
}

/** The stored extensions split into the card's own and the V3-only fields kept beside them. */
function splitExtensions(extensions: Record<string, unknown>): {
  own: Record<string, unknown>;
  v3: V3Extras;
} {
  const own = { ...extensions };
  const raw = own[CARRIED_V3_KEY];
  delete own[CARRIED_V3_KEY];
  delete own[AICHAT_KEY];
  if (raw === undefined) return { own, v3: {} };
  const result = v3ExtrasSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw cardErrorFrom(result.error, (path) =>
      formatPath(["extensions", CARRIED_V3_KEY, ...path]),
    );
  }
  return { own, v3: result.data };
}

/** The fields V2 and V3 share. */
function commonData(input: CharacterInput, version: 2 | 3): Record<string, unknown> {
  const { profile, ai } = input;
  const book = bookToCard(ai.knowledgeBase, ai.lorebook, version);
  return {
    name: profile.name,
    description: profile.description,
    personality: profile.personalitySummary,
    scenario: profile.scenario,
    first_mes: profile.greeting,
    mes_example: profile.exampleDialogue,
    creator_notes: profile.creatorNotes,
    system_prompt: ai.systemPromptOverride,
    post_history_instructions: ai.postHistoryInstructions,
    alternate_greetings: profile.alternateGreetings,
    ...(book === undefined ? {} : { character_book: book }),
    tags: profile.tags,
    creator: profile.creator,
    character_version: profile.characterVersion,
  };
}

export function characterToCardV2(input: CharacterInput): CardJson {
  const { profile } = input;
  const { own, v3 } = splitExtensions(profile.extensions);
  // V2 has no place for these; they ride in an extension of ours so a V2 export loses nothing.
  const carried: Record<string, unknown> = { ...v3 };
  if (profile.nickname !== "") carried.nickname = profile.nickname;
  if (profile.groupOnlyGreetings.length > 0)
    carried.group_only_greetings = profile.groupOnlyGreetings;
  const extensions: Record<string, unknown> = { ...own, [AICHAT_KEY]: aichatOf(input) };
  if (Object.keys(carried).length > 0) extensions[CARRIED_V3_KEY] = carried;
  return {
    spec: "chara_card_v2",
    spec_version: "2.0",
    data: { ...commonData(input, 2), extensions },
  };
}

export function characterToCardV3(input: CharacterInput): CardJson {
  const { profile } = input;
  const { own, v3 } = splitExtensions(profile.extensions);
  return {
    spec: "chara_card_v3",
    spec_version: "3.0",
    data: {
      ...commonData(input, 3),
      // Other apps show a nickname in place of the name, so an empty one is left out.
      ...(profile.nickname === "" ? {} : { nickname: profile.nickname }),
      group_only_greetings: profile.groupOnlyGreetings,
      ...v3,
      extensions: { ...own, [AICHAT_KEY]: aichatOf(input) },
    },
  };
}

export function characterToCardV2Json(input: CharacterInput): string {
  return JSON.stringify(characterToCardV2(input), null, 2);
}

export function characterToCardV3Json(input: CharacterInput): string {
  return JSON.stringify(characterToCardV3(input), null, 2);
}

/**
 * A PNG card with both a `chara` (V2) and a `ccv3` (V3) chunk, so older and newer apps can
 * read it. Card chunks already in `imagePng` are replaced; without an image a plain square
 * stands in.
 */
export function characterToCardPng(input: CharacterInput, imagePng?: Uint8Array): Uint8Array {
  const image = imagePng ?? placeholderPng(input.profile.name);
  return embedCardInPng(image, {
    chara: encodeBase64Text(JSON.stringify(characterToCardV2(input))),
    ccv3: encodeBase64Text(JSON.stringify(characterToCardV3(input))),
  });
}
