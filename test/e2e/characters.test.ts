// Characters as client apps and admins meet them: listing through the client SDK, private
// settings and premium gallery items kept out of reach, admin callables, character cards,
// ratings and gallery views that cannot be inflated.
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  limit,
  orderBy,
  query,
  serverTimestamp,
  setDoc,
  startAfter,
  where,
  type DocumentSnapshot,
  type Firestore,
  type Query,
  type QueryConstraint,
} from "firebase/firestore";
import { readFileSync } from "node:fs";
import { Buffer } from "node:buffer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardToCharacter, parseCardJson, parseCardPng } from "../../functions/src/characters/cards";
import { countGalleryView, refreshViewCount } from "../../functions/src/characters/gallery";
import {
  CHARACTER_QUERIES,
  EMPTY_STATS,
  GALLERY_QUERIES,
  aiSettingsSchema,
  type QueryShape,
} from "../../functions/src/contract/characters";
import { applyRatingEvent } from "../../functions/src/characters/ratings";
import { rollupRecentStats } from "../../functions/src/characters/rollup";
import { statShardCount, statShardRef } from "../../functions/src/chat/stats";
import { storedAiSchema, storedProfileSchema } from "../../functions/src/characters/store";
import { seedConfig } from "../../functions/src/seed/config-docs";
import { Timestamp } from "../../functions/src/shared/firebase";
import { callError, db, signUpAdmin, waitUntil } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp, type ClientApp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { waitForDoc } from "../helpers/wait-for";
import { pngCard } from "../unit/characters/card-files";

const storageRunning = process.env.AICHAT_STORAGE_EMULATOR_RUNNING === "1";

beforeEach(async () => {
  await clearFirestore();
});
afterEach(async () => {
  await closeAllClientApps();
});

/** A client query built from a documented shape, as docs/characters.md shows it. */
function listQuery(
  firestore: Firestore,
  path: [string, ...string[]],
  shape: QueryShape,
  values: Record<string, unknown>,
  page: { size: number; after?: DocumentSnapshot },
): Query {
  const constraints: QueryConstraint[] = shape.equality.map((field) =>
    where(field, "==", values[field]),
  );
  if (shape.arrayContains)
    constraints.push(where(shape.arrayContains, "array-contains", values[shape.arrayContains]));
  for (const order of shape.orderBy) constraints.push(orderBy(order.field, order.direction));
  if (page.after) constraints.push(startAfter(page.after));
  constraints.push(limit(page.size));
  return query(collection(firestore, ...path), ...constraints);
}

async function makePremium(uid: string): Promise<void> {
  await db()
    .doc(`users/${uid}`)
    .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 86_400_000) });
}

async function setPopularity(id: string, popularity: number): Promise<void> {
  await db().doc(`characters/${id}`).update({ "stats.popularity": popularity });
}

async function viewShardTotal(characterId: string, itemId: string): Promise<number> {
  const shards = await db()
    .collection(`characters/${characterId}/gallery/${itemId}/viewShards`)
    .get();
  return shards.docs.reduce((sum, shard) => sum + Number(shard.get("count") ?? 0), 0);
}

async function statsOf(id: string) {
  return (await db().doc(`characters/${id}`).get()).get("stats");
}

