// Audio (text-to-speech) and media (a gallery item) replies around the generated text.
import { logger } from "firebase-functions/v2";
import type { Settings } from "../config";
import type { CharacterProfile } from "../contract/characters";
import { db } from "../shared/firebase";
import { mediaBucket, storageReachable } from "../shared/storage";
import {
  chooseReplyType,
  pickGalleryItem,
  type GalleryItem,
  type ReplyTypeChoice,
} from "./core/reply-type";
import { openAiClient } from "./provider";
import type { GenerateJob } from "./generate";

export interface ReplyPlan extends ReplyTypeChoice {
  item?: GalleryItem & { path: string; variants: Record<string, string> };
}

const PHOTO_WORDS = /\b(photos?|pics?|pictures?|selfies?|images?|snapshots?)\b/i;

function galleryItemFrom(id: string, data: Record<string, unknown>) {
  const tags = Array.isArray(data.tags)
    ? data.tags.filter((tag): tag is string => typeof tag === "string")
    : [];
  const variants: Record<string, string> = {};
  if (data.variants && typeof data.variants === "object") {
    for (const [name, path] of Object.entries(data.variants))
      if (typeof path === "string") variants[name] = path;
  }
  return {
    id,
    premiumOnly: data.premiumOnly === true,
    type: typeof data.type === "string" ? data.type : "image",
    tags,
    caption: typeof data.caption === "string" ? data.caption : "",
    path: typeof data.storagePath === "string" ? data.storagePath : "",
    variants,
  };
}

export async function chooseReply(
  job: GenerateJob,
  _profile: CharacterProfile,
  settings: Settings,
): Promise<ReplyPlan> {
  const requested = job.message.requestedReplyType;
  const wantsMedia =
    requested === "media" || (requested === undefined && PHOTO_WORDS.test(job.message.text));
  let items: ReturnType<typeof galleryItemFrom>[] = [];
  if (wantsMedia) {
    // Read the gallery only when a photo is wanted, and only what this user may receive.
    let query = db()
      .collection("characters")
      .doc(job.message.characterId)
      .collection("gallery")
      .where("type", "==", "image");
    if (!job.premium) query = query.where("premiumOnly", "==", false);
    const snapshot = await query.limit(50).get();
    items = snapshot.docs.map((doc) => galleryItemFrom(doc.id, doc.data()));
  }
  const choice = chooseReplyType({
    ...(requested ? { requested } : {}),
    userMessageType: job.message.type,
    isPremium: job.premium,
    ttsAvailable: Boolean(settings.openAiApiKey) && storageReachable(),
    galleryCandidates: items.length,
    text: job.message.text,
  });
  if (choice.type !== "media") return choice;
  const item = pickGalleryItem(items, {
    isPremium: job.premium,
    text: job.message.text,
    seed: job.messageId,
  });
  return item ? { ...choice, item } : { type: "text", reason: "no_gallery_item" };
}

export async function attachReplyExtras(
  job: GenerateJob,
  plan: ReplyPlan,
  text: string,
  settings: Settings,
): Promise<{
  type: "text" | "audio" | "media";
  media?: Record<string, unknown>;
  audio?: Record<string, unknown>;
}> {
  if (plan.type === "media" && plan.item) {
    return {
      type: "media",
      media: {
        itemId: plan.item.id,
        path: plan.item.path,
        variants: plan.item.variants,
        caption: plan.item.caption,
      },
    };
  }
  if (plan.type === "audio" && text.trim()) {
    try {
      const speech = await openAiClient(settings).audio.speech.create({
        model: settings.ttsModel,
        voice: "alloy",
        input: text.slice(0, 4000),
        response_format: "mp3",
      });
      const bytes = Buffer.from(await speech.arrayBuffer());
      const path = `conversations/${job.convId}/audio/${job.replyId}.mp3`;
      await mediaBucket()
        .file(path)
        .save(bytes, {
          contentType: "audio/mpeg",
          metadata: {
            cacheControl: "private, max-age=31536000",
            metadata: { aichatVariant: "true" },
          },
        });
      return { type: "audio", audio: { path, contentType: "audio/mpeg", bytes: bytes.length } };
    } catch (error) {
      // The text is still a good reply: deliver it and say why there is no audio.
      logger.warn("text-to-speech failed; replying with text", {
        replyId: job.replyId,
        error: String(error),
      });
    }
  }
  return { type: "text" };
}
