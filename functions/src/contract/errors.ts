// Every error an app can meet, each with a stable code and a message it can show as is.
//
// Two lists: the codes a reply document carries in `error.code` (the reply failed, was
// refused or held back), and the reasons a callable's HttpsError carries in
// `details.reason` (with the HttpsError status it is sent with). The functions can only
// produce what is listed here (`replyError()` and `fail()` take these keys), and the client
// library's error union is built from the same lists. Pure: no Firebase imports, so apps
// bundle it.

/** Where a reply ends when it carries this code. */
type ReplyEnd = "failed" | "blocked" | "limit_reached" | "rate_limited" | "stopped";

export const REPLY_ERRORS = {
  // Refused before any model call.
  account_inactive: { status: "failed", message: "This account can't send messages right now." },
  email_unverified: {
    status: "failed",
    message: "Verify your email address to chat for free, then send your message again.",
  },
  character_unavailable: { status: "failed", message: "This character is not available." },
  premium_required: {
    status: "limit_reached",
    message: "This character is for premium members. Go premium to chat.",
  },
  limit_reached: {
    status: "limit_reached",
    message:
      "You've used your free messages with this character. Go premium for unlimited messages.",
  },
  rate_limited: {
    status: "rate_limited",
    message: "You're sending messages quickly. Try again in a moment.",
  },
  // Held back by moderation.
  message_blocked: {
    status: "blocked",
    message:
      "This message goes against our content guidelines, so it wasn't sent to the character. " +
      "Try saying it another way.",
  },
  reply_blocked: {
    status: "blocked",
    message:
      "The character's reply was held back because it went against our content guidelines. " +
      "Try steering the conversation in another direction.",
  },
  // The model provider could not answer. Never the provider's own text: it can leak internals.
  reply_timeout: {
    status: "failed",
    message: "The reply took too long to arrive. Please try again in a moment.",
  },
  reply_unreachable: {
    status: "failed",
    message: "We couldn't reach the reply service. Please try again in a moment.",
  },
  reply_busy: {
    status: "failed",
    message: "Lots of people are chatting right now. Please try again in a minute.",
  },
  reply_unavailable: {
    status: "failed",
    message: "Replies are temporarily unavailable. Please try again later.",
  },
  reply_service_error: {
    status: "failed",
    message: "Something went wrong on our side. Please try again in a moment.",
  },
  reply_not_possible: {
    status: "failed",
    message: "We couldn't create a reply to this message. Try rephrasing it.",
  },
  reply_stopped: { status: "stopped", message: "The reply was stopped." },
  reply_failed: { status: "failed", message: "Something went wrong. Please try again." },
} as const satisfies Record<string, { status: ReplyEnd; message: string }>;

export type ReplyErrorCode = keyof typeof REPLY_ERRORS;

/** A reply document's `error`: the code, the message to show, and extras some codes carry. */
export interface ReplyError {
  code: ReplyErrorCode;
  message: string;
}

/** The reply error for `code`, with a more specific message where the caller has one. */
export function replyError(code: ReplyErrorCode, message?: string): ReplyError {
  return { code, message: message ?? REPLY_ERRORS[code].message };
}

/** The HttpsError statuses callables answer with (a subset of Firebase's FunctionsErrorCode). */
export type CallableStatus =
  | "unauthenticated"
  | "permission-denied"
  | "invalid-argument"
  | "not-found"
  | "already-exists"
  | "failed-precondition"
  | "resource-exhausted"
  | "aborted"
  | "unavailable"
  | "internal";

