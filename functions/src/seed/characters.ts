// Seed characters come from character-card files (seeds/characters/*.json), the same
// format admins import, so seeds double as examples of the card mapping.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cardToCharacter, parseCardJson } from "../characters/cards";
import { EMPTY_STATS, type CharacterInput } from "../contract/characters";
import { aiSettingsDoc, characterDoc } from "../characters/store";
import { Tally, writeIfChanged } from "./write-if-changed";

export interface SeedCharacter {
  id: string;
  input: CharacterInput;
}

export function readSeedCharacters(dir: string): SeedCharacter[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({
      id: file.replace(/\.json$/, ""),
      input: cardToCharacter(parseCardJson(readFileSync(join(dir, file), "utf8")), {
        trustPublished: true,
      }).input,
    }));
}

export async function seedCharacters(characters: SeedCharacter[]): Promise<Tally> {
  const tally = new Tally();
  for (const { id, input } of characters) {
    const ref = characterDoc(id);
    const existing = await ref.get();
    const { avatar, ...profile } = input.profile;
    tally.add(
      await writeIfChanged(ref, {
        ...profile,
        // Stats belong to the server once the character is live, and the avatar to the media
        // seed (seedMedia) or an admin: seeding never resets them.
        ...(existing.exists ? {} : { stats: EMPTY_STATS, avatar }),
      }),
    );
    // The AI settings schema is strict (the callables write exactly its fields): no timestamps.
    tally.add(await writeIfChanged(aiSettingsDoc(id), { ...input.ai }, { timestamps: false }));
  }
  return tally;
}
