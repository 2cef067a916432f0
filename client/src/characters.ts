// Browsing characters: the listing queries (popular, by tag, by trait), one character, its
// gallery (free users see only non-premium items), ratings and view markers.
import {
  deleteDoc,
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
  type Query,
  type QueryConstraint,
} from "firebase/firestore";
import {
  CHARACTER_QUERIES,
  characterSchema,
  GALLERY_QUERIES,
  galleryItemSchema,
  paths,
  ratingSchema,
  traitsConfigSchema,
  type Character,
  type GalleryItem,
  type GalleryType,
  type QueryShape,
  type Trait,
  type TraitsConfig,
} from "../../functions/src/contract/index.js";
import { requireUser } from "./auth.js";
import type { AiChatClient } from "./connect.js";
import {
  plainDoc,
  typedCollection,
  typedDoc,
  watchDocument,
  watchQuery,
  type ErrorHandler,
  type Unsubscribe,
  type WithId,
} from "./documents.js";
import { toAppError } from "./errors.js";

export type CharacterDoc = WithId<Character>;
export type GalleryItemDoc = WithId<GalleryItem>;

/** Which characters to list: all published ones by popularity, or those with a tag or trait. */
export type CharacterFilter =
  { by: "popular" } | { by: "tag"; tag: string } | { by: "trait"; trait: Trait };

/** Builds the constraints of a documented query shape, filling in its filter values. */
function constraintsFor(shape: QueryShape, values: Record<string, unknown>): QueryConstraint[] {
  const constraints: QueryConstraint[] = shape.equality.map((field) =>
    where(field, "==", values[field]),
  );
  if (shape.arrayContains) {
    constraints.push(where(shape.arrayContains, "array-contains", values[shape.arrayContains]));
  }
  for (const order of shape.orderBy) constraints.push(orderBy(order.field, order.direction));
  return constraints;
}

function characterQuery(client: AiChatClient, filter: CharacterFilter): Query<Character> {
  const characters = typedCollection(client, paths.characters(), characterSchema);
  switch (filter.by) {
    case "popular":
      return query(characters, ...constraintsFor(CHARACTER_QUERIES.popular, { published: true }));
    case "tag":
      return query(
        characters,
        ...constraintsFor(CHARACTER_QUERIES.byTag, { published: true, tags: filter.tag }),
      );
    case "trait":
      return query(
        characters,
        ...constraintsFor(CHARACTER_QUERIES.byTrait, {
          published: true,
          "personality.traits": filter.trait,
        }),
      );
  }
}

/** A page of characters and the cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  next: PageCursor | null;
}

/** Opaque: pass it back to get the next page. */
export interface PageCursor {
  readonly snapshot: DocumentSnapshot;
}

/** One page of published characters, most popular first. */
export async function listCharacters(
  client: AiChatClient,
  filter: CharacterFilter = { by: "popular" },
  options: { pageSize?: number; after?: PageCursor | null } = {},
): Promise<Page<CharacterDoc>> {
  const pageSize = options.pageSize ?? 20;
  const constraints: QueryConstraint[] = [limit(pageSize)];
  if (options.after) constraints.unshift(startAfter(options.after.snapshot));
  try {
    const snapshot = await getDocs(query(characterQuery(client, filter), ...constraints));
    const last = snapshot.docs[snapshot.docs.length - 1];
    return {
      items: snapshot.docs.map((each) => ({ ...each.data(), id: each.id })),
      next: snapshot.docs.length === pageSize && last ? { snapshot: last } : null,
    };
  } catch (error) {
    throw toAppError(error);
  }
}

/** The first `limit` characters of a listing, live: a character published now appears now. */
export function watchCharacters(
  client: AiChatClient,
  filter: CharacterFilter,
  onChange: (characters: CharacterDoc[]) => void,
  options: { limit?: number; onError?: ErrorHandler } = {},
): Unsubscribe {
  return watchQuery(
    query(characterQuery(client, filter), limit(options.limit ?? 50)),
    onChange,
    options.onError,
  );
}

