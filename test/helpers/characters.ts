// Characters arranged directly with the Admin SDK, shaped by the real model schemas.
import {
  aiSettingsSchema,
  characterProfileSchema,
  EMPTY_STATS,
} from "../../functions/src/contract/characters";
import { db } from "../../functions/src/shared/firebase";

export async function createCharacter(
  id: string,
  profile: Record<string, unknown> = {},
  ai: Record<string, unknown> = {},
): Promise<void> {
  const parsedProfile = characterProfileSchema.parse({
    name: "Luna",
    greeting: "Hello there, traveller!",
    personality: {
      traits: ["warmth", "ideas"],
      tone: "warm",
      formality: 3,
      humor: 6,
      empathy: 8,
      creativity: 7,
      confidence: 6,
    },
    published: true,
    ...profile,
  });
  const character = db().collection("characters").doc(id);
  await character.set({ ...parsedProfile, stats: EMPTY_STATS });
  await character
    .collection("private")
    .doc("ai")
    .set(aiSettingsSchema.parse({ model: "gpt-4o-mini", ...ai }));
}
