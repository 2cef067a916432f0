// The client library's character helpers end to end: the documented listings with paging,
// live listings that see a character published by an admin, galleries for free and premium
// users, ratings, view markers and the traits list.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AppError,
  getCharacter,
  getMyRating,
  getTraits,
  listCharacters,
  listGallery,
  markGalleryItemViewed,
  rateCharacter,
  removeRating,
  watchCharacters,
  type CharacterDoc,
} from "../../client/src/index";
import { addGalleryItem, setCharacterPublished } from "../../client/src/admin";
import { seedConfig } from "../../functions/src/seed/config-docs";
import { Timestamp } from "../../functions/src/shared/firebase";
import { db, signUpAdmin, waitUntil } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";

beforeEach(async () => {
  await clearFirestore();
});
afterEach(async () => {
  await closeAllClientApps();
});

async function withPopularity(id: string, popularity: number, profile: Record<string, unknown>) {
  await createCharacter(id, profile);
  await db().doc(`characters/${id}`).update({ "stats.popularity": popularity });
}

describe("characters through the client library", () => {
  it("lists published characters by popularity, tag and trait, a page at a time", async () => {
    await withPopularity("aria", 30, {
      name: "Aria",
      tags: ["space"],
      personality: { traits: ["warmth"] },
    });
    await withPopularity("boris", 20, {
      name: "Boris",
      tags: ["space", "history"],
      personality: { traits: ["order"] },
    });
    await withPopularity("cleo", 10, {
      name: "Cleo",
      tags: ["history"],
      personality: { traits: ["ideas"] },
    });
    await withPopularity("draft", 99, { name: "Draft", published: false, tags: ["space"] });
    const client = await signUp("browser");

    const page1 = await listCharacters(client, { by: "popular" }, { pageSize: 2 });
    expect(page1.items.map((each) => each.id)).toEqual(["aria", "boris"]);
    expect(page1.items[0]?.stats.popularity).toBe(30);
    const page2 = await listCharacters(
      client,
      { by: "popular" },
      { pageSize: 2, after: page1.next },
    );
    expect(page2.items.map((each) => each.id)).toEqual(["cleo"]);
    expect(page2.next).toBeNull();

    const space = await listCharacters(client, { by: "tag", tag: "space" });
    expect(space.items.map((each) => each.id)).toEqual(["aria", "boris"]);
    const curious = await listCharacters(client, { by: "trait", trait: "ideas" });
    expect(curious.items.map((each) => each.id)).toEqual(["cleo"]);

    expect((await getCharacter(client, "aria"))?.name).toBe("Aria");
    // A draft does not exist for users.
    await expect(getCharacter(client, "draft")).resolves.toBeNull();
    await expect(getCharacter(client, "nobody")).resolves.toBeNull();
  }, 120_000);

  it("shows a character an admin publishes in a live listing, without a reload", async () => {
    await createCharacter("shy", { name: "Shy", published: false });
    const admin = await signUpAdmin();
    const viewer = await signUp("viewer");
    const seen: CharacterDoc[][] = [];
    const stop = watchCharacters(viewer, { by: "popular" }, (characters) => seen.push(characters));
    await waitUntil(async () => Promise.resolve(seen.length > 0), 60_000, "the first listing");
    expect(seen[0]).toEqual([]);
    await setCharacterPublished(admin, "shy", true);
    await waitUntil(
      async () => Promise.resolve(seen.at(-1)?.some((each) => each.id === "shy") ?? false),
      60_000,
      "the published character",
    );
    stop();
  }, 120_000);

  it("keeps premium gallery items from free users and shows them to premium users", async () => {
    await createCharacter("luna", { name: "Luna" });
    const admin = await signUpAdmin();
    const free = await addGalleryItem(admin, {
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/sunset/sunset.jpg",
      caption: "Sunset",
    });
    const premium = await addGalleryItem(admin, {
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/secret/secret.jpg",
      premiumOnly: true,
    });
    expect(free.itemId).toBe("sunset");

    const user = await signUp("free");
    const visible = await listGallery(user, "luna", { includePremium: false });
    expect(visible.map((item) => item.id)).toEqual(["sunset"]);
    expect(visible[0]).toMatchObject({ caption: "Sunset", premiumOnly: false, viewCount: 0 });
    const refused = await listGallery(user, "luna", { includePremium: true }).catch(
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "permission_denied" });

    const member = await signUp("member");
    await db()
      .doc(`users/${member.user.uid}`)
      .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 86_400_000) });
    const all = await listGallery(member, "luna", { includePremium: true });
    expect(all.map((item) => item.id).sort()).toEqual([premium.itemId, "sunset"].sort());
    expect(
      (await listGallery(member, "luna", { includePremium: true, type: "video" })).length,
    ).toBe(0);

    // A view is recorded once per user and item.
    await expect(markGalleryItemViewed(user, "luna", "sunset")).resolves.toBe(true);
    await expect(markGalleryItemViewed(user, "luna", "sunset")).resolves.toBe(false);
    const premiumView = await markGalleryItemViewed(user, "luna", premium.itemId).catch(
      (caught: unknown) => caught,
    );
    expect(premiumView).toMatchObject({ code: "permission_denied" });
  }, 120_000);

  it("rates a character, changes the rating and removes it; the average follows", async () => {
    await createCharacter("luna", { name: "Luna" });
    const user = await signUp("critic");
    await rateCharacter(user, "luna", 4);
    await expect(getMyRating(user, "luna")).resolves.toBe(4);
    const stats = () => db().doc("characters/luna").get();
    await waitUntil(
      async () => (await stats()).get("stats.ratingCount") === 1,
      60_000,
      "the rating",
    );
    await rateCharacter(user, "luna", 2);
    await waitUntil(
      async () => (await stats()).get("stats.ratingAverage") === 2,
      60_000,
      "the change",
    );
    expect(
      (await rateCharacter(user, "luna", 6).catch((caught: unknown) => caught)) as AppError,
    ).toMatchObject({
      code: "permission_denied",
    });
    await removeRating(user, "luna");
    await expect(getMyRating(user, "luna")).resolves.toBeNull();
    await waitUntil(
      async () => (await stats()).get("stats.ratingCount") === 0,
      60_000,
      "the removal",
    );
  }, 120_000);

  it("reads the traits list", async () => {
    await seedConfig();
    const user = await signUp("curious");
    const traits = await getTraits(user);
    expect(traits?.domains.openness).toContain("ideas");
    expect(traits?.tones).toContain("warm");
    expect(traits?.descriptions.warmth).toMatch(/warm/);
  }, 120_000);
});
