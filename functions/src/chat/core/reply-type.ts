// Which kind of reply a message gets (text, a voice note, or a photo from the character's
// gallery), and which gallery item.
//
// Rules, first match wins:
//   1. requested "text"                                   -> text
//   2. requested "media", or (nothing requested and) the text asks for a photo, picture or
//      selfie, and the user may receive at least one gallery item -> media
//   3. requested "audio": premium and TTS available      -> audio, otherwise text (with why)
//   4. the user sent a voice message: premium and TTS on  -> audio (answer in kind)
//   5. otherwise                                          -> text
// Voice replies are a premium feature; a free user who sends audio simply gets text back.

export type ReplyType = "text" | "audio" | "media";

export type ReplyTypeReason =
  | "requested_text"
  | "requested_media"
  | "asked_for_photo"
  | "requested_audio"
  | "answering_voice_message"
  | "audio_needs_premium"
  | "audio_unavailable"
  | "no_gallery_item"
  | "default_text";

export interface ReplyTypeInput {
  requested?: ReplyType;
  userMessageType: ReplyType;
  isPremium: boolean;
  ttsAvailable: boolean;
  /** Gallery items this user may receive (premium-only ones excluded for free users). */
  galleryCandidates: number;
  text?: string;
}

export interface ReplyTypeChoice {
  type: ReplyType;
  reason: ReplyTypeReason;
}

// A request verb followed closely by a picture word: "send me a selfie", "can I see a
// picture of you?". A bare mention ("I painted a picture") is not a request.
const PHOTO_REQUEST =
  /\b(send|show|share|see|snap|take|post|want|need|got|have|get|give)\b[^.!?\n]{0,40}?\b(photos?|pics?|pictures?|selfies?|images?|snapshots?)\b/i;

export function asksForPhoto(text: string): boolean {
  return PHOTO_REQUEST.test(text);
}

export function chooseReplyType(input: ReplyTypeInput): ReplyTypeChoice {
  const { requested } = input;
  if (requested === "text") return { type: "text", reason: "requested_text" };

  const wantsMedia =
    requested === "media" || (requested === undefined && asksForPhoto(input.text ?? ""));
  if (wantsMedia && input.galleryCandidates > 0) {
    return { type: "media", reason: requested === "media" ? "requested_media" : "asked_for_photo" };
  }
  if (requested === "media") return { type: "text", reason: "no_gallery_item" };

  const audioBlocker: ReplyTypeReason | null = !input.isPremium
    ? "audio_needs_premium"
    : !input.ttsAvailable
      ? "audio_unavailable"
      : null;
  if (requested === "audio") {
    return audioBlocker === null
      ? { type: "audio", reason: "requested_audio" }
      : { type: "text", reason: audioBlocker };
  }
  if (input.userMessageType === "audio" && audioBlocker === null) {
    return { type: "audio", reason: "answering_voice_message" };
  }
  return { type: "text", reason: "default_text" };
}

export interface GalleryItem {
  id: string;
  premiumOnly: boolean;
  type: string;
  tags: readonly string[];
  caption: string;
}

export interface GalleryPickOptions {
  isPremium: boolean;
  /** The user's message; items sharing words with it are preferred. */
  text: string;
  /** Same seed, same items: same pick (a retried reply sends the same photo). */
  seed: string | number;
}

// Words that say nothing about which photo is wanted.
const STOP_WORDS = new Set(
  (
    "a an the and or of in on at to for with that this is it my me you your yours can could " +
    "please some one any send show share see take want need get give photo photos pic pics " +
    "picture pictures selfie selfies image images"
  ).split(" "),
);

function words(text: string): Set<string> {
  const found = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(found.filter((word) => word.length > 1 && !STOP_WORDS.has(word)));
}

/** FNV-1a: a small, stable string hash, so picks do not depend on Math.random. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function pickGalleryItem<T extends GalleryItem>(
  items: readonly T[],
  options: GalleryPickOptions,
): T | null {
  const allowed = items.filter((item) => options.isPremium || !item.premiumOnly);
  if (allowed.length === 0) return null;
  const wanted = words(options.text);
  const score = (item: T): number => {
    const itemWords = words([...item.tags, item.caption].join(" "));
    let overlap = 0;
    for (const word of itemWords) if (wanted.has(word)) overlap++;
    return overlap;
  };
  const scored = allowed.map((item) => ({ item, score: score(item) }));
  const best = Math.max(...scored.map((entry) => entry.score));
  const finalists = scored
    .filter((entry) => entry.score === best)
    .map((entry) => entry.item)
    .sort((a, b) => a.id.localeCompare(b.id));
  return finalists[stableHash(String(options.seed)) % finalists.length] ?? null;
}
