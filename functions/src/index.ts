// Declares the deployed functions: trigger, options and secrets. Each handler lives in its
// feature folder and is tested there; this file only wires them to Firebase.
//
// Every function loads this file at cold start, so it imports nothing but the trigger
// builders and the params: each handler module is imported on its function's first call
// (shared/lazy.ts), and a function loads only what its own handler needs.
import { setGlobalOptions } from "firebase-functions/v2/options";
import {
  onDocumentCreated,
  onDocumentUpdated,
  onDocumentWritten,
} from "firebase-functions/v2/firestore";
import { onSchedule } from "firebase-functions/v2/scheduler";
import { onCall, onRequest } from "firebase-functions/v2/https";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { onObjectFinalized } from "firebase-functions/v2/storage";
import { user as authUser } from "firebase-functions/v1/auth";
import {
  appCheckEnforcedAtLoad,
  MAX_INSTANCES,
  OPENAI_API_KEY,
  REPLY_CONCURRENCY,
  REPLY_MAX_INSTANCES,
  REPLY_QUEUE_CONCURRENCY,
  REPLY_QUEUE_DISPATCHES_PER_SECOND,
  REPLY_QUEUE_MAX_ATTEMPTS,
  STRIPE_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET,
} from "./config";
import { lazyModule } from "./shared/lazy";

// import() resolves like an ES module import, so it names the compiled file (.js).
const healthCheck = lazyModule(() => import("./health/health.js"));
const accounts = lazyModule(() => import("./identity/accounts.js"));
const adminUsers = lazyModule(() => import("./identity/admin.js"));
const mirror = lazyModule(() => import("./identity/mirror.js"));
const chat = lazyModule(() => import("./chat/callables.js"));
const regenerate = lazyModule(() => import("./chat/regenerate.js"));
const ai = lazyModule(() => import("./chat/ai-callables.js"));
const pipeline = lazyModule(() => import("./chat/pipeline-status.js"));
const replies = lazyModule(() => import("./chat/on-message.js"));
const replyQueue = lazyModule(() => import("./chat/dispatch.js"));
const sweep = lazyModule(() => import("./chat/sweep.js"));
const usage = lazyModule(() => import("./limits/callables.js"));
const payments = lazyModule(() => import("./payments/checkout.js"));
const webhook = lazyModule(() => import("./payments/webhook.js"));
const characterAdmin = lazyModule(() => import("./characters/admin.js"));
const gallery = lazyModule(() => import("./characters/gallery.js"));
const ratings = lazyModule(() => import("./characters/ratings.js"));
const rollup = lazyModule(() => import("./characters/rollup.js"));
const media = lazyModule(() => import("./media/callables.js"));
const mediaUpload = lazyModule(() => import("./media/on-upload.js"));
const follows = lazyModule(() => import("./characters/follows.js"));
const announcements = lazyModule(() => import("./notifications/announcements.js"));
const fanout = lazyModule(() => import("./notifications/fanout.js"));
const notificationReads = lazyModule(() => import("./notifications/read-state.js"));
const premiumExpiry = lazyModule(() => import("./notifications/expiry.js"));

const REGION = "us-central1";
// Instance limits and the reply functions' concurrency are params (config.ts), chosen with
// the capacity model in docs/scaling.md and resolved at deploy time. App Check enforcement
// is read at load time (config.ts says why).
setGlobalOptions({
  region: REGION,
  maxInstances: MAX_INSTANCES,
  enforceAppCheck: appCheckEnforcedAtLoad(),
});

// ---- operations ----
export const health = onRequest(
  { secrets: [OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET] },
  healthCheck.handleHealth,
);

