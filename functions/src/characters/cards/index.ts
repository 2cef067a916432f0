// Character Card (V1, V2, V3) import and export. Pure: no Firebase imports; callers store
// the result and the avatar image.
export { CardError } from "./errors";
export { parseCardJson, parseCardPng } from "./parse";
export { cardToCharacter, type ImportOptions, type ImportedCharacter } from "./to-character";
export {
  characterToCardPng,
  characterToCardV2,
  characterToCardV2Json,
  characterToCardV3,
  characterToCardV3Json,
  type CardJson,
} from "./from-character";
export type { CardData, CardVersion, CharacterCard } from "./card-schema";
export { AICHAT_KEY, CARRIED_V3_KEY } from "./aichat-extension";