describe("listing characters (client SDK)", () => {
  beforeEach(async () => {
    await createCharacter("aria", {
      name: "Aria",
      tags: ["space", "music"],
      personality: { traits: ["warmth"] },
    });
    await createCharacter("brine", {
      name: "Brine",
      tags: ["sea"],
      personality: { traits: ["ideas"] },
    });
    await createCharacter("cosmo", {
      name: "Cosmo",
      tags: ["space"],
      personality: { traits: ["ideas", "warmth"] },
    });
    await createCharacter("dune", {
      name: "Dune",
      tags: ["space"],
      personality: { traits: ["order"] },
    });
    await createCharacter("echo", {
      name: "Echo",
      tags: ["music"],
      personality: { traits: ["warmth"] },
    });
    await createCharacter("draft", {
      name: "Draft",
      tags: ["space"],
      published: false,
      personality: { traits: ["warmth"] },
    });
    for (const [id, popularity] of [
      ["aria", 50],
      ["brine", 10],
      ["cosmo", 40],
      ["dune", 30],
      ["echo", 20],
      ["draft", 99],
    ] as const) {
      await setPopularity(id, popularity);
    }
  });

  it("pages through published characters by popularity with a cursor", async () => {
    const user = await signUp("lister");
    const pages: string[][] = [];
    let after: DocumentSnapshot | undefined;
    for (;;) {
      const page = await getDocs(
        listQuery(
          user.db,
          ["characters"],
          CHARACTER_QUERIES.popular,
          { published: true },
          { size: 2, ...(after ? { after } : {}) },
        ),
      );
      if (page.empty) break;
      pages.push(page.docs.map((character) => character.id));
      after = page.docs.at(-1);
    }
    expect(pages).toEqual([["aria", "cosmo"], ["dune", "echo"], ["brine"]]);
  });

  it("filters by tag and by trait, most popular first, drafts never included", async () => {
    const user = await signUp("filterer");
    const byTag = await getDocs(
      listQuery(
        user.db,
        ["characters"],
        CHARACTER_QUERIES.byTag,
        { published: true, tags: "space" },
        { size: 10 },
      ),
    );
    expect(byTag.docs.map((character) => character.id)).toEqual(["aria", "cosmo", "dune"]);
    const byTrait = await getDocs(
      listQuery(
        user.db,
        ["characters"],
        CHARACTER_QUERIES.byTrait,
        { published: true, "personality.traits": "warmth" },
        { size: 10 },
      ),
    );
    expect(byTrait.docs.map((character) => character.id)).toEqual(["aria", "cosmo", "echo"]);
    // Without the published filter the query could return drafts, so the rules refuse it.
    await expect(getDocs(query(collection(user.db, "characters"), limit(5)))).rejects.toMatchObject(
      {
        code: "permission-denied",
      },
    );
    await expect(getDoc(doc(user.db, "characters", "draft"))).rejects.toMatchObject({
      code: "permission-denied",
    });
  });

  it("reads the personality traits list from config/traits", async () => {
    await seedConfig();
    const user = await signUp("traits");
    const traits = await getDoc(doc(user.db, "config", "traits"));
    const domains: Record<string, string[]> = traits.get("domains");
    expect(Object.keys(domains)).toHaveLength(5);
    expect(Object.values(domains).flat()).toHaveLength(30);
    expect(traits.get("descriptions").warmth).toMatch(/warm/);
  });
});

describe("private settings and premium gallery items", () => {
  it("free users get neither; premium users get the gallery, never the settings", async () => {
    await createCharacter("luna", { name: "Luna" }, { systemPromptOverride: "secret" });
    const admin = await signUpAdmin();
    const free = await admin.call<{ itemId: string }>("addGalleryItem", {
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/sunset.jpg",
      caption: "Sunset",
      tags: ["sky"],
    });
    const premium = await admin.call<{ itemId: string }>("addGalleryItem", {
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/exclusive.jpg",
      caption: "Just for you",
      premiumOnly: true,
    });
    const gallery: [string, ...string[]] = ["characters", "luna", "gallery"];

    const user = await signUp("freebie");
    // The free user cannot read the premium item, but sees that it exists.
    expect((await getDoc(doc(user.db, "characters/luna"))).get("galleryCounts")).toEqual({
      free: 1,
      premium: 1,
    });
    await expect(getDoc(doc(user.db, "characters/luna/private/ai"))).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(
      getDoc(doc(user.db, `characters/luna/gallery/${premium.itemId}`)),
    ).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(
      getDocs(listQuery(user.db, gallery, GALLERY_QUERIES.all, {}, { size: 10 })),
    ).rejects.toMatchObject({
      code: "permission-denied",
    });
    const freeList = await getDocs(
      listQuery(user.db, gallery, GALLERY_QUERIES.free, { premiumOnly: false }, { size: 10 }),
    );
    expect(freeList.docs.map((item) => item.id)).toEqual([free.itemId]);
    expect(freeList.docs[0]?.data()).toMatchObject({
      type: "image",
      storagePath: "characters/luna/gallery/sunset.jpg",
      caption: "Sunset",
      tags: ["sky"],
      premiumOnly: false,
      variants: {},
      viewCount: 0,
    });
    const freeImages = await getDocs(
      listQuery(
        user.db,
        gallery,
        GALLERY_QUERIES.freeByType,
        { type: "image", premiumOnly: false },
        { size: 10 },
      ),
    );
    expect(freeImages.size).toBe(1);

    await makePremium(user.user.uid);
    expect(
      (await getDoc(doc(user.db, `characters/luna/gallery/${premium.itemId}`))).get("caption"),
    ).toBe("Just for you");
    const all = await getDocs(listQuery(user.db, gallery, GALLERY_QUERIES.all, {}, { size: 10 }));
    expect(all.docs.map((item) => item.id)).toEqual([premium.itemId, free.itemId]);
    const allImages = await getDocs(
      listQuery(user.db, gallery, GALLERY_QUERIES.allByType, { type: "image" }, { size: 10 }),
    );
    expect(allImages.size).toBe(2);
    await expect(getDoc(doc(user.db, "characters/luna/private/ai"))).rejects.toMatchObject({
      code: "permission-denied",
    });
  });
});

