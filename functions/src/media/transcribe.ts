// Speech to text with the OpenAI transcription endpoint (any OpenAI-compatible server that
// offers /audio/transcriptions), retried like the other provider calls.
import { toFile } from "openai";
import type { Settings } from "../config";
import { backoffDelayMs, classifyError, isRetryable, MAX_ATTEMPTS } from "../chat/core/retry";
import { openAiClient, ProviderError } from "../chat/provider";

export { ProviderError };

/** Transcripts are stored on messages; a message's text is at most 5000 characters. */
export const MAX_TRANSCRIPT_CHARS = 5000;

export async function transcribeAudio(
  bytes: Buffer,
  fileName: string,
  contentType: string,
  settings: Settings,
): Promise<string> {
  const client = openAiClient(settings);
  for (let attempt = 1; ; attempt++) {
    try {
      const file = await toFile(bytes, fileName, { type: contentType });
      const result = await client.audio.transcriptions.create({
        file,
        model: settings.transcribeModel,
      });
      return result.text.trim().slice(0, MAX_TRANSCRIPT_CHARS);
    } catch (error) {
      const kind = classifyError(error);
      if (attempt >= MAX_ATTEMPTS || !isRetryable(kind)) {
        throw new ProviderError(kind, error instanceof Error ? error.message : String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt)));
    }
  }
}
