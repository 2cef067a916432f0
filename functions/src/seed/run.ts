// Loads every seed (demo accounts, characters, reference data) into the project the Admin
// SDK points at. Idempotent.
import { join } from "node:path";
import { readSeedCharacters, seedCharacters } from "./characters";
import { seedConfig } from "./config-docs";
import { readSeedGallery, seedMedia } from "./media";
import { readDemoUsers, seedUsers } from "./users";

export interface SeedReport {
  users: string;
  characters: string;
  config: string;
  media: string;
  changed: number;
}

export async function runSeeds(seedsDir: string): Promise<SeedReport> {
  const users = await seedUsers(readDemoUsers(join(seedsDir, "users.json")));
  const seedCharactersList = readSeedCharacters(join(seedsDir, "characters"));
  const characters = await seedCharacters(seedCharactersList);
  const config = await seedConfig();
  const media = await seedMedia(
    readSeedGallery(join(seedsDir, "gallery.json")),
    seedCharactersList.map((character) => character.id),
  );
  return {
    users: users.toString(),
    characters: characters.toString(),
    config: config.toString(),
    media: media.skipped ? `${media.tally.toString()} (${media.skipped})` : media.tally.toString(),
    changed: users.changed + characters.changed + config.changed + media.tally.changed,
  };
}