// ---- identity ----
// Auth triggers are only offered by the v1 API in firebase-functions 6 (the v2 ones are
// blocking functions, which need Identity Platform). Only its auth provider is imported: the
// whole v1 API would load every v1 provider into every function. Without a region option
// they deploy to the default region, us-central1, which is REGION.
export const onUserCreated = authUser().onCreate(accounts.onUserCreated);
export const onUserDeleted = authUser().onDelete(accounts.onUserDeleted);
export const onProfileWritten = onDocumentWritten("users/{uid}", (event) =>
  mirror.mirrorPublicProfile(event.params.uid),
);
export const claimUsername = onCall(accounts.claimUsername);
export const renameUsername = onCall(accounts.renameUsername);
export const checkUsername = onCall(accounts.checkUsername);
export const deactivateAccount = onCall(accounts.deactivateAccount);
export const reactivateAccount = onCall(accounts.reactivateAccount);
export const deleteAccount = onCall(
  { timeoutSeconds: 540, memory: "512MiB" },
  accounts.deleteAccount,
);
export const setUserRole = onCall(adminUsers.setUserRole);
export const setPremium = onCall(adminUsers.setPremium);
export const setRateLimitExempt = onCall(adminUsers.setRateLimitExempt);

// ---- chat ----
// A reply streams for up to a few minutes; the function waits on the provider, so one
// instance serves many replies at once.
const replyOptions = {
  secrets: [OPENAI_API_KEY],
  timeoutSeconds: 300,
  memory: "512MiB" as const,
  maxInstances: REPLY_MAX_INSTANCES,
  concurrency: REPLY_CONCURRENCY,
};
export const onMessageCreatedReply = onDocumentCreated(
  { document: "conversations/{convId}/messages/{messageId}", retry: true, ...replyOptions },
  (event) =>
    replies.onMessageCreated({
      convId: event.params.convId,
      messageId: event.params.messageId,
      data: event.data?.data(),
    }),
);
// The reply queue: free users' replies wait here so that premium replies always find the
// model provider's capacity; its rate and concurrency are settings (config.ts). A take the
// provider turns away (429) fails its delivery, and the queue retries it with backoff.
export const dispatchReply = onTaskDispatched(
  {
    ...replyOptions,
    retryConfig: {
      maxAttempts: REPLY_QUEUE_MAX_ATTEMPTS,
      minBackoffSeconds: 5,
      maxBackoffSeconds: 60,
      maxRetrySeconds: 600,
    },
    rateLimits: {
      maxDispatchesPerSecond: REPLY_QUEUE_DISPATCHES_PER_SECOND,
      maxConcurrentDispatches: REPLY_QUEUE_CONCURRENCY,
    },
  },
  async (request) => {
    await replyQueue.dispatchReply(request);
  },
);
export const sweepReplies = onSchedule(
  { schedule: "every 5 minutes", ...replyOptions },
  async () => {
    await sweep.sweepStaleReplies();
  },
);
export const startConversation = onCall(chat.startConversation);
export const stopReply = onCall(chat.stopReply);
export const regenerateReply = onCall(replyOptions, regenerate.regenerateReply);
export const selectReplyVersion = onCall(chat.selectReplyVersion);
export const deleteConversation = onCall({ timeoutSeconds: 300 }, chat.deleteConversation);
export const searchMessages = onCall(chat.searchMessages);
export const conversationStats = onCall(chat.conversationStats);
export const getUsage = onCall(usage.getUsage);
export const aiStatus = onCall({ secrets: [OPENAI_API_KEY] }, ai.aiStatus);
export const listModels = onCall(ai.listModels);
export const estimateCost = onCall(ai.estimateCost);
export const testGeneration = onCall(replyOptions, ai.testGeneration);
export const aiUsageStats = onCall(ai.aiUsageStats);
export const replyPipelineStatus = onCall((request) => pipeline.replyPipelineStatus(request));

// ---- payments ----
// Both Stripe secrets are bound wherever payments run: with either missing, payments report
// "not configured" (see shared/features.ts) and nothing else is affected.
const stripeOptions = { secrets: [STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET] };
export const getPaymentsConfig = onCall(stripeOptions, payments.getPaymentsConfig);
export const createCheckoutSession = onCall(stripeOptions, payments.createCheckoutSession);
export const createPortalSession = onCall(stripeOptions, payments.createPortalSession);
export const verifyCheckoutSession = onCall(stripeOptions, payments.verifyCheckoutSession);
export const stripeWebhook = onRequest(stripeOptions, webhook.handleStripeWebhook);

