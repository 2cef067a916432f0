// Declares the deployed functions: trigger, options and secrets. Each handler lives in its
// feature folder and is tested there; this file only wires them to Firebase.
import { setGlobalOptions } from "firebase-functions/v2";
import { onDocumentCreated, onDocumentWritten } from "firebase-functions/v2/firestore";
import { onSchedule } from "firebase-functions/v2/scheduler";
import { onCall, onRequest } from "firebase-functions/v2/https";
import * as v1 from "firebase-functions/v1";
import { OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET } from "./config";
import { handleHealth } from "./health/health";
import * as accounts from "./identity/accounts";
import * as adminUsers from "./identity/admin";
import { mirrorPublicProfile } from "./identity/mirror";
import * as chat from "./chat/callables";
import * as ai from "./chat/ai-callables";
import { onMessageCreated } from "./chat/on-message";
import { sweepStaleReplies } from "./chat/sweep";
import * as usage from "./limits/callables";
import * as payments from "./payments/checkout";
import { handleStripeWebhook } from "./payments/webhook";
import * as characterAdmin from "./characters/admin";
import * as gallery from "./characters/gallery";
import { applyRatingEvent } from "./characters/ratings";
import { refreshCharacterStats as refreshStats, rollupRecentStats } from "./characters/rollup";
import { onObjectFinalized } from "firebase-functions/v2/storage";
import * as media from "./media/callables";
import * as mediaUpload from "./media/on-upload";

const REGION = "us-central1";
setGlobalOptions({ region: REGION, maxInstances: 20 });

// ---- operations ----
export const health = onRequest(
  { secrets: [OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET] },
  handleHealth,
);

// ---- identity ----
// Auth triggers are only offered by the v1 API (blocking functions would need Identity
// Platform).
export const onUserCreated = v1.region(REGION).auth.user().onCreate(accounts.onUserCreated);
export const onUserDeleted = v1.region(REGION).auth.user().onDelete(accounts.onUserDeleted);
export const onProfileWritten = onDocumentWritten("users/{uid}", (event) =>
  mirrorPublicProfile(event.params.uid),
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
  concurrency: 40,
};
export const onMessageCreatedReply = onDocumentCreated(
  { document: "conversations/{convId}/messages/{messageId}", retry: true, ...replyOptions },
  (event) =>
    onMessageCreated({
      convId: event.params.convId,
      messageId: event.params.messageId,
      data: event.data?.data(),
    }),
);
export const sweepReplies = onSchedule(
  { schedule: "every 5 minutes", ...replyOptions },
  async () => {
    await sweepStaleReplies();
  },
);
export const startConversation = onCall(chat.startConversation);
export const stopReply = onCall(chat.stopReply);
export const regenerateReply = onCall(replyOptions, chat.regenerateReply);
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
export const replyPipelineStatus = onCall((request) =>
  import("./chat/pipeline-status.js").then((module) => module.replyPipelineStatus(request)),
);

// ---- payments ----
// Both Stripe secrets are bound wherever payments run: with either missing, payments report
// "not configured" (see shared/features.ts) and nothing else is affected.
const stripeOptions = { secrets: [STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET] };
export const getPaymentsConfig = onCall(stripeOptions, payments.getPaymentsConfig);
export const createCheckoutSession = onCall(stripeOptions, payments.createCheckoutSession);
export const createPortalSession = onCall(stripeOptions, payments.createPortalSession);
export const verifyCheckoutSession = onCall(stripeOptions, payments.verifyCheckoutSession);
export const stripeWebhook = onRequest(stripeOptions, handleStripeWebhook);

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
export const refreshCharacterStats = onCall(refreshStats);
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
    await applyRatingEvent({
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
    await rollupRecentStats();
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