/** One character; null when it does not exist or is not published. */
export async function getCharacter(client: AiChatClient, id: string): Promise<CharacterDoc | null> {
  try {
    const snapshot = await getDoc(typedDoc(client, paths.character(id), characterSchema));
    const data = snapshot.data();
    return data ? { ...data, id: snapshot.id } : null;
  } catch (error) {
    const appError = toAppError(error);
    // Unpublished characters are refused by the rules: to a user they do not exist.
    if (appError.code === "permission_denied") return null;
    throw appError;
  }
}

export function watchCharacter(
  client: AiChatClient,
  id: string,
  onChange: (character: CharacterDoc | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(typedDoc(client, paths.character(id), characterSchema), onChange, onError);
}

export interface GalleryOptions {
  /**
   * Premium users and admins see premium-only items too. A free user's query must leave
   * them out (the rules refuse one that could return them), so pass the viewer's status.
   */
  includePremium: boolean;
  type?: GalleryType;
}

function galleryQuery(client: AiChatClient, characterId: string, options: GalleryOptions) {
  const gallery = typedCollection(client, paths.gallery(characterId), galleryItemSchema);
  const shape = options.includePremium
    ? options.type
      ? GALLERY_QUERIES.allByType
      : GALLERY_QUERIES.all
    : options.type
      ? GALLERY_QUERIES.freeByType
      : GALLERY_QUERIES.free;
  return query(gallery, ...constraintsFor(shape, { premiumOnly: false, type: options.type }));
}

/** A character's gallery, newest first. */
export async function listGallery(
  client: AiChatClient,
  characterId: string,
  options: GalleryOptions,
): Promise<GalleryItemDoc[]> {
  try {
    const snapshot = await getDocs(galleryQuery(client, characterId, options));
    return snapshot.docs.map((each) => ({ ...each.data(), id: each.id }));
  } catch (error) {
    throw toAppError(error);
  }
}

export function watchGallery(
  client: AiChatClient,
  characterId: string,
  options: GalleryOptions,
  onChange: (items: GalleryItemDoc[]) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchQuery(galleryQuery(client, characterId, options), onChange, onError);
}

/**
 * Records that the user saw a gallery item (once per user and item; the view count follows
 * within a minute). True when this call recorded it, false when it was recorded before.
 */
export async function markGalleryItemViewed(
  client: AiChatClient,
  characterId: string,
  itemId: string,
): Promise<boolean> {
  const user = requireUser(client);
  const ref = plainDoc(client, paths.galleryView(characterId, itemId, user.uid));
  try {
    if ((await getDoc(ref)).exists()) return false;
    await setDoc(ref, { uid: user.uid, viewedAt: serverTimestamp() });
    return true;
  } catch (error) {
    const appError = toAppError(error);
    // Another device recorded it between the read and the write: the marker is never rewritten.
    if (appError.code === "permission_denied" && (await getDoc(ref).catch(() => null))?.exists())
      return false;
    throw appError;
  }
}

/** Rates a character 1 to 5 stars (one rating per user; rating again replaces it). */
export async function rateCharacter(
  client: AiChatClient,
  characterId: string,
  stars: number,
): Promise<void> {
  const user = requireUser(client);
  try {
    await setDoc(plainDoc(client, paths.rating(characterId, user.uid)), {
      uid: user.uid,
      stars,
      updatedAt: serverTimestamp(),
    });
  } catch (error) {
    throw toAppError(error);
  }
}

export async function removeRating(client: AiChatClient, characterId: string): Promise<void> {
  const user = requireUser(client);
  try {
    await deleteDoc(typedDoc(client, paths.rating(characterId, user.uid), ratingSchema));
  } catch (error) {
    throw toAppError(error);
  }
}

/** The user's own stars for a character, or null. */
export async function getMyRating(
  client: AiChatClient,
  characterId: string,
): Promise<number | null> {
  const user = requireUser(client);
  try {
    const snapshot = await getDoc(
      typedDoc(client, paths.rating(characterId, user.uid), ratingSchema),
    );
    return snapshot.data()?.stars ?? null;
  } catch (error) {
    throw toAppError(error);
  }
}

/** The personality traits and tones characters are described with (config/traits). */
export async function getTraits(client: AiChatClient): Promise<TraitsConfig | null> {
  try {
    return (
      (await getDoc(typedDoc(client, paths.config("traits"), traitsConfigSchema))).data() ?? null
    );
  } catch (error) {
    throw toAppError(error);
  }
}
