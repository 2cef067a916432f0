// The model provider: an OpenAI-compatible endpoint through the `openai` SDK, with our own
// retries (backoff with jitter on 429, 5xx and timeouts), or the offline responder when no
// key is configured.
import OpenAI from "openai";
import { readSettings, type Settings } from "../config";
import type { ChatMessage } from "./core/chat-message";
import {
  moderationDecision,
  moderationResultSchema,
  type ModerationDecision,
  type ModerationInputPart,
} from "./core/moderation";
import {
  backoffDelayMs,
  classifyError,
  isRetryable,
  MAX_ATTEMPTS,
  type ErrorKind,
} from "./core/retry";
import type { TokenUsage } from "../contract/chat";

export class ProviderError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly detail: string,
  ) {
    super(`provider call failed (${kind}): ${detail}`);
  }
}

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

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

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
): Promise<StreamOutcome> {
  const client = openAiClient(settings);
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await streamOnce(client, request, settings.openAiTimeoutMs, onText, signal);
      return { ...outcome, attempts: attempt };
    } catch (error) {
      const kind = error instanceof ProviderError ? error.kind : classifyError(error);
      if (attempt >= MAX_ATTEMPTS || !isRetryable(kind) || signal.aborted) {
        throw error instanceof ProviderError ? error : new ProviderError(kind, String(error));
      }
      onText("");
      await sleep(backoffDelayMs(attempt), signal);
    }
  }
}

/** Moderates text with the moderation endpoint, retried like completions. */
export async function moderate(
  input: string | ModerationInputPart[],
  settings: Settings = readSettings(),
): Promise<ModerationDecision> {
  const client = openAiClient(settings);
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.moderations.create({ model: settings.moderationModel, input });
      const first = moderationResultSchema.parse(response.results[0]);
      return moderationDecision(first);
    } catch (error) {
      const kind = classifyError(error);
      if (attempt >= MAX_ATTEMPTS || !isRetryable(kind)) {
        throw new ProviderError(kind, error instanceof Error ? error.message : String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt)));
    }
  }
}

/** One non-streamed completion (summaries, admin test generation). */
export async function complete(request: StreamRequest, settings: Settings = readSettings()) {
  const controller = new AbortController();
  let text = "";
  const outcome = await streamCompletion(request, (so) => (text = so), controller.signal, settings);
  return { ...outcome, text: outcome.text || text };
}
