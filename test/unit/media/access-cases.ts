// Who may read which Storage path: one table for both implementations of the decision,
// media/access.ts (unit test, access.test.ts) and storage.rules (test/e2e/storage.test.ts,
// where the Storage emulator runs). Paths are built from the world's uids because the
// end-to-end run signs real users up.

export type AccessActor = "anonymous" | "owner" | "stranger" | "premium" | "admin";

/** The uids of the signed-in actors. */
export type Uids = Record<Exclude<AccessActor, "anonymous">, string>;

/** What Firestore holds in every access case. */
export const WORLD = {
  /** Published, with an avatar. */
  publishedCharacter: "pub",
  /** Not published. */
  draftCharacter: "draft",
  /** characters/pub/gallery/free1: premiumOnly false. */
  freeItem: "free1",
  /** characters/pub/gallery/prem1: premiumOnly true. */
  premiumItem: "prem1",
  /** characters/draft/gallery/dfree1: premiumOnly false, under the draft. */
  draftItem: "dfree1",
} as const;

export interface AccessCase {
  name: string;
  actor: AccessActor;
  path: (uids: Uids) => string;
  allowed: boolean;
}

const own = (uids: Uids) => `user-content/${uids.owner}/photos/cat.jpg`;
const ownVariant = (uids: Uids) => `user-content/${uids.owner}/photos/variants/cat.jpg/small.webp`;
const avatar = () => `characters/${WORLD.publishedCharacter}/avatar/luna.png`;
const draftAvatar = () => `characters/${WORLD.draftCharacter}/avatar/draft.png`;
const freeFile = () => `characters/${WORLD.publishedCharacter}/gallery/${WORLD.freeItem}/beach.jpg`;
const freeVariant = () =>
  `characters/${WORLD.publishedCharacter}/gallery/${WORLD.freeItem}/variants/beach.jpg/thumbnail.webp`;
const premiumFile = () =>
  `characters/${WORLD.publishedCharacter}/gallery/${WORLD.premiumItem}/night.jpg`;
const premiumVariant = () =>
  `characters/${WORLD.publishedCharacter}/gallery/${WORLD.premiumItem}/variants/night.jpg/large.webp`;
const draftGalleryFile = () =>
  `characters/${WORLD.draftCharacter}/gallery/${WORLD.draftItem}/unreleased.jpg`;
const looseGalleryFile = () => `characters/${WORLD.publishedCharacter}/gallery/loose.jpg`;
const spokenReply = (uids: Uids) =>
  `conversations/${uids.owner}_${WORLD.publishedCharacter}/audio/r1.mp3`;
const cardFile = () => `characters/${WORLD.publishedCharacter}/cards/luna.png`;

export const ACCESS_CASES: AccessCase[] = [
  { name: "owner reads an own upload", actor: "owner", path: own, allowed: true },
  {
    name: "owner reads a variant of an own upload",
    actor: "owner",
    path: ownVariant,
    allowed: true,
  },
  { name: "another user cannot read it", actor: "stranger", path: own, allowed: false },
  {
    name: "another user cannot read its variant",
    actor: "stranger",
    path: ownVariant,
    allowed: false,
  },
  { name: "a premium user cannot read it either", actor: "premium", path: own, allowed: false },
  { name: "an admin reads it", actor: "admin", path: own, allowed: true },
  { name: "nobody signed out reads it", actor: "anonymous", path: own, allowed: false },
  {
    name: "a signed-in user reads a published character's avatar",
    actor: "stranger",
    path: avatar,
    allowed: true,
  },
  { name: "signed out, no avatar", actor: "anonymous", path: avatar, allowed: false },
  {
    name: "a draft's avatar is hidden from users",
    actor: "stranger",
    path: draftAvatar,
    allowed: false,
  },
  { name: "an admin reads a draft's avatar", actor: "admin", path: draftAvatar, allowed: true },
  {
    name: "a free gallery item's file is readable",
    actor: "stranger",
    path: freeFile,
    allowed: true,
  },
  { name: "and its variant", actor: "stranger", path: freeVariant, allowed: true },
  {
    name: "a premium-only item's file is not, for a free user",
    actor: "stranger",
    path: premiumFile,
    allowed: false,
  },
  { name: "nor its variant", actor: "stranger", path: premiumVariant, allowed: false },
  {
    name: "a premium user reads the premium file",
    actor: "premium",
    path: premiumFile,
    allowed: true,
  },
  { name: "and its variant", actor: "premium", path: premiumVariant, allowed: true },
  { name: "an admin reads the premium file", actor: "admin", path: premiumFile, allowed: true },
  { name: "signed out, no gallery", actor: "anonymous", path: freeFile, allowed: false },
  {
    name: "a draft's free gallery file is hidden from users",
    actor: "stranger",
    path: draftGalleryFile,
    allowed: false,
  },
  {
    name: "and from premium users",
    actor: "premium",
    path: draftGalleryFile,
    allowed: false,
  },
  {
    name: "an admin reads a draft's gallery file",
    actor: "admin",
    path: draftGalleryFile,
    allowed: true,
  },
  {
    name: "a gallery file outside an item folder is premium-only",
    actor: "stranger",
    path: looseGalleryFile,
    allowed: false,
  },
  { name: "which premium users read", actor: "premium", path: looseGalleryFile, allowed: true },
  { name: "the owner hears their spoken reply", actor: "owner", path: spokenReply, allowed: true },
  { name: "nobody else does", actor: "stranger", path: spokenReply, allowed: false },
  {
    name: "paths outside the media areas are nobody's",
    actor: "admin",
    path: cardFile,
    allowed: false,
  },
];
