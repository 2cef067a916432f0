import { describe, expect, it } from "vitest";
import {
  classifyPath,
  decideRead,
  readNeeds,
  type ReadFacts,
  type StorageArea,
  type Viewer,
} from "../../../functions/src/media/access";
import { isWellFormedPath } from "../../../functions/src/contract/media";
import { ACCESS_CASES, WORLD, type AccessActor, type Uids } from "./access-cases";

const UIDS: Uids = { owner: "uOwner", stranger: "uStranger", premium: "uPremium", admin: "uAdmin" };

function viewerOf(actor: AccessActor): Viewer | null {
  if (actor === "anonymous") return null;
  return { uid: UIDS[actor], isAdmin: actor === "admin" };
}

/** Looks up only what readNeeds asks for, in the world access-cases.ts describes. */
function factsFor(area: StorageArea, viewer: Viewer | null): ReadFacts {
  const needs = readNeeds(area, viewer);
  const facts: ReadFacts = {};
  if (needs.premium) facts.premium = viewer?.uid === UIDS.premium;
  if (needs.character !== null)
    facts.characterPublished = needs.character === WORLD.publishedCharacter;
  if (needs.galleryItem !== null) {
    const { characterId, itemId } = needs.galleryItem;
    const items: Record<string, { premiumOnly: boolean }> = {
      [WORLD.freeItem]: { premiumOnly: false },
      [WORLD.premiumItem]: { premiumOnly: true },
    };
    facts.galleryItem = characterId === WORLD.publishedCharacter ? (items[itemId] ?? null) : null;
  }
  return facts;
}

describe("read access: the cases storage.rules must also pass", () => {
  it.each(ACCESS_CASES.map((each) => [each.name, each] as const))("%s", (_name, each) => {
    const path = each.path(UIDS);
    const viewer = viewerOf(each.actor);
    const area = classifyPath(path);
    expect(decideRead(area, viewer, factsFor(area, viewer)).allowed).toBe(each.allowed);
  });
});

describe("classifyPath", () => {
  it.each([
    ["user-content/u1/a.png", { area: "user", uid: "u1" }],
    ["user-content/u1/deep/er/a.png", { area: "user", uid: "u1" }],
    ["characters/c1/avatar/a.png", { area: "avatar", characterId: "c1" }],
    ["characters/c1/gallery/item9/a.png", { area: "gallery", characterId: "c1", itemId: "item9" }],
    ["characters/c1/gallery/a.png", { area: "gallery", characterId: "c1", itemId: "a.png" }],
    ["conversations/u1_c1/audio/r.mp3", { area: "conversation-audio", conversationId: "u1_c1" }],
  ])("%s", (path, expected) => {
    expect(classifyPath(path)).toEqual(expected);
  });

  it.each([
    "",
    "/user-content/u1/a.png",
    "user-content/u1",
    "user-content/u1/",
    "user-content//a.png",
    "user-content/u1/../u2/a.png",
    "user-content/u1/./a.png",
    "user-content/u$1/a.png",
    "characters/c1/avatar",
    "characters/c1/cards/c.png",
    "characters/c 1/avatar/a.png",
    "conversations/u1/audio/r.mp3",
    "conversations/u1_c1/audio/x/r.mp3",
    "conversations/u1_c1/other/r.mp3",
    "other/a.png",
    `user-content/u1/${"a".repeat(1100)}`,
  ])("nobody's: %j", (path) => {
    expect(classifyPath(path)).toEqual({ area: "none" });
  });

  it("accepts only well-formed object paths", () => {
    expect(isWellFormedPath("a/b.c")).toBe(true);
    expect(isWellFormedPath("a//b")).toBe(false);
    expect(isWellFormedPath("a/b/")).toBe(false);
    expect(isWellFormedPath("..")).toBe(false);
  });
});

describe("readNeeds: only the lookups a decision uses", () => {
  const user: Viewer = { uid: "u1", isAdmin: false };
  const admin: Viewer = { uid: "a1", isAdmin: true };
  const gallery = classifyPath("characters/c1/gallery/i1/a.png");

  it("asks nothing for users' own folders, admins, or signed-out callers", () => {
    const none = { premium: false, character: null, galleryItem: null };
    expect(readNeeds(classifyPath("user-content/u1/a.png"), user)).toEqual(none);
    expect(readNeeds(gallery, admin)).toEqual(none);
    expect(readNeeds(gallery, null)).toEqual(none);
  });

  it("asks for the character of an avatar, and for the item and premium of a gallery file", () => {
    expect(readNeeds(classifyPath("characters/c1/avatar/a.png"), user)).toEqual({
      premium: false,
      character: "c1",
      galleryItem: null,
    });
    expect(readNeeds(gallery, user)).toEqual({
      premium: true,
      character: null,
      galleryItem: { characterId: "c1", itemId: "i1" },
    });
  });
});

describe("decideRead", () => {
  const user: Viewer = { uid: "u1", isAdmin: false };

  it("fails closed when a fact was not looked up", () => {
    expect(decideRead(classifyPath("characters/c1/avatar/a.png"), user).allowed).toBe(false);
    expect(decideRead(classifyPath("characters/c1/gallery/i1/a.png"), user).allowed).toBe(false);
  });

  it("gives a reason with every refusal", () => {
    const decision = decideRead(classifyPath("characters/c1/gallery/i1/a.png"), user, {
      premium: false,
      galleryItem: { premiumOnly: true },
    });
    expect(decision).toEqual({
      allowed: false,
      reason: "This gallery item is for premium members.",
    });
    expect(decideRead(classifyPath("x/y"), user)).toMatchObject({
      allowed: false,
      reason: expect.any(String),
    });
  });

  it("does not let a uid that prefixes another read its conversation audio", () => {
    const area = classifyPath("conversations/u12_c1/audio/r.mp3");
    expect(decideRead(area, { uid: "u1", isAdmin: false }).allowed).toBe(false);
    expect(decideRead(area, { uid: "u12", isAdmin: false }).allowed).toBe(true);
  });
});

describe("profile pictures", () => {
  it("are readable by any signed-in user, while the rest of the folder stays private", () => {
    const avatar = classifyPath("user-content/alice/avatars/me.webp");
    expect(avatar).toEqual({ area: "user-avatar", uid: "alice" });
    expect(decideRead(avatar, { uid: "bob", isAdmin: false })).toEqual({ allowed: true });
    expect(decideRead(avatar, null).allowed).toBe(false);
    const nested = classifyPath("user-content/alice/avatars/old/me.webp");
    expect(decideRead(nested, { uid: "bob", isAdmin: false }).allowed).toBe(false);
    expect(
      decideRead(classifyPath("user-content/alice/photos/me.jpg"), { uid: "bob", isAdmin: false })
        .allowed,
    ).toBe(false);
  });
});
