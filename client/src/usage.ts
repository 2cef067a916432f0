// Free messages: what a user has used and has left with each character.
import {
  isPremiumAt,
  paths,
  usageSchema,
  userProfileSchema,
  type GetUsageOutput,
  type MessageType,
} from "../../functions/src/contract/index.js";
import { requireUser } from "./auth.js";
import { call } from "./call.js";
import type { AiChatClient } from "./connect.js";
import { typedDoc, watchDocument, type ErrorHandler, type Unsubscribe } from "./documents.js";
import { toAppError } from "./errors.js";

/**
 * Usage per character: `used` and `remaining` are `{text, audio, media}`; `remaining` is
 * null per type for premium users (unlimited), `limits` is null for them too.
 */
export function getUsage(client: AiChatClient, characterId?: string): Promise<GetUsageOutput> {
  return call(client, "getUsage", characterId ? { characterId } : {});
}

export interface CharacterUsage {
  premium: boolean;
  /** The free tier per character; null for premium users. */
  limits: Record<MessageType, number> | null;
  used: Record<MessageType, number>;
  /** Null per type when unlimited. */
  remaining: Record<MessageType, number | null>;
}

function remainingOf(
  used: Record<MessageType, number>,
  limits: Record<MessageType, number> | null,
): Record<MessageType, number | null> {
  const left = (type: MessageType) =>
    limits === null ? null : Math.max(0, limits[type] - used[type]);
  return { text: left("text"), audio: left("audio"), media: left("media") };
}

/**
 * The free messages left with a character, live: it changes as the user's messages are
 * answered (a reply that delivered nothing gives its unit back) and when premium starts or
 * ends. The free tier comes from the server once (getUsage); then two listeners (the usage
 * and the profile documents) keep it current.
 */
export function watchUsage(
  client: AiChatClient,
  characterId: string,
  onChange: (usage: CharacterUsage) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  const uid = requireUser(client).uid;
  let freeTier: Record<MessageType, number> | null = null;
  let used: Record<MessageType, number> | null = null;
  let premiumUntilMs: number | null | undefined;
  let stopped = false;
  let expiry: ReturnType<typeof setTimeout> | undefined;

  const emit = () => {
    if (stopped || freeTier === null || used === null || premiumUntilMs === undefined) return;
    const premium = isPremiumAt(premiumUntilMs, Date.now());
    const limits = premium ? null : freeTier;
    onChange({ premium, limits, used, remaining: remainingOf(used, limits) });
    clearTimeout(expiry);
    // Premium ends by itself at premiumUntil: report it then, without waiting for a write.
    if (premium && premiumUntilMs !== null) {
      expiry = setTimeout(emit, Math.min(premiumUntilMs - Date.now() + 1, MAX_TIMER_MS));
    }
  };

  getUsage(client, characterId).then(
    (usage) => {
      freeTier = usage.freeTier;
      emit();
    },
    (error: unknown) => onError?.(toAppError(error)),
  );
  const stopUsage = watchDocument(
    typedDoc(client, paths.usageOf(uid, characterId), usageSchema),
    (usage) => {
      used = { text: usage?.text ?? 0, audio: usage?.audio ?? 0, media: usage?.media ?? 0 };
      emit();
    },
    onError,
  );
  const stopProfile = watchDocument(
    typedDoc(client, paths.user(uid), userProfileSchema),
    (profile) => {
      premiumUntilMs = profile?.premiumUntil?.toMillis() ?? null;
      emit();
    },
    onError,
  );
  return () => {
    stopped = true;
    clearTimeout(expiry);
    stopUsage();
    stopProfile();
  };
}

/** setTimeout's largest delay (about 24.8 days); a later expiry is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
