// Speech to text for voice messages, through the provider module (any OpenAI-compatible
// server that offers /audio/transcriptions), retried like the other provider calls.
import type { Settings } from "../config";
import { ProviderError, transcribe } from "../chat/provider";

export { ProviderError };

/** Transcripts are stored on messages; a message's text is at most 5000 characters. */
export const MAX_TRANSCRIPT_CHARS = 5000;

export async function transcribeAudio(
  bytes: Buffer,
  fileName: string,
  contentType: string,
  settings: Settings,
): Promise<string> {
  const text = await transcribe(bytes, fileName, contentType, settings);
  return text.trim().slice(0, MAX_TRANSCRIPT_CHARS);
}
