// Turning a moderation result into a decision, and what the app shows when a message is held
// back. The raw categories are kept for logs and admins, never shown as provider text.
import { z } from "zod";
import { replyError, type ReplyError } from "../../contract/errors";

/** The part of an OpenAI moderation result this backend reads. */
export const moderationResultSchema = z.object({
  flagged: z.boolean(),
  categories: z.record(z.string(), z.boolean().nullable()),
});
export type ModerationResult = z.infer<typeof moderationResultSchema>;

export type ModerationDecision = { allowed: true } | { allowed: false; categories: string[] };

export function moderationDecision(result: {
  flagged: boolean;
  categories: Record<string, boolean | null>;
}): ModerationDecision {
  const categories = Object.entries(result.categories)
    .filter(([, hit]) => hit === true)
    .map(([name]) => name)
    .sort();
  // Either signal is enough: a category hit with `flagged` false would still be a hit.
  if (!result.flagged && categories.length === 0) return { allowed: true };
  return { allowed: false, categories };
}

export const BLOCKED_INPUT = replyError("message_blocked");

export const BLOCKED_OUTPUT = replyError("reply_blocked");

export function blockedMessage(stage: "input" | "output"): ReplyError {
  return stage === "input" ? BLOCKED_INPUT : BLOCKED_OUTPUT;
}

export type ModerationInputPart =
  { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

/** The moderation request input for a message: its text, plus its image when there is one. */
export function moderationInput(text: string, imageUrl?: string): string | ModerationInputPart[] {
  if (!imageUrl) return text;
  const parts: ModerationInputPart[] = [];
  if (text !== "") parts.push({ type: "text", text });
  parts.push({ type: "image_url", image_url: { url: imageUrl } });
  return parts;
}