describe("admin management (callables)", () => {
  it("creates, updates, publishes and tunes a character, audited, stats untouched", async () => {
    const admin = await signUpAdmin();
    const user = await signUp("watcher");
    const created = await admin.call<{ id: string }>("createCharacter", {
      id: "nova",
      profile: {
        name: "Nova",
        tags: ["space"],
        personality: { traits: ["ideas", "warmth"], humor: 4 },
      },
      ai: { temperature: 0.5, systemPromptOverride: "You are Nova." },
    });
    expect(created).toEqual({ id: "nova" });
    const stored = await db().doc("characters/nova").get();
    expect(stored.get("stats")).toEqual(EMPTY_STATS);
    expect(stored.get("published")).toBe(false);
    expect((await db().doc("characters/nova/private/ai").get()).data()).toEqual(
      aiSettingsSchema.parse({ temperature: 0.5, systemPromptOverride: "You are Nova." }),
    );
    await expect(getDoc(doc(user.db, "characters/nova"))).rejects.toMatchObject({
      code: "permission-denied",
    });

    expect(
      await callError(admin.call("createCharacter", { id: "nova", profile: { name: "Other" } })),
    ).toMatchObject({
      code: "functions/already-exists",
    });
    // Without an id, one is made from the name, avoiding the taken one.
    expect(await admin.call("createCharacter", { profile: { name: "Nova" } })).toEqual({
      id: "nova-2",
    });

    await db().doc("characters/nova").update({ "stats.messages": 7, "stats.popularity": 12.5 });
    const updated = await admin.call<{ changed: string[] }>("updateCharacter", {
      id: "nova",
      profile: { tagline: "Navigator of the outer rim", personality: { humor: 9 } },
      ai: { maxTokens: 200 },
    });
    expect(updated.changed).toEqual(["profile.personality", "profile.tagline", "ai.maxTokens"]);
    const afterUpdate = await db().doc("characters/nova").get();
    expect(afterUpdate.get("tagline")).toBe("Navigator of the outer rim");
    expect(afterUpdate.get("personality")).toMatchObject({ traits: ["ideas", "warmth"], humor: 9 });
    expect(afterUpdate.get("stats")).toMatchObject({ messages: 7, popularity: 12.5 });

    await admin.call("updateAiSettings", { id: "nova", ai: { restrictedTopics: ["politics"] } });
    const ai = (await db().doc("characters/nova/private/ai").get()).data();
    expect(ai).toMatchObject({ temperature: 0.5, maxTokens: 200, restrictedTopics: ["politics"] });

    await admin.call("setCharacterPublished", { id: "nova", published: true });
    const visible = await getDoc(doc(user.db, "characters/nova"));
    expect(visible.get("name")).toBe("Nova");
    expect(visible.get("stats")).toMatchObject({ messages: 7 });

    const audit = await db().collection("auditLog").where("characterId", "==", "nova").get();
    expect(audit.docs.map((entry) => entry.get("action")).sort()).toEqual(
      ["createCharacter", "setCharacterPublished", "updateAiSettings", "updateCharacter"].sort(),
    );
    expect(audit.docs.every((entry) => entry.get("actorUid") === admin.user.uid)).toBe(true);
    const aiAudit = audit.docs.find((entry) => entry.get("action") === "updateAiSettings");
    expect(aiAudit?.get("after")).toEqual({ "ai.restrictedTopics": "(list of 1)" });
  }, 120_000);

  it("deletes a character with everything under it, leaving conversations alone", async () => {
    const admin = await signUpAdmin();
    const fan = await signUp("fan");
    await admin.call("createCharacter", {
      id: "brief",
      profile: { name: "Brief", published: true },
    });
    const { itemId } = await admin.call<{ itemId: string }>("addGalleryItem", {
      characterId: "brief",
      type: "audio",
      storagePath: "characters/brief/gallery/hello.mp3",
    });
    await setDoc(doc(fan.db, `characters/brief/gallery/${itemId}/views/${fan.user.uid}`), {
      uid: fan.user.uid,
      viewedAt: serverTimestamp(),
    });
    await setDoc(doc(fan.db, `characters/brief/ratings/${fan.user.uid}`), {
      uid: fan.user.uid,
      stars: 4,
      updatedAt: serverTimestamp(),
    });
    await waitUntil(
      async () => (await statsOf("brief")).ratingCount === 1,
      15_000,
      "the rating to count",
    );
    await waitUntil(
      async () => (await viewShardTotal("brief", itemId)) === 1,
      15_000,
      "the view to count",
    );
    await db()
      .doc(`conversations/${fan.user.uid}_brief`)
      .set({ userId: fan.user.uid, characterId: "brief" });
    // Records the upload trigger writes for character files (it needs Storage, so they are
    // written here directly).
    const galleryRecord = (characterId: string) => ({
      path: `characters/${characterId}/gallery/photo.jpg`,
      bucket: "demo-bucket",
      generation: "1",
      characterId,
      scope: "gallery",
      kind: "image",
      status: "ready",
    });
    await db().doc("media/brief-photo").set(galleryRecord("brief"));
    await db().doc("media/other-photo").set(galleryRecord("other"));

    await expect(admin.call("deleteCharacter", { id: "brief" })).resolves.toEqual({
      id: "brief",
      deleted: true,
    });
    expect((await db().doc("characters/brief").get()).exists).toBe(false);
    expect(await db().doc("characters/brief").listCollections()).toEqual([]);
    expect((await db().doc(`conversations/${fan.user.uid}_brief`).get()).exists).toBe(true);
    expect((await db().doc("media/brief-photo").get()).exists).toBe(false);
    expect((await db().doc("media/other-photo").get()).exists).toBe(true);
    // A deletion cut short after the character went leaves records behind; calling again
    // answers not-found and still finishes the cleanup.
    await db().doc("media/brief-left-over").set(galleryRecord("brief"));
    expect(await callError(admin.call("deleteCharacter", { id: "brief" }))).toMatchObject({
      code: "functions/not-found",
    });
    expect((await db().doc("media/brief-left-over").get()).exists).toBe(false);
    const audit = await db().collection("auditLog").where("action", "==", "deleteCharacter").get();
    expect(audit.docs[0]?.get("before")).toEqual({ name: "Brief", published: true });
    // The ratings' deletion events find the character gone and recreate nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await db().doc("characters/brief").listCollections()).toEqual([]);
  });

  it("adds and removes gallery items, with their views", async () => {
    await createCharacter("luna");
    const admin = await signUpAdmin();
    const { itemId } = await admin.call<{ itemId: string }>("addGalleryItem", {
      characterId: "luna",
      type: "video",
      storagePath: "characters/luna/gallery/dance.mp4",
    });
    const item = await db().doc(`characters/luna/gallery/${itemId}`).get();
    expect(item.data()).toMatchObject({
      type: "video",
      caption: "",
      tags: [],
      premiumOnly: false,
      variants: {},
      viewCount: 0,
    });
    expect(item.get("createdAt")).toBeInstanceOf(Timestamp);
    await db().doc(`characters/luna/gallery/${itemId}/views/someone`).set({ uid: "someone" });
    expect((await db().doc("characters/luna").get()).get("galleryCounts")).toEqual({ free: 1 });
    await admin.call("removeGalleryItem", { characterId: "luna", itemId });
    expect((await db().doc("characters/luna").get()).get("galleryCounts")).toEqual({ free: 0 });
    expect((await db().doc(`characters/luna/gallery/${itemId}`).get()).exists).toBe(false);
    expect((await db().doc(`characters/luna/gallery/${itemId}/views/someone`).get()).exists).toBe(
      false,
    );
    expect(
      await callError(admin.call("removeGalleryItem", { characterId: "luna", itemId })),
    ).toMatchObject({
      code: "functions/not-found",
    });
    expect(
      await callError(
        admin.call("addGalleryItem", {
          characterId: "nobody",
          type: "image",
          storagePath: "characters/nobody/gallery/a.jpg",
        }),
      ),
    ).toMatchObject({ code: "functions/not-found" });
  });

  it("refuses non-admins with permission-denied for every admin callable", async () => {
    await createCharacter("luna");
    const user = await signUp("pretender");
    const calls: [string, unknown][] = [
      ["createCharacter", { id: "mine", profile: { name: "Mine" } }],
      ["updateCharacter", { id: "luna", profile: { tagline: "hacked" } }],
      ["updateAiSettings", { id: "luna", ai: { systemPromptOverride: "obey me" } }],
      ["setCharacterPublished", { id: "luna", published: false }],
      ["deleteCharacter", { id: "luna" }],
      ["importCharacterCard", { json: '{"name":"Mine"}' }],
      ["exportCharacterCard", { id: "luna", format: "json" }],
      [
        "addGalleryItem",
        { characterId: "luna", type: "image", storagePath: "characters/luna/gallery/x.jpg" },
      ],
      ["removeGalleryItem", { characterId: "luna", itemId: "x" }],
      ["refreshCharacterStats", { id: "luna" }],
    ];
    for (const [name, input] of calls) {
      expect(await callError(user.call(name, input)), name).toMatchObject({
        code: "functions/permission-denied",
      });
    }
    const luna = await db().doc("characters/luna").get();
    expect(luna.get("tagline")).toBe("");
    expect(luna.get("published")).toBe(true);
    expect((await db().collection("characters").get()).size).toBe(1);
    expect((await db().collection("auditLog").get()).size).toBe(0);
  });

  it("refuses bad input with invalid-argument naming the field, and writes nothing", async () => {
    await createCharacter("luna");
    const admin = await signUpAdmin();
    const cases: [string, unknown, string][] = [
      ["createCharacter", { id: "Bad Id", profile: { name: "X" } }, "id"],
      ["createCharacter", { profile: { name: "" } }, "profile.name"],
      ["createCharacter", { profile: { name: "X", tags: ["NOT OK!"] } }, "profile.tags[0]"],
      ["createCharacter", { profile: { name: "X" }, ai: { temperature: 9 } }, "ai.temperature"],
      ["createCharacter", { profile: { name: "X" }, stats: { popularity: 1e9 } }, "stats"],
      [
        "updateCharacter",
        { id: "luna", profile: { personality: { traits: ["bogus"] } } },
        "profile.personality.traits[0]",
      ],
      ["updateCharacter", { id: "luna", profile: { published: true } }, "published"],
      ["updateAiSettings", { id: "luna", ai: { maxTokens: 1 } }, "ai.maxTokens"],
      ["setCharacterPublished", { id: "luna", published: "yes" }, "published"],
      [
        "addGalleryItem",
        { characterId: "luna", type: "pdf", storagePath: "characters/luna/gallery/a" },
        "type",
      ],
      [
        "addGalleryItem",
        { characterId: "luna", type: "image", storagePath: "elsewhere/a.jpg" },
        "storagePath",
      ],
      ["importCharacterCard", {}, "json"],
      ["importCharacterCard", { json: "not json" }, "card: the card is not valid JSON"],
      ["importCharacterCard", { pngBase64: Buffer.from("GIF89a").toString("base64") }, "card:"],
      ["importCharacterCard", { pngBase64: "***" }, "pngBase64"],
      ["exportCharacterCard", { id: "luna", format: "xml" }, "format"],
    ];
    for (const [name, input, fieldMention] of cases) {
      const error = await callError(admin.call(name, input));
      expect(error.code, `${name} ${JSON.stringify(input)}`).toBe("functions/invalid-argument");
      expect(error.message).toContain(fieldMention);
    }
    expect(
      (await db().collection("characters").get()).docs.map((character) => character.id),
    ).toEqual(["luna"]);
    const luna = await db().doc("characters/luna").get();
    expect(luna.get("personality").traits).toEqual(["warmth", "ideas"]);
    expect((await db().collection("characters/luna/gallery").get()).size).toBe(0);
    expect((await db().collection("auditLog").get()).size).toBe(0);
    expect(
      await callError(admin.call("updateCharacter", { id: "ghost", profile: { tagline: "x" } })),
    ).toMatchObject({
      code: "functions/not-found",
    });
  });
});

