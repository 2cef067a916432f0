import { describe, expect, it } from "vitest";
import {
  asksForPhoto,
  chooseReplyType,
  pickGalleryItem,
  type GalleryItem,
  type ReplyTypeInput,
} from "../../../functions/src/chat/core/reply-type";
import { seededRandom } from "./character-fixture";

const base: ReplyTypeInput = {
  userMessageType: "text",
  isPremium: true,
  ttsAvailable: true,
  galleryCandidates: 3,
  text: "How was your day?",
};

describe("chooseReplyType", () => {
  it("answers text with text by default", () => {
    expect(chooseReplyType(base)).toEqual({ type: "text", reason: "default_text" });
  });

  it("answers a premium user's voice message with a voice note", () => {
    expect(chooseReplyType({ ...base, userMessageType: "audio" })).toEqual({
      type: "audio",
      reason: "answering_voice_message",
    });
  });

  it("answers a free user's voice message with text: voice replies are premium", () => {
    expect(chooseReplyType({ ...base, userMessageType: "audio", isPremium: false })).toEqual({
      type: "text",
      reason: "default_text",
    });
  });

  it("explains why a requested voice note became text", () => {
    expect(chooseReplyType({ ...base, requested: "audio", isPremium: false })).toEqual({
      type: "text",
      reason: "audio_needs_premium",
    });
    expect(chooseReplyType({ ...base, requested: "audio", ttsAvailable: false })).toEqual({
      type: "text",
      reason: "audio_unavailable",
    });
    expect(chooseReplyType({ ...base, requested: "audio" })).toEqual({
      type: "audio",
      reason: "requested_audio",
    });
  });

  it("sends media when asked explicitly and something can be sent", () => {
    expect(chooseReplyType({ ...base, requested: "media" })).toEqual({
      type: "media",
      reason: "requested_media",
    });
    expect(chooseReplyType({ ...base, requested: "media", galleryCandidates: 0 })).toEqual({
      type: "text",
      reason: "no_gallery_item",
    });
  });

  it("sends media when the message asks for a photo, free users included", () => {
    for (const text of [
      "Send me a selfie!",
      "can I see a picture of you?",
      "show me your photos",
      "Got any pics?",
    ]) {
      expect(chooseReplyType({ ...base, isPremium: false, text })).toEqual({
        type: "media",
        reason: "asked_for_photo",
      });
    }
  });

  it("falls back when a photo is asked for but none can be sent", () => {
    expect(chooseReplyType({ ...base, text: "send me a selfie", galleryCandidates: 0 })).toEqual({
      type: "text",
      reason: "default_text",
    });
    expect(
      chooseReplyType({
        ...base,
        text: "send me a selfie",
        galleryCandidates: 0,
        userMessageType: "audio",
      }),
    ).toEqual({ type: "audio", reason: "answering_voice_message" });
  });

  it("lets an explicit text request win over everything", () => {
    expect(
      chooseReplyType({
        ...base,
        requested: "text",
        userMessageType: "audio",
        text: "send a selfie",
      }),
    ).toEqual({
      type: "text",
      reason: "requested_text",
    });
  });

  it("does not read a mere mention of a picture as a request", () => {
    expect(asksForPhoto("I painted a picture of the harbour yesterday")).toBe(false);
    expect(asksForPhoto("That selfie stick broke.")).toBe(false);
    expect(asksForPhoto("Could you send a photo of the lamp?")).toBe(true);
  });
});

const gallery: GalleryItem[] = [
  {
    id: "beach",
    premiumOnly: false,
    type: "image",
    tags: ["beach", "summer"],
    caption: "Sea glass on the sand",
  },
  {
    id: "lamp",
    premiumOnly: false,
    type: "image",
    tags: ["lighthouse"],
    caption: "The lamp room at night",
  },
  {
    id: "swim",
    premiumOnly: true,
    type: "image",
    tags: ["beach", "swimsuit"],
    caption: "A swim at the beach",
  },
  { id: "cozy", premiumOnly: true, type: "image", tags: ["cozy"], caption: "Tea by the fire" },
];

describe("pickGalleryItem", () => {
  it("never gives a free user a premium-only item, whatever the text or seed", () => {
    const random = seededRandom(7);
    const words = ["beach", "swimsuit", "cozy", "fire", "tea", "lamp", "night", "swim", ""];
    for (let run = 0; run < 500; run++) {
      const text = `send a pic ${words[Math.floor(random() * words.length)]} ${words[Math.floor(random() * words.length)]}`;
      const picked = pickGalleryItem(gallery, { isPremium: false, text, seed: run });
      expect(picked?.premiumOnly).toBe(false);
    }
  });

  it("prefers items whose tags or caption share words with the message", () => {
    expect(
      pickGalleryItem(gallery, { isPremium: false, text: "a photo from the beach?", seed: 1 })?.id,
    ).toBe("beach");
    expect(
      pickGalleryItem(gallery, { isPremium: false, text: "show me the lighthouse", seed: 1 })?.id,
    ).toBe("lamp");
    expect(pickGalleryItem(gallery, { isPremium: true, text: "a swimsuit pic", seed: 1 })?.id).toBe(
      "swim",
    );
    expect(
      pickGalleryItem(gallery, { isPremium: true, text: "tea by the fire?", seed: 9 })?.id,
    ).toBe("cozy");
  });

  it("is deterministic for a seed and varies across seeds", () => {
    const pick = (seed: string) =>
      pickGalleryItem(gallery, { isPremium: true, text: "a selfie please", seed })?.id;
    expect(pick("message-1")).toBe(pick("message-1"));
    const picks = new Set(Array.from({ length: 40 }, (_, i) => pick(`message-${i}`)));
    expect(picks.size).toBeGreaterThan(1);
  });

  it("does not depend on the order items are listed in", () => {
    const options = { isPremium: true, text: "any photo", seed: "abc" };
    expect(pickGalleryItem([...gallery].reverse(), options)?.id).toBe(
      pickGalleryItem(gallery, options)?.id,
    );
  });

  it("returns null when nothing may be sent", () => {
    expect(pickGalleryItem([], { isPremium: true, text: "pic", seed: 1 })).toBeNull();
    expect(
      pickGalleryItem(
        gallery.filter((item) => item.premiumOnly),
        { isPremium: false, text: "pic", seed: 1 },
      ),
    ).toBeNull();
  });
});
