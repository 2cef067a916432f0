// Every callable function: its name, who may call it, and the schemas of what it takes and
// returns. The functions validate with the input schemas and return the output types; the
// client library calls by these names and types. Pure: zod only.
import type { z } from "zod";
import * as ai from "./ai.js";
import * as characters from "./characters.js";
import * as chat from "./chat.js";
import * as identity from "./identity.js";
import * as media from "./media.js";
import * as notifications from "./notifications.js";
import * as payments from "./payments.js";
import * as pipeline from "./pipeline.js";
import * as usage from "./usage.js";

/** `public`: also signed-out callers; `user`: signed-in; `admin`: the `admin` custom claim. */
export type CallableAccess = "public" | "user" | "admin";

interface CallableSpec {
  access: CallableAccess;
  input: z.ZodType;
  output: z.ZodType;
}

const user = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ access: "user", input, output }) as const;
const admin = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ access: "admin", input, output }) as const;
const open = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ access: "public", input, output }) as const;

export const CALLABLES = {
  // identity
  claimUsername: user(identity.usernameInput, identity.usernameOutput),
  renameUsername: user(identity.usernameInput, identity.usernameOutput),
  checkUsername: user(identity.checkUsernameInput, identity.checkUsernameOutput),
  deactivateAccount: user(identity.setDeactivatedInput, identity.setDeactivatedOutput),
  reactivateAccount: user(identity.setDeactivatedInput, identity.setDeactivatedOutput),
  deleteAccount: user(identity.deleteAccountInput, identity.deleteAccountOutput),
  setUserRole: admin(identity.setUserRoleInput, identity.setUserRoleOutput),
  setPremium: admin(identity.setPremiumInput, identity.setPremiumOutput),
  setRateLimitExempt: admin(identity.setRateLimitExemptInput, identity.setRateLimitExemptOutput),
  // chat
  startConversation: user(chat.startConversationInput, chat.startConversationOutput),
  stopReply: user(chat.replyTargetInput, chat.stopReplyOutput),
  regenerateReply: user(chat.replyTargetInput, chat.regenerateReplyOutput),
  selectReplyVersion: user(chat.selectReplyVersionInput, chat.selectReplyVersionOutput),
  deleteConversation: user(chat.deleteConversationInput, chat.deleteConversationOutput),
  searchMessages: user(chat.searchMessagesInput, chat.searchMessagesOutput),
  conversationStats: user(chat.conversationStatsInput, chat.conversationStatsOutput),
  getUsage: user(usage.getUsageInput, usage.getUsageOutput),
  // AI
  aiStatus: user(ai.aiStatusInput, ai.aiStatusOutput),
  listModels: user(ai.listModelsInput, ai.listModelsOutput),
  estimateCost: user(ai.estimateCostInput, ai.estimateCostOutput),
  testGeneration: admin(ai.testGenerationInput, ai.testGenerationOutput),
  aiUsageStats: admin(ai.aiUsageStatsInput, ai.aiUsageStatsOutput),
  replyPipelineStatus: admin(pipeline.replyPipelineStatusInput, pipeline.replyPipelineStatusOutput),
  // payments
  getPaymentsConfig: open(payments.getPaymentsConfigInput, payments.getPaymentsConfigOutput),
  createCheckoutSession: user(
    payments.createCheckoutSessionInput,
    payments.createCheckoutSessionOutput,
  ),
  createPortalSession: user(payments.createPortalSessionInput, payments.createPortalSessionOutput),
  verifyCheckoutSession: user(
    payments.verifyCheckoutSessionInput,
    payments.verifyCheckoutSessionOutput,
  ),
  // characters (admin)
  createCharacter: admin(characters.createCharacterInput, characters.createCharacterOutput),
  updateCharacter: admin(characters.updateCharacterInput, characters.updateCharacterOutput),
  updateAiSettings: admin(characters.updateAiSettingsInput, characters.updateCharacterOutput),
  setCharacterPublished: admin(characters.setPublishedInput, characters.setPublishedOutput),
  deleteCharacter: admin(characters.characterRefInput, characters.deleteCharacterOutput),
  importCharacterCard: admin(characters.importCardInput, characters.importCardOutput),
  exportCharacterCard: admin(characters.exportCardInput, characters.exportCardOutput),
  addGalleryItem: admin(characters.addGalleryItemInput, characters.addGalleryItemOutput),
  removeGalleryItem: admin(characters.removeGalleryItemInput, characters.removeGalleryItemOutput),
  refreshCharacterStats: admin(
    characters.characterRefInput,
    characters.refreshCharacterStatsOutput,
  ),
  // media
  mediaStatus: open(media.mediaStatusInput, media.mediaStatusOutput),
  uploadLimits: user(media.uploadLimitsInput, media.uploadLimitsOutput),
  listMyMedia: user(media.listMyMediaInput, media.listMyMediaOutput),
  deleteMedia: user(media.deleteMediaInput, media.deleteMediaOutput),
  getSignedUrl: user(media.getSignedUrlInput, media.getSignedUrlOutput),
  // notifications
  markAllNotificationsRead: user(
    notifications.markAllNotificationsReadInput,
    notifications.markAllNotificationsReadOutput,
  ),
  sendAnnouncement: admin(
    notifications.sendAnnouncementInput,
    notifications.sendAnnouncementOutput,
  ),
} as const satisfies Record<string, CallableSpec>;

export type CallableName = keyof typeof CALLABLES;
/** What a caller sends: the input schema's input type (fields with defaults are optional). */
export type CallableInput<N extends CallableName> = z.input<(typeof CALLABLES)[N]["input"]>;
export type CallableOutput<N extends CallableName> = z.output<(typeof CALLABLES)[N]["output"]>;