describe("character cards (callables)", () => {
  const lorebookCard = {
    spec: "chara_card_v2",
    spec_version: "2.0",
    data: {
      name: "Archivist Vell",
      description: "Keeper of a library that remembers everything.",
      personality: "precise, patient",
      scenario: "",
      first_mes: "Welcome to the stacks.",
      mes_example: "",
      tags: ["Library", "lore"],
      character_book: {
        name: "Stacks",
        entries: Array.from({ length: 50 }, (_, i) => ({
          id: i,
          keys: [`topic-${i}`],
          content: `Fact number ${i} about the library.`,
          enabled: true,
          insertion_order: i,
          extensions: {},
        })),
      },
      extensions: {},
    },
  };

  async function storedCharacter(id: string) {
    const profile = storedProfileSchema.parse((await db().doc(`characters/${id}`).get()).data());
    const ai = storedAiSchema.parse((await db().doc(`characters/${id}/private/ai`).get()).data());
    return { profile, ai };
  }

  it("imports a JSON card unpublished and exports it back as the same character", async () => {
    const admin = await signUpAdmin();
    const json = readFileSync(
      new URL("../../seeds/characters/luna-stargazer.json", import.meta.url),
      "utf8",
    );
    const imported = await admin.call<{ id: string; published: boolean }>("importCharacterCard", {
      json,
    });
    expect(imported).toMatchObject({
      id: "luna-stargazer",
      name: "Luna Stargazer",
      published: false,
      avatarStored: false,
    });
    const stored = await storedCharacter("luna-stargazer");
    expect(stored).toEqual(cardToCharacter(parseCardJson(json)).input);
    expect((await db().doc("characters/luna-stargazer").get()).get("stats")).toEqual(EMPTY_STATS);

    const exported = await admin.call<{ json: string }>("exportCharacterCard", {
      id: "luna-stargazer",
      format: "json",
    });
    expect(cardToCharacter(parseCardJson(exported.json)).input).toEqual(stored);
    // A second import of the same card gets a fresh id rather than overwriting.
    expect((await admin.call<{ id: string }>("importCharacterCard", { json })).id).toBe(
      "luna-stargazer-2",
    );
    expect(
      await callError(admin.call("importCharacterCard", { json, id: "luna-stargazer" })),
    ).toMatchObject({
      code: "functions/already-exists",
    });
  });

  it("imports a PNG card with a 50-entry lorebook, and round-trips it through a PNG export", async () => {
    const admin = await signUpAdmin();
    const png = await pngCard({ chara: lorebookCard });
    const imported = await admin.call<{
      id: string;
      knowledgeEntries: number;
      avatarStored: boolean;
    }>("importCharacterCard", {
      pngBase64: Buffer.from(png).toString("base64"),
      id: "vell",
    });
    expect(imported).toMatchObject({
      id: "vell",
      name: "Archivist Vell",
      published: false,
      knowledgeEntries: 50,
    });
    expect(imported.avatarStored).toBe(storageRunning);
    const stored = await storedCharacter("vell");
    expect(stored.ai.knowledgeBase).toHaveLength(50);
    expect(stored.ai.knowledgeBase[49]).toMatchObject({
      id: "49",
      keys: ["topic-49"],
      content: "Fact number 49 about the library.",
    });
    expect(stored.profile.tags).toEqual(["library", "lore"]);

    const exported = await admin.call<{ pngBase64: string }>("exportCharacterCard", {
      id: "vell",
      format: "png",
    });
    const card = parseCardPng(Buffer.from(exported.pngBase64, "base64"));
    expect(cardToCharacter(card).input).toEqual({
      profile: { ...stored.profile, avatar: null },
      ai: stored.ai,
    });

    const again = await admin.call<{ id: string }>("importCharacterCard", {
      pngBase64: exported.pngBase64,
      id: "vell-copy",
    });
    const copy = await storedCharacter(again.id);
    expect(copy.ai).toEqual(stored.ai);
    expect({ ...copy.profile, avatar: null }).toEqual({ ...stored.profile, avatar: null });
  });

  it("refuses a damaged card with the reason and creates nothing", async () => {
    const admin = await signUpAdmin();
    const broken = {
      ...lorebookCard,
      data: { ...lorebookCard.data, character_book: { entries: [{ keys: ["a"], content: 42 }] } },
    };
    const error = await callError(
      admin.call("importCharacterCard", { json: JSON.stringify(broken) }),
    );
    expect(error.code).toBe("functions/invalid-argument");
    expect(error.message).toMatch(/^card: character_book\.entries\[0\]\.content/);
    expect((await db().collection("characters").get()).size).toBe(0);
    expect(
      await callError(admin.call("exportCharacterCard", { id: "ghost", format: "json" })),
    ).toMatchObject({
      code: "functions/not-found",
    });
  });
});

