// Loads every seed (demo accounts, characters, reference data) into the project the Admin
// SDK points at. Idempotent.
import { join } from "node:path";
import { readSeedCharacters, seedCharacters } from "./characters";
import { seedConfig } from "./config-docs";
import { readDemoUsers, seedUsers } from "./users";

export interface SeedReport {
  users: string;
  characters: string;
  config: string;
  changed: number;
}

export async function runSeeds(seedsDir: string): Promise<SeedReport> {
  const users = await seedUsers(readDemoUsers(join(seedsDir, "users.json")));
  const characters = await seedCharacters(readSeedCharacters(join(seedsDir, "characters")));
  const config = await seedConfig();
  return {
    users: users.toString(),
    characters: characters.toString(),
    config: config.toString(),
    changed: users.changed + characters.changed + config.changed,
  };
}