// ---- characters ----
// Admin management through callables (validated, stats and private settings written
// atomically, audited); clients read characters and galleries directly, guarded by the rules.
// A card PNG may be up to 20 MB, sent base64 in the callable request.
export const createCharacter = onCall(characterAdmin.createCharacter);
export const updateCharacter = onCall(characterAdmin.updateCharacter);
export const updateAiSettings = onCall(characterAdmin.updateAiSettings);
export const setCharacterPublished = onCall(characterAdmin.setCharacterPublished);
export const deleteCharacter = onCall({ timeoutSeconds: 300 }, characterAdmin.deleteCharacter);
export const importCharacterCard = onCall({ memory: "512MiB" }, characterAdmin.importCharacterCard);
export const exportCharacterCard = onCall({ memory: "512MiB" }, characterAdmin.exportCharacterCard);
export const addGalleryItem = onCall(gallery.addGalleryItem);
export const removeGalleryItem = onCall(gallery.removeGalleryItem);
export const refreshCharacterStats = onCall(rollup.refreshCharacterStats);
// Counter triggers are idempotent (a marker per event id, in the same transaction), so
// retrying a failed delivery is safe.
export const onGalleryView = onDocumentCreated(
  { document: "characters/{characterId}/gallery/{itemId}/views/{uid}", retry: true },
  async (event) => {
    await gallery.countGalleryView({
      eventId: event.id,
      characterId: event.params.characterId,
      itemId: event.params.itemId,
    });
  },
);
export const onRatingWritten = onDocumentWritten(
  { document: "characters/{characterId}/ratings/{uid}", retry: true },
  async (event) => {
    await ratings.applyRatingEvent({
      eventId: event.id,
      characterId: event.params.characterId,
      before: event.data?.before.data(),
      after: event.data?.after.data(),
    });
  },
);
export const rollupStats = onSchedule(
  { schedule: "every 10 minutes", timeoutSeconds: 300 },
  async () => {
    await rollup.rollupRecentStats();
  },
);

// ---- media ----
// Watches the project's default bucket. Idempotent (a media record per object generation,
// claimed with a lease) and bounded (at most 3 attempts), so platform retries are safe.
// 1 GiB: a 100 MP image peaks under 200 MB, a 50 MB audio file is read whole.
export const onMediaUploaded = onObjectFinalized(
  { retry: true, memory: "1GiB", timeoutSeconds: 300, secrets: [OPENAI_API_KEY] },
  (event) => mediaUpload.onMediaUploaded(event.data),
);
export const mediaStatus = onCall((request) => media.mediaStatus(request));
export const uploadLimits = onCall((request) => media.uploadLimits(request));
export const listMyMedia = onCall((request) => media.listMyMedia(request));
export const deleteMedia = onCall((request) => media.deleteMedia(request));
export const getSignedUrl = onCall((request) => media.getSignedUrl(request));

// ---- notifications and follows ----
// A follow or unfollow counts into the character's sharded follower count, once per event.
export const onFollowWritten = onDocumentWritten(
  { document: "users/{uid}/following/{characterId}", retry: true },
  async (event) => {
    await follows.applyFollowEvent({
      eventId: event.id,
      characterId: event.params.characterId,
      before: event.data?.before.data(),
      after: event.data?.after.data(),
    });
  },
);
export const sendAnnouncement = onCall(announcements.sendAnnouncement);
export const markAllNotificationsRead = onCall(notificationReads.markAllNotificationsRead);
// Only updates: creating a notification (a fan-out creates thousands) runs no function.
export const onNotificationRead = onDocumentUpdated(
  { document: "users/{uid}/notifications/{notificationId}", retry: true },
  async (event) => {
    await notificationReads.countNotificationRead({
      eventId: event.id,
      uid: event.params.uid,
      before: event.data?.before.data(),
      after: event.data?.after.data(),
    });
  },
);
// Each page of a fan-out commits a change to its job, which runs the next page.
export const onNotificationJobWritten = onDocumentWritten(
  { document: "notificationJobs/{jobId}", retry: true, timeoutSeconds: 300 },
  async (event) => {
    await fanout.continueFanout({ jobId: event.params.jobId, after: event.data?.after.data() });
  },
);
export const notifyPremiumExpiry = onSchedule(
  { schedule: "every 15 minutes", timeoutSeconds: 300 },
  async () => {
    await premiumExpiry.notifyPremiumExpiry();
  },
);