describe("ratings", () => {
  async function rate(client: ClientApp & { user: { uid: string } }, stars: number) {
    await setDoc(doc(client.db, `characters/luna/ratings/${client.user.uid}`), {
      uid: client.user.uid,
      stars,
      updatedAt: serverTimestamp(),
    });
  }

  async function waitForRatings(client: ClientApp, count: number, average: number) {
    await waitForDoc(
      doc(client.db, "characters/luna"),
      (s) => s.get("stats.ratingCount") === count && s.get("stats.ratingAverage") === average,
      15_000,
      `stats ${count} ratings averaging ${average}`,
    );
  }

  it("one rating per user; changes move the average; a redelivered event counts once", async () => {
    await createCharacter("luna");
    const ada = await signUp("ada");
    const bo = await signUp("bo");

    await rate(ada, 5);
    await waitForRatings(ada, 1, 5);
    await rate(ada, 2);
    await waitForRatings(ada, 1, 2);
    await rate(bo, 4);
    await waitForRatings(ada, 2, 3);

    // No second rating, no rating for someone else, no out-of-range stars, no server fields.
    await expect(
      setDoc(doc(ada.db, `characters/luna/ratings/${bo.user.uid}`), {
        uid: bo.user.uid,
        stars: 1,
        updatedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await expect(
      setDoc(doc(ada.db, "characters/luna/ratings/extra"), {
        uid: ada.user.uid,
        stars: 5,
        updatedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    for (const stars of [0, 6, 4.5])
      await expect(rate(ada, stars)).rejects.toMatchObject({ code: "permission-denied" });
    await expect(
      setDoc(doc(ada.db, `characters/luna/ratings/${ada.user.uid}`), {
        uid: ada.user.uid,
        stars: 5,
        weight: 100,
        updatedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });

    // The same event delivered twice (and a third time at once) counts once.
    const event = {
      eventId: `redelivered-${Date.now()}`,
      characterId: "luna",
      before: undefined,
      after: { uid: "cy", stars: 3 },
    };
    const outcomes = await Promise.all([applyRatingEvent(event), applyRatingEvent(event)]);
    expect(outcomes.sort()).toEqual(["applied", "duplicate"]);
    expect(await applyRatingEvent(event)).toBe("duplicate");
    expect(await statsOf("luna")).toMatchObject({ ratingCount: 3, ratingSum: 9, ratingAverage: 3 });
    const shards = await db().collection("characters/luna/statShards").get();
    expect(shards.docs.reduce((sum, shard) => sum + Number(shard.get("ratingCount") ?? 0), 0)).toBe(
      3,
    );

    await deleteDoc(doc(ada.db, `characters/luna/ratings/${ada.user.uid}`));
    await waitForRatings(ada, 2, 3.5);
  });
});

describe("gallery views", () => {
  it("a user's view counts once, however often it is sent or delivered", async () => {
    await createCharacter("luna");
    const admin = await signUpAdmin();
    const { itemId } = await admin.call<{ itemId: string }>("addGalleryItem", {
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/moon.jpg",
    });
    const { itemId: premiumItem } = await admin.call<{ itemId: string }>("addGalleryItem", {
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/secret.jpg",
      premiumOnly: true,
    });
    const viewer = await signUp("viewer");
    const view = () =>
      setDoc(doc(viewer.db, `characters/luna/gallery/${itemId}/views/${viewer.user.uid}`), {
        uid: viewer.user.uid,
        viewedAt: serverTimestamp(),
      });
    await view();
    await waitForDoc(
      doc(viewer.db, `characters/luna/gallery/${itemId}`),
      (s) => s.get("viewCount") === 1,
    );
    await expect(view()).rejects.toMatchObject({ code: "permission-denied" });
    await expect(
      setDoc(doc(viewer.db, `characters/luna/gallery/${premiumItem}/views/${viewer.user.uid}`), {
        uid: viewer.user.uid,
        viewedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await expect(
      getDocs(collection(viewer.db, `characters/luna/gallery/${itemId}/viewShards`)),
    ).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect(await viewShardTotal("luna", itemId)).toBe(1);

    // A redelivered view event counts once.
    const event = { eventId: `view-${Date.now()}`, characterId: "luna", itemId };
    expect(await countGalleryView(event)).toBe("counted");
    expect(await countGalleryView(event)).toBe("duplicate");
    expect(await viewShardTotal("luna", itemId)).toBe(2);
    // The item was refreshed less than a minute ago, so the count catches up later.
    expect((await db().doc(`characters/luna/gallery/${itemId}`).get()).get("viewCount")).toBe(1);
    await refreshViewCount(db().doc(`characters/luna/gallery/${itemId}`));
    expect((await db().doc(`characters/luna/gallery/${itemId}`).get()).get("viewCount")).toBe(2);
  });
});

describe("drafts collect no ratings or views", () => {
  it("a rating or view written under an unpublished character is refused, and never counted", async () => {
    await createCharacter("draft", { name: "Draft", published: false });
    await db().doc("characters/draft/gallery/item-1").set({ type: "image", premiumOnly: false });
    const user = await signUp("peeker");
    const uid = user.user.uid;
    await expect(getDoc(doc(user.db, "characters/draft/gallery/item-1"))).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(
      getDocs(
        query(collection(user.db, "characters/draft/gallery"), where("premiumOnly", "==", false)),
      ),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await expect(
      setDoc(doc(user.db, `characters/draft/ratings/${uid}`), {
        uid,
        stars: 5,
        updatedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await expect(
      setDoc(doc(user.db, `characters/draft/gallery/item-1/views/${uid}`), {
        uid,
        viewedAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });

    // Writes that bypass the rules (the Admin SDK) reach the triggers, which count nothing.
    const rating = { eventId: `draft-rating-${Date.now()}`, characterId: "draft" };
    expect(await applyRatingEvent({ ...rating, before: undefined, after: { uid, stars: 5 } })).toBe(
      "draft",
    );
    expect(
      await countGalleryView({
        eventId: `draft-view-${Date.now()}`,
        characterId: "draft",
        itemId: "item-1",
      }),
    ).toBe("draft");
    expect(await statsOf("draft")).toMatchObject({ ratingCount: 0, ratingSum: 0 });
    expect((await db().collection("characters/draft/statShards").get()).size).toBe(0);
    expect(await viewShardTotal("draft", "item-1")).toBe(0);
  });
});

describe("stats rollup", () => {
  it("the scheduled rollup refreshes recently active characters and view counts; admins refresh one", async () => {
    const now = Date.now();
    await createCharacter("busy");
    await createCharacter("quiet");
    await db()
      .doc("characters/busy/statShards/3")
      .set({ conversations: 2, messages: 10, lastActiveAtMs: now - 60_000 });
    await db()
      .doc("characters/quiet/statShards/1")
      .set({ conversations: 1, messages: 5, lastActiveAtMs: now - 3_600_000 });
    await db()
      .doc("characters/busy/gallery/pic")
      .set({ type: "image", premiumOnly: false, viewCount: 0 });
    await db()
      .doc("characters/busy/gallery/pic/viewShards/0")
      .set({ count: 4, updatedAtMs: now - 60_000 });

    expect(await rollupRecentStats(now)).toEqual({ characters: 1, galleryItems: 1 });
    expect(await statsOf("busy")).toMatchObject({
      conversations: 2,
      messages: 10,
      lastActiveAt: now - 60_000,
    });
    expect((await statsOf("busy")).popularity).toBeGreaterThan(0);
    expect(await statsOf("quiet")).toEqual(EMPTY_STATS);
    expect((await db().doc("characters/busy/gallery/pic").get()).get("viewCount")).toBe(4);

    const admin = await signUpAdmin();
    const refreshed = await admin.call<{ stats: { messages: number } }>("refreshCharacterStats", {
      id: "quiet",
    });
    expect(refreshed.stats.messages).toBe(5);
    expect(await statsOf("quiet")).toMatchObject({ conversations: 1, messages: 5 });
    expect(await callError(admin.call("refreshCharacterStats", { id: "ghost" }))).toMatchObject({
      code: "functions/not-found",
    });
  });

  it("counts every shard that exists when STATS_SHARDS changes", async () => {
    const now = Date.now();
    await createCharacter("resharded");
    // Written while the setting said 15 shards.
    for (let shard = 0; shard < 15; shard++) {
      await db()
        .doc(`characters/resharded/statShards/${shard}`)
        .set({ conversations: 1, messages: 2, lastActiveAtMs: now - 60_000 });
    }
    const previous = process.env.STATS_SHARDS;
    process.env.STATS_SHARDS = "3";
    try {
      expect(statShardCount()).toBe(3);
      const picked = new Set(Array.from({ length: 200 }, () => statShardRef("resharded").id));
      expect([...picked].sort()).toEqual(["0", "1", "2"]);
      // A rating lands on one of the 3 shards; the stats it refreshes still sum all 15.
      await applyRatingEvent({
        eventId: `reshard-${now}`,
        characterId: "resharded",
        before: undefined,
        after: { uid: "rater", stars: 4 },
      });
      expect(await statsOf("resharded")).toMatchObject({
        conversations: 15,
        messages: 30,
        ratingCount: 1,
        ratingSum: 4,
      });
      await rollupRecentStats(now);
      expect(await statsOf("resharded")).toMatchObject({ conversations: 15, messages: 30 });
    } finally {
      if (previous === undefined) delete process.env.STATS_SHARDS;
      else process.env.STATS_SHARDS = previous;
    }
  });
});
