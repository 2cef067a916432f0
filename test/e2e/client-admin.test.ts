// The client library's admin entry point end to end: characters and their AI settings,
// publishing, Character Card import and export, accounts, AI usage; and refusal for users.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  aiUsageStats,
  createCharacter,
  deleteCharacter,
  exportCharacterCard,
  importCharacterCard,
  isAdmin,
  removeGalleryItem,
  addGalleryItem,
  setCharacterPublished,
  setPremium,
  setRateLimitExempt,
  setUserRole,
  updateAiSettings,
  updateCharacter,
  watchAiSettings,
  watchAllCharacters,
} from "../../client/src/admin";
import { AppError, getCharacter, type AiSettings, type WithId } from "../../client/src/index";
import { db, signUpAdmin, waitUntil } from "../helpers/admin";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";

beforeEach(async () => {
  await clearFirestore();
  await clearAuth();
});
afterEach(async () => {
  await closeAllClientApps();
});

const CARD = {
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: {
    name: "Captain Brine",
    description: "A salty sea captain.",
    personality: "gruff but kind",
    scenario: "On deck in a storm.",
    first_mes: "Ahoy there!",
    mes_example: "",
    creator_notes: "",
    system_prompt: "",
    post_history_instructions: "",
    alternate_greetings: [],
    tags: ["sea"],
    creator: "tests",
    character_version: "1",
    extensions: {},
  },
};

describe("admin helpers", () => {
  it("create, edit, tune, publish and delete a character", async () => {
    const admin = await signUpAdmin();
    await expect(isAdmin(admin)).resolves.toBe(true);
    const id = await createCharacter(admin, {
      profile: { name: "Nova Navigator", tags: ["space"] },
    });
    expect(id).toBe("nova-navigator");
    const all = await new Promise<string[]>((resolve) => {
      const stop = watchAllCharacters(admin, (characters) => {
        if (characters.length === 0) return;
        stop();
        resolve(characters.map((each) => `${each.id}:${each.published}`));
      });
    });
    expect(all).toEqual(["nova-navigator:false"]);

    await expect(
      updateCharacter(admin, {
        id,
        profile: { tagline: "To the stars", personality: { humor: 9 } },
      }),
    ).resolves.toEqual(["profile.personality", "profile.tagline"]);
    await expect(updateAiSettings(admin, id, { temperature: 0.3 })).resolves.toEqual([
      "ai.temperature",
    ]);
    const ai = await new Promise<WithId<AiSettings>>((resolve) => {
      const stop = watchAiSettings(admin, id, (settings) => {
        if (settings?.temperature !== 0.3) return;
        stop();
        resolve(settings);
      });
    });
    expect(ai.maxTokens).toBe(400);

    const user = await signUp("reader");
    await expect(getCharacter(user, id)).resolves.toBeNull();
    await setCharacterPublished(admin, id, true);
    expect((await getCharacter(user, id))?.tagline).toBe("To the stars");

    const gallery = await addGalleryItem(admin, {
      characterId: id,
      type: "image",
      storagePath: `characters/${id}/gallery/first/one.jpg`,
    });
    await removeGalleryItem(admin, id, gallery.itemId);
    await deleteCharacter(admin, id);
    await expect(getCharacter(user, id)).resolves.toBeNull();
  }, 120_000);

  it("imports a card given as an object or as JSON text, and exports JSON and PNG", async () => {
    const admin = await signUpAdmin();
    const fromObject = await importCharacterCard(admin, { json: CARD });
    expect(fromObject).toMatchObject({
      id: "captain-brine",
      name: "Captain Brine",
      published: false,
    });
    const fromText = await importCharacterCard(admin, { json: JSON.stringify(CARD) });
    expect(fromText.id).toBe("captain-brine-2");

    const json = await exportCharacterCard(admin, fromObject.id, "json");
    const card = JSON.parse(json.json) as typeof CARD;
    expect(card.spec).toBe("chara_card_v2");
    expect(card.data.first_mes).toBe("Ahoy there!");
    const png = await exportCharacterCard(admin, fromObject.id, "png");
    expect([...png.png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // The exported PNG imports back.
    await expect(
      importCharacterCard(admin, { png: png.png }, { id: "brine-again" }),
    ).resolves.toMatchObject({
      id: "brine-again",
      name: "Captain Brine",
    });

    const broken = await importCharacterCard(admin, { json: "{not json" }).catch(
      (caught: unknown) => caught,
    );
    expect(broken).toMatchObject({ code: "card_invalid", status: "invalid-argument" });
  }, 120_000);

  it("changes roles, premium and the rate-limit exemption; reads AI usage", async () => {
    const admin = await signUpAdmin();
    const user = await signUp("member");
    const uid = user.user.uid;
    const until = new Date(Date.now() + 3 * 86_400_000);
    expect((await setPremium(admin, uid, { until }))?.toISOString()).toBe(until.toISOString());
    const extended = await setPremium(admin, uid, { addDays: 2 });
    expect(extended?.getTime()).toBe(until.getTime() + 2 * 86_400_000);
    await expect(setPremium(admin, uid, { until: null })).resolves.toBeNull();
    await setRateLimitExempt(admin, uid, true);
    expect((await db().doc(`users/${uid}`).get()).get("rateLimitExempt")).toBe(true);
    await setUserRole(admin, uid, "admin");
    await waitUntil(async () => isAdmin(user), 15_000, "the admin claim");
    const self = await setUserRole(admin, admin.user.uid, "user").catch(
      (caught: unknown) => caught,
    );
    expect(self).toMatchObject({ code: "own_admin_role" });

    const today = new Date().toISOString().slice(0, 10);
    const report = await aiUsageStats(admin, today, today);
    expect(report.total).toMatchObject({ replies: 0, costUsd: 0 });
  }, 120_000);

  it("refuses every admin helper to a user who is not an admin", async () => {
    const user = await signUp("nobody");
    const refused = await createCharacter(user, { profile: { name: "Nope" } }).catch(
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "admin_only", status: "permission-denied" });
    await expect(isAdmin(user)).resolves.toBe(false);
  }, 120_000);
});
