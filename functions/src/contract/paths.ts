// Every Firestore document and collection a client reads or writes, and the Cloud Storage
// folders it uploads to, as paths built from ids. The functions' store.ts modules and the
// client library both build their references from these. Pure: no imports but the id rules.
import { galleryFolder } from "./characters.js";
import { conversationId, GREETING_MESSAGE_ID, replyIdFor } from "./chat.js";
import { usernameKey } from "./identity.js";

export const paths = {
  // ---- identity ----
  users: () => "users",
  user: (uid: string) => `users/${uid}`,
  publicProfile: (uid: string) => `publicProfiles/${uid}`,
  /** The reservation of a username; keyed case-insensitively. */
  username: (username: string) => `usernames/${usernameKey(username)}`,
  /** The message meter: free-tier counts per character and the per-minute window. */
  messageMeter: (uid: string) => `users/${uid}/quota/messages`,
  rateLimit: (uid: string, bucket: string) => `users/${uid}/rateLimits/${bucket}`,
  config: (name: "traits") => `config/${name}`,

  // ---- characters ----
  characters: () => "characters",
  character: (id: string) => `characters/${id}`,
  /** AI settings: admins and functions only. */
  aiSettings: (id: string) => `characters/${id}/private/ai`,
  gallery: (characterId: string) => `characters/${characterId}/gallery`,
  galleryItem: (characterId: string, itemId: string) =>
    `characters/${characterId}/gallery/${itemId}`,
  galleryView: (characterId: string, itemId: string, uid: string) =>
    `characters/${characterId}/gallery/${itemId}/views/${uid}`,
  rating: (characterId: string, uid: string) => `characters/${characterId}/ratings/${uid}`,

  // ---- conversations ----
  conversations: () => "conversations",
  conversation: (convId: string) => `conversations/${convId}`,
  conversationOf: (uid: string, characterId: string) =>
    `conversations/${conversationId(uid, characterId)}`,
  messages: (convId: string) => `conversations/${convId}/messages`,
  message: (convId: string, messageId: string) => `conversations/${convId}/messages/${messageId}`,
  /** The reply to the user message `messageId`. */
  reply: (convId: string, messageId: string) =>
    `conversations/${convId}/messages/${replyIdFor(messageId)}`,
  greeting: (convId: string) => `conversations/${convId}/messages/${GREETING_MESSAGE_ID}`,

  // ---- notifications, presence, follows ----
  notifications: (uid: string) => `users/${uid}/notifications`,
  notification: (uid: string, notificationId: string) =>
    `users/${uid}/notifications/${notificationId}`,
  /** The unread count, kept by functions. */
  notificationCounter: (uid: string) => `users/${uid}/counters/notifications`,
  /** A notification fan-out (announcement or gallery item); admins read its progress. */
  notificationJob: (jobId: string) => `notificationJobs/${jobId}`,
  presence: (uid: string) => `presence/${uid}`,
  following: (uid: string) => `users/${uid}/following`,
  follow: (uid: string, characterId: string) => `users/${uid}/following/${characterId}`,

  // ---- media and payments ----
  media: () => "media",
  mediaRecord: (mediaId: string) => `media/${mediaId}`,
  payments: () => "payments",
  payment: (paymentIntentId: string) => `payments/${paymentIntentId}`,
} as const;

/** Cloud Storage folders (each ends with `/`). */
export const storageFolders = {
  /** A user's own uploads: storage.rules let only them write here. */
  userContent: (uid: string) => `user-content/${uid}/`,
  /** Profile pictures, readable by every signed-in user. */
  userAvatars: (uid: string) => `user-content/${uid}/avatars/`,
  characterAvatar: (characterId: string) => `characters/${characterId}/avatar/`,
  /** Gallery files go in a folder per item: `characters/{id}/gallery/{itemId}/{file}`. */
  gallery: galleryFolder,
} as const;
