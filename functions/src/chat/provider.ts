// The model provider: an OpenAI-compatible endpoint through the `openai` SDK, with our own
// retries (backoff with jitter on 429, 5xx and timeouts; core/retry.ts). Every call the
// product makes goes through here: chat completions, moderation, speech and transcription.
import OpenAI, { toFile } from "openai";
import { readSettings, type Settings } from "../config";
import type { ChatMessage } from "./core/chat-message";
import {
  moderationDecision,
  moderationResultSchema,
  type ModerationDecision,
  type ModerationInputPart,
} from "./core/moderation";
import { classifyError, ProviderError, withRetries, type ErrorKind } from "./core/retry";
import type { TokenUsage } from "../contract/chat";

let cached: { key: string; client: OpenAI } | null = null;

/** Built on first use and reused while the settings stay the same. */
export function openAiClient(settings: Settings = readSettings()): OpenAI {
  const cacheKey = `${settings.openAiApiKey}|${settings.openAiBaseUrl}|${settings.openAiTimeoutMs}`;
  if (cached?.key !== cacheKey) {
    cached = {
      key: cacheKey,
      client: new OpenAI({
        apiKey: settings.openAiApiKey,
        baseURL: settings.openAiBaseUrl,
        // Retries are ours (retry.ts), so the SDK must not add its own.
        maxRetries: 0,
        timeout: settings.openAiTimeoutMs,
      }),
    };
  }
  return cached.client;
}

export { ProviderError };

export interface StreamOutcome {
  text: string;
  usage: TokenUsage | null;
  finishReason: string | null;
  model: string;
  attempts: number;
  firstTextAtMs: number | null;
}

export interface StreamRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
}

async function streamOnce(
  client: OpenAI,
  request: StreamRequest,
  idleTimeoutMs: number,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<Omit<StreamOutcome, "attempts">> {
  // One controller per attempt: aborted by the caller (stop) or by the idle watchdog.
  const attempt = new AbortController();
  const relay = () => attempt.abort(signal.reason);
  signal.addEventListener("abort", relay);
  let idle: NodeJS.Timeout | undefined;
  let idleFired = false;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      idleFired = true;
      attempt.abort(new Error("idle timeout"));
    }, idleTimeoutMs);
  };
  let text = "";
  let usage: TokenUsage | null = null;
  let finishReason: string | null = null;
  let model = request.model;
  let firstTextAtMs: number | null = null;
  try {
    armIdle();
    const stream = await client.chat.completions.create(
      {
        model: request.model,
        messages: request.messages,
        temperature: request.temperature,
        max_tokens: request.maxTokens,
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal: attempt.signal },
    );
    for await (const chunk of stream) {
      armIdle();
      model = chunk.model || model;
      const choice = chunk.choices[0];
      const delta = choice?.delta?.content ?? "";
      if (delta) {
        firstTextAtMs ??= Date.now();
        text += delta;
        onText(text);
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) {
        usage = {
          promptTokens: chunk.usage.prompt_tokens,
          completionTokens: chunk.usage.completion_tokens,
          cachedTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
        };
      }
    }
    // An abort can end the iteration quietly instead of throwing.
    if (signal.aborted) return { text, usage, finishReason: "stopped", model, firstTextAtMs };
    if (idleFired) throw new ProviderError("timeout", "no data within the call timeout");
    if (finishReason === null) {
      throw new ProviderError("connection", "the stream ended without a finish reason");
    }
    return { text, usage, finishReason, model, firstTextAtMs };
  } catch (error) {
    if (signal.aborted) return { text, usage, finishReason: "stopped", model, firstTextAtMs };
    if (error instanceof ProviderError) throw error;
    const kind = idleFired ? "timeout" : classifyError(error);
    throw new ProviderError(kind, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(idle);
    signal.removeEventListener("abort", relay);
  }
}

/**
 * Streams a completion. `onText` receives the whole text so far. A retried attempt starts
 * the text over, so listeners never see two attempts glued together. Stopping (the signal)
 * ends the stream and returns what arrived, with finishReason "stopped".
 */
export async function streamCompletion(
  request: StreamRequest,
  onText: (text: string) => void,
  signal: AbortSignal,
  settings: Settings = readSettings(),
  noRetry: readonly ErrorKind[] = [],
  onRetry?: (attempt: number, kind: ErrorKind) => void,
): Promise<StreamOutcome> {
  const client = openAiClient(settings);
  let attempts = 0;
  const outcome = await withRetries(
    (attempt) => {
      attempts = attempt;
      return streamOnce(client, request, settings.openAiTimeoutMs, onText, signal);
    },
    {
      signal,
      noRetry,
      onRetry: (attempt, kind) => {
        onText("");
        onRetry?.(attempt, kind);
      },
    },
  );
  return { ...outcome, attempts };
}

/** Moderates text (and images) with the moderation endpoint. */
export async function moderate(
  input: string | ModerationInputPart[],
  settings: Settings = readSettings(),
  signal?: AbortSignal,
  noRetry: readonly ErrorKind[] = [],
  onRetry?: (attempt: number, kind: ErrorKind) => void,
): Promise<ModerationDecision> {
  const client = openAiClient(settings);
  return withRetries(
    async () => {
      const response = await withRequestSignal(signal, (requestSignal) =>
        client.moderations.create(
          { model: settings.moderationModel, input },
          requestSignal ? { signal: requestSignal } : {},
        ),
      );
      return moderationDecision(moderationResultSchema.parse(response.results[0]));
    },
    { ...(signal ? { signal } : {}), noRetry, ...(onRetry ? { onRetry } : {}) },
  );
}

/**
 * Runs one request on a signal of its own that follows `signal`. The SDK adds an abort
 * listener to the signal it is given and never removes it, so a reply's many moderation
 * calls on one long-lived signal would pile listeners on it; each request's own signal goes
 * away with the request, and the relay is removed when it ends.
 */
async function withRequestSignal<T>(
  signal: AbortSignal | undefined,
  request: (requestSignal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!signal) return request(undefined);
  const own = new AbortController();
  const relay = () => own.abort(signal.reason);
  if (signal.aborted) relay();
  else signal.addEventListener("abort", relay, { once: true });
  try {
    return await request(own.signal);
  } finally {
    signal.removeEventListener("abort", relay);
  }
}

/** Text to speech: MP3 bytes of the text (at most 4000 characters are spoken). */
export async function speak(text: string, settings: Settings = readSettings()): Promise<Buffer> {
  const client = openAiClient(settings);
  return withRetries(async () => {
    const speech = await client.audio.speech.create({
      model: settings.ttsModel,
      voice: "alloy",
      input: text.slice(0, 4000),
      response_format: "mp3",
    });
    return Buffer.from(await speech.arrayBuffer());
  });
}

/** Speech to text with the transcription endpoint. */
export async function transcribe(
  bytes: Buffer,
  fileName: string,
  contentType: string,
  settings: Settings = readSettings(),
): Promise<string> {
  const client = openAiClient(settings);
  return withRetries(async () => {
    const file = await toFile(bytes, fileName, { type: contentType });
    const result = await client.audio.transcriptions.create({
      file,
      model: settings.transcribeModel,
    });
    return result.text;
  });
}

/** One non-streamed completion (summaries, admin test generation). */
export async function complete(request: StreamRequest, settings: Settings = readSettings()) {
  const controller = new AbortController();
  let text = "";
  const outcome = await streamCompletion(request, (so) => (text = so), controller.signal, settings);
  return { ...outcome, text: outcome.text || text };
}
