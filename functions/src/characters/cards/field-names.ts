// Names a field of our character model by the card field it came from, so a refusal points at
// something the person can find in their card. Pure.
import { AICHAT_KEY } from "./aichat-extension";
import { formatPath, type IssuePath } from "./issues";

const OURS = `extensions.${AICHAT_KEY}`;

const PROFILE_FIELDS: Record<string, string> = {
  name: "name",
  nickname: "nickname",
  description: "description",
  personalitySummary: "personality",
  scenario: "scenario",
  greeting: "first_mes",
  alternateGreetings: "alternate_greetings",
  groupOnlyGreetings: "group_only_greetings",
  exampleDialogue: "mes_example",
  creatorNotes: "creator_notes",
  tags: "tags",
  creator: "creator",
  characterVersion: "character_version",
  extensions: "extensions",
  tagline: `${OURS}.tagline`,
  premiumOnly: `${OURS}.premiumOnly`,
  published: `${OURS}.published`,
  personality: `${OURS}.personality`,
};

const AI_FIELDS: Record<string, string> = {
  systemPromptOverride: "system_prompt",
  postHistoryInstructions: "post_history_instructions",
  knowledgeBase: "character_book.entries",
  lorebook: "character_book",
};

const ENTRY_FIELDS: Record<string, string> = {
  insertionOrder: "insertion_order",
  // Kept entry fields are stored under their own card names.
  extensions: "",
};

function join(base: string, rest: IssuePath): string {
  const tail = formatPath(rest);
  if (base === "") return tail;
  return tail === "" || tail.startsWith("[") ? base + tail : `${base}.${tail}`;
}

/** A path in `CharacterInput` -> the card field, e.g. `character_book.entries[2].insertion_order`. */
export function cardFieldName(path: IssuePath): string {
  const [section, field, ...rest] = path;
  const key = String(field ?? "");
  if (section === "profile") return join(PROFILE_FIELDS[key] ?? key, rest);
  if (section !== "ai") return formatPath(path);
  if (key === "knowledgeBase" && typeof rest[0] === "number") {
    const [index, entryField, ...entryRest] = rest;
    const entryKey = String(entryField ?? "");
    const base = `character_book.entries[${index}]`;
    return entryField === undefined
      ? base
      : join(join(base, [ENTRY_FIELDS[entryKey] ?? entryKey]), entryRest);
  }
  return join(AI_FIELDS[key] ?? `${OURS}.ai.${key}`, rest);
}
