// Everything a user owns, removed without leaving orphans. Idempotent: running it again
// after a partial failure finishes the job.
import * as logger from "firebase-functions/logger";
import { ratingsBy, viewsBy } from "../characters/store";
import { conversationsOf } from "../chat/store";
import { mediaOwnedBy } from "../media/store";
import { deleteMatching } from "../shared/delete-matching";
import { db } from "../shared/firebase";
import { deleteStoragePrefix } from "../shared/storage";
import { publicProfileRef, userDoc, usernamesOf } from "./store";
import { readEmailSettings } from "../config";
import { followingOf } from "../characters/store";
import { mailOf } from "../notifications/store";
import { presenceRef } from "../presence/store";

export interface RemovedCounts {
  conversations: number;
  ratings: number;
  views: number;
  mediaRecords: number;
  usernames: number;
}

export async function deleteUserData(uid: string): Promise<RemovedCounts> {
  const firestore = db();
  const conversations = await conversationsOf(uid).get();
  // recursiveDelete removes each conversation with its messages, replies and context, in
  // batches, so a conversation of any length completes.
  for (const conversation of conversations.docs) await firestore.recursiveDelete(conversation.ref);

  // Ratings go through the rating trigger, which takes them out of the character's average.
  const ratings = await deleteMatching(ratingsBy(uid));
  // View markers are personal data; the counts they produced stay (views did happen).
  const views = await deleteMatching(viewsBy(uid));
  const mediaRecords = await deleteMatching(mediaOwnedBy(uid));
  const usernames = await deleteMatching(usernamesOf(uid));
  await deleteStoragePrefix(`user-content/${uid}/`).catch((error: unknown) => {
    logger.error("could not delete the user's uploaded files", { uid, error: String(error) });
    throw error;
  });
  // Follows go through the follow trigger, which takes them out of the follower counts.
  await deleteMatching(followingOf(uid));
  // Emails keep the address; presence says when the user was last seen.
  await deleteMatching(mailOf(readEmailSettings().collection, uid));
  await presenceRef(uid).delete();
  await publicProfileRef(uid).delete();
  await firestore.recursiveDelete(userDoc(uid));
  return { conversations: conversations.size, ratings, views, mediaRecords, usernames };
}
