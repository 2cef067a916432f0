// Following characters: a follower hears of every new gallery item (a `gallery_item`
// notification), and the character's `stats.followers` counts followers.
import { deleteDoc, getDoc, orderBy, query, serverTimestamp, setDoc } from "firebase/firestore";
import {
  followSchema,
  paths,
  type Character,
  type Follow,
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

export type FollowDoc = WithId<Follow>;

/**
 * Follows a published character (`permission_denied` for a draft or a deactivated account).
 * Following again is not an error.
 */
export async function followCharacter(client: AiChatClient, characterId: string): Promise<void> {
  const ref = plainDoc(client, paths.follow(requireUser(client).uid, characterId));
  try {
    await setDoc(ref, { characterId, createdAt: serverTimestamp() });
  } catch (error) {
    const appError = toAppError(error);
    // A follow document is never changed, so writing it again is refused: already following.
    if (appError.code === "permission_denied" && (await getDoc(ref).catch(() => null))?.exists())
      return;
    throw appError;
  }
}

export async function unfollowCharacter(client: AiChatClient, characterId: string): Promise<void> {
  try {
    await deleteDoc(plainDoc(client, paths.follow(requireUser(client).uid, characterId)));
  } catch (error) {
    throw toAppError(error);
  }
}

/** The characters the signed-in user follows, most recently followed first. */
export function watchFollowing(
  client: AiChatClient,
  onChange: (follows: FollowDoc[]) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchQuery(
    query(
      typedCollection(client, paths.following(requireUser(client).uid), followSchema),
      orderBy("createdAt", "desc"),
    ),
    onChange,
    onError,
  );
}

/** Whether the signed-in user follows one character, live (for a follow button). */
export function watchIsFollowing(
  client: AiChatClient,
  characterId: string,
  onChange: (following: boolean) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  return watchDocument(
    typedDoc(client, paths.follow(requireUser(client).uid, characterId), followSchema),
    (follow) => onChange(follow !== null),
    onError,
  );
}

/**
 * A character's follower count, as of its last stats refresh (at once for the first follow
 * in a minute, otherwise within the rollup interval, 10 minutes).
 */
export function followerCount(character: Pick<Character, "stats">): number {
  return character.stats.followers;
}

/** When the character last replied to anyone (its stats' `lastActiveAt`), or null. */
export function characterLastActive(character: Pick<Character, "stats">): Date | null {
  return character.stats.lastActiveAt === null ? null : new Date(character.stats.lastActiveAt);
}