export const CALLABLE_ERRORS = {
  // Who is calling.
  sign_in_required: { status: "unauthenticated", message: "Sign in to do this." },
  admin_only: { status: "permission-denied", message: "Only admins can do this." },
  account_inactive: { status: "failed-precondition", message: "This account is deactivated." },
  // What was sent. The message names the field: `username: must be at least 3 characters`.
  invalid_input: { status: "invalid-argument", message: "Some of the input is invalid." },
  rate_limited: {
    status: "resource-exhausted",
    message: "Too many requests; try again shortly.",
  },
  // Identity.
  username_taken: { status: "already-exists", message: "That username is taken." },
  username_already_claimed: {
    status: "failed-precondition",
    message: "You already have a username; use renameUsername to change it.",
  },
  username_missing: {
    status: "failed-precondition",
    message: "You have no username yet; claim one first.",
  },
  own_admin_role: {
    status: "failed-precondition",
    message: "Admins cannot remove their own admin role.",
  },
  user_not_found: { status: "not-found", message: "No such user." },
  // Characters and galleries.
  character_not_found: { status: "not-found", message: "No such character." },
  character_exists: {
    status: "already-exists",
    message: "A character with that id already exists.",
  },
  character_id_unavailable: {
    status: "aborted",
    message: "Could not find a free id for this character; pass an id.",
  },
  card_invalid: { status: "invalid-argument", message: "card: is not a valid character card" },
  gallery_item_not_found: { status: "not-found", message: "No such gallery item." },
  gallery_folder_taken: {
    status: "already-exists",
    message: "That gallery folder already has an item.",
  },
  // Conversations and replies.
  conversation_not_found: { status: "not-found", message: "No such conversation." },
  reply_not_found: { status: "not-found", message: "No such reply." },
  reply_not_latest: {
    status: "failed-precondition",
    message: "Only the latest reply can be regenerated.",
  },
  reply_in_progress: {
    status: "failed-precondition",
    message: "This reply is still being written.",
  },
  reply_not_answered: {
    status: "failed-precondition",
    message: "This message was not answered; send a new one.",
  },
  version_not_found: { status: "invalid-argument", message: "version: no such version" },
  // A regeneration is a new take: the checks a new message passes (chat/core/take.ts).
  character_unavailable: {
    status: "failed-precondition",
    message: "This character is not available.",
  },
  premium_required: {
    status: "permission-denied",
    message: "This character is for premium members. Go premium to chat.",
  },
  limit_reached: {
    status: "resource-exhausted",
    message:
      "You've used your free messages with this character. Go premium for unlimited messages.",
  },
  email_unverified: {
    status: "failed-precondition",
    message: "Verify your email address to chat for free.",
  },
  // AI.
  prompt_budget: {
    status: "failed-precondition",
    message: "The character's AI settings leave no room for a prompt.",
  },
  model_unavailable: { status: "unavailable", message: "The model could not answer." },
  // Media.
  media_not_found: { status: "not-found", message: "No such media." },
  media_not_owned: {
    status: "permission-denied",
    message: "Only the owner or an admin can do this.",
  },
  media_malformed: {
    status: "failed-precondition",
    message: "This media record is malformed; ask an admin.",
  },
  media_access_denied: { status: "permission-denied", message: "You cannot read this file." },
  storage_unavailable: {
    status: "failed-precondition",
    message: "Storage is not available here, so there is nothing to sign a URL for.",
  },
  url_signing_unavailable: {
    status: "failed-precondition",
    message:
      "URLs cannot be signed: the functions' service account needs permission to sign (see docs/media.md).",
  },
  // Payments.
  payments_not_configured: {
    status: "failed-precondition",
    message: "Payments are not configured",
  },
  payment_setup_failed: {
    status: "internal",
    message: "The payment could not be set up; try again later.",
  },
  payment_provider_unavailable: {
    status: "unavailable",
    message: "The payment provider is unavailable; try again shortly.",
  },
  payment_history_missing: {
    status: "failed-precondition",
    message: "There is no payment history for this account yet.",
  },
  checkout_session_not_owned: {
    status: "permission-denied",
    message: "This checkout session belongs to another account.",
  },
  payment_object_not_found: { status: "not-found", message: "Not found." },
  // Notifications.
  announcement_exists: {
    status: "already-exists",
    message: "An announcement with this id was already sent with other content.",
  },
} as const satisfies Record<string, { status: CallableStatus; message: string }>;

export type CallableErrorReason = keyof typeof CALLABLE_ERRORS;

/**
 * Every code the backend can produce: a reply's `error.code` or a callable's `details.reason`.
 * (The client library's AppErrorCode adds the few only a client meets: network, sign-in.)
 */
export type BackendErrorCode = ReplyErrorCode | CallableErrorReason;
