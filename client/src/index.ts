// @aichat/client: a typed, framework-free client for the AI character chat backend, on the
// modular Firebase web SDK. Types, schemas, paths and error codes come from the backend's own
// contract (functions/src/contract), re-exported here. Admin helpers: `@aichat/client/admin`.
export * from "../../functions/src/contract/index.js";
export { connect, forgetClient, DEFAULT_REGION } from "./connect.js";
export type { AiChatClient, ConnectOptions, EmulatorOptions } from "./connect.js";
export { call } from "./call.js";
export {
  AppError,
  APP_ERROR_CODES,
  appErrorMessage,
  CLIENT_ERRORS,
  isAppErrorCode,
  toAppError,
} from "./errors.js";
export type { AppErrorCode, AppErrorInit, AppErrorSource, ClientErrorCode } from "./errors.js";
export { converterFor, StoredDataError } from "./documents.js";
export type { ErrorHandler, Unsubscribe, WithId } from "./documents.js";
export {
  isPremium,
  PROFILE_TIMEOUT_MS,
  requireUser,
  signIn,
  signOut,
  signUp,
  updateProfile,
  waitForProfile,
  watchAuth,
  watchProfile,
  watchPublicProfile,
} from "./auth.js";
export type { Profile, ProfilePatch, Session } from "./auth.js";
export {
  checkUsername,
  claimUsername,
  deactivateAccount,
  deleteAccount,
  reactivateAccount,
  renameUsername,
} from "./account.js";
export {
  getCharacter,
  getMyRating,
  getTraits,
  listCharacters,
  listGallery,
  markGalleryItemViewed,
  rateCharacter,
  removeRating,
  watchCharacter,
  watchCharacters,
  watchGallery,
} from "./characters.js";
export type {
  CharacterDoc,
  CharacterFilter,
  GalleryItemDoc,
  GalleryOptions,
  Page,
  PageCursor,
} from "./characters.js";
export {
  conversationStats,
  conversationWith,
  deleteConversation,
  markRead,
  openConversation,
  regenerateReply,
  REPLY_TIMEOUT_MS,
  replyError,
  searchMessages,
  selectReplyVersion,
  sendMessage,
  stopReply,
  waitForReply,
  watchConversation,
  watchConversations,
  watchMessages,
  watchReply,
} from "./conversations.js";
export type {
  ConversationDoc,
  ConversationRef,
  Message,
  Reply,
  ReplyRef,
  SentMessage,
} from "./conversations.js";
export { getUsage, watchUsage } from "./usage.js";
export type { CharacterUsage } from "./usage.js";
export {
  CHECKOUT_SESSION_ID,
  getPaymentsConfig,
  openPortal,
  startCheckout,
  verifyCheckout,
  watchPayments,
  watchPremium,
} from "./premium.js";
export type { PaymentDoc, PremiumStatus } from "./premium.js";
export {
  deleteMedia,
  getSignedUrl,
  listMyMedia,
  mediaStatus,
  uploadFile,
  uploadLimits,
  watchMediaRecord,
} from "./media.js";
export type { MediaRecordDoc, UploadOptions, UploadProgress } from "./media.js";
export {
  markAllNotificationsRead,
  markNotificationRead,
  watchNotifications,
  watchUnreadCount,
} from "./notifications.js";
export type { NotificationDoc } from "./notifications.js";
export { isOnline, startPresence, watchPresence, watchUserPresence } from "./presence.js";
export type { Heartbeat, HeartbeatOptions, PresenceState } from "./presence.js";
export {
  characterLastActive,
  followCharacter,
  followerCount,
  unfollowCharacter,
  watchFollowing,
  watchIsFollowing,
} from "./follows.js";
export type { FollowDoc } from "./follows.js";
export { reportViewing } from "./viewing.js";
export type { ViewingOptions, ViewingReport } from "./viewing.js";
export { pageForeground } from "./foreground.js";
export type { ForegroundSource } from "./foreground.js";
