// Reads a parsed JSON value as a V1, V2 or V3 card into the one `CharacterCard` shape.
// Pure: no Firebase imports.
import type { z } from "zod";
import { CARRIED_V3_KEY } from "./aichat-extension";
import {
  carriedV3Schema,
  v1CardSchema,
  v2DataSchema,
  v3DataSchema,
  type CardData,
  type CardVersion,
  type CarriedV3,
  type CharacterCard,
  type V3Extras,
} from "./card-schema";
import { CardError, fieldError } from "./errors";
import { cardErrorFrom, formatPath, type IssuePath } from "./issues";
import { isPlainObject } from "./plain";

const SPECS: Record<string, CardVersion> = { chara_card_v2: 2, chara_card_v3: 3 };

function validate<S extends z.ZodType>(schema: S, value: unknown, prefix: IssuePath): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success)
    throw cardErrorFrom(result.error, (path) => formatPath([...prefix, ...path]));
  return result.data;
}

/** `extensions.aichat_ccv3`, which only this app writes, validated and taken out. */
function takeCarriedV3(extensions: Record<string, unknown>): {
  extensions: Record<string, unknown>;
  carried: CarriedV3;
} {
  const { [CARRIED_V3_KEY]: raw, ...rest } = extensions;
  if (raw === undefined) return { extensions: rest, carried: {} };
  return {
    extensions: rest,
    carried: validate(carriedV3Schema, raw, ["extensions", CARRIED_V3_KEY]),
  };
}

function fromV1(value: unknown): CardData {
  const card = validate(v1CardSchema, value, []);
  return {
    name: card.name,
    nickname: "",
    description: card.description ?? "",
    personality: card.personality ?? "",
    scenario: card.scenario ?? "",
    first_mes: card.first_mes ?? "",
    mes_example: card.mes_example ?? "",
    creator_notes: "",
    system_prompt: "",
    post_history_instructions: "",
    alternate_greetings: [],
    group_only_greetings: [],
    tags: [],
    creator: "",
    character_version: "",
    extensions: {},
  };
}

function fromV2(data: z.output<typeof v2DataSchema>): CardData {
  const { extensions, carried } = takeCarriedV3(data.extensions ?? {});
  const { nickname, group_only_greetings, ...extras } = carried;
  return {
    ...extras,
    name: data.name,
    nickname: nickname ?? "",
    description: data.description ?? "",
    personality: data.personality ?? "",
    scenario: data.scenario ?? "",
    first_mes: data.first_mes ?? "",
    mes_example: data.mes_example ?? "",
    creator_notes: data.creator_notes ?? "",
    system_prompt: data.system_prompt ?? "",
    post_history_instructions: data.post_history_instructions ?? "",
    alternate_greetings: data.alternate_greetings ?? [],
    group_only_greetings: group_only_greetings ?? [],
    tags: data.tags ?? [],
    creator: data.creator ?? "",
    character_version: data.character_version ?? "",
    ...(data.character_book ? { character_book: data.character_book } : {}),
    extensions,
  };
}

/** V3 fields written on the card itself win over ones carried in its extensions. */
function fromV3(data: z.output<typeof v3DataSchema>): CardData {
  const base = fromV2(data);
  const extras: V3Extras = {};
  if (data.assets != null) extras.assets = data.assets;
  if (data.creation_date != null) extras.creation_date = data.creation_date;
  if (data.modification_date != null) extras.modification_date = data.modification_date;
  if (data.source != null) extras.source = data.source;
  if (data.creator_notes_multilingual != null) {
    extras.creator_notes_multilingual = data.creator_notes_multilingual;
  }
  return {
    ...base,
    ...extras,
    nickname: data.nickname ?? base.nickname,
    group_only_greetings: data.group_only_greetings ?? base.group_only_greetings,
  };
}

export function normalizeCard(value: unknown): CharacterCard {
  if (!isPlainObject(value)) throw new CardError("a card must be a JSON object");
  const spec = value.spec;
  if (spec === undefined) {
    if (!("name" in value)) {
      throw new CardError("this JSON is not a character card: it has neither `spec` nor `name`");
    }
    return { version: 1, data: fromV1(value) };
  }
  if (typeof spec !== "string") throw fieldError("spec", "should be text");
  const version = SPECS[spec];
  if (version === undefined) {
    throw fieldError(
      "spec",
      `"${spec.slice(0, 40)}" is not a card format this app reads (chara_card_v2 or chara_card_v3)`,
    );
  }
  // Card fields are named without the `data.` in reasons, as the specs name them.
  if (!isPlainObject(value.data)) throw fieldError("data", "should be an object");
  if (version === 3) return { version, data: fromV3(validate(v3DataSchema, value.data, [])) };
  return { version, data: fromV2(validate(v2DataSchema, value.data, [])) };
}
