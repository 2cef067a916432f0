// What the benchmarks arrange and how they summarise: a user profile, a published
// character with its AI settings, and percentiles.
import {
  aiSettingsSchema,
  characterProfileSchema,
  EMPTY_STATS,
} from "../functions/src/contract/characters";
import { db, FieldValue, Timestamp } from "../functions/src/shared/firebase";

/** The p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A user profile as the auth trigger writes it; premium for a day when asked. */
export async function createBenchUser(uid: string, premium: boolean): Promise<void> {
  await db()
    .collection("users")
    .doc(uid)
    .set({
      uid,
      email: `${uid}@example.test`,
      username: null,
      displayName: "Bench",
      bio: "",
      avatarPath: null,
      preferences: {},
      role: "user",
      premiumUntil: premium ? Timestamp.fromMillis(Date.now() + 86_400_000) : null,
      deactivated: false,
      createdAt: FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
}

/** A published character, Luna, with AI settings (overrides merged in). */
export async function createBenchCharacter(
  characterId: string,
  ai: Record<string, unknown> = {},
): Promise<void> {
  const character = db().collection("characters").doc(characterId);
  await character.set({
    ...characterProfileSchema.parse({ name: "Luna", greeting: "Hello!", published: true }),
    stats: EMPTY_STATS,
  });
  await character
    .collection("private")
    .doc("ai")
    .set(aiSettingsSchema.parse({ model: "gpt-4o-mini", ...ai }));
}
