// A local double of the OpenAI API for emulator tests: node:http only, response shapes as
// the real API sends them, behaviour chosen by markers in the last user message so tests
// running side by side never disturb each other.
//
// Markers (in the last user message of a chat completion):
//   [[flag]]           moderation flags any input containing it
//   [[flag-output]]    the reply contains FLAGGED_OUTPUT_TOKEN, which moderation flags
//   [[flag-output-at:N]] the same token, as the reply's word number N (0-based)
//   [[fail:429x2]]     the first 2 calls with this exact text answer 429, later ones succeed
//   [[fail:500]]       every call with this text answers 500
//   [[hang]]           no answer at all until the client gives up or the double stops
//   [[drop]]           a few chunks (streamed) or nothing (JSON), then the socket is destroyed
//   [[pace:MS]]        MS milliseconds between streamed chunks (default 0)
//   [[first:MS]]       MS milliseconds before the first streamed word (first-token latency)
//   [[first-again:MS]] the same, but only from the second call with this exact text on
//   [[words:N]]        the reply is exactly N words
//   [[cached:N]]       usage reports N cached prompt tokens (at most the prompt tokens)
//   [[takes]]          the reply starts "Take N." where N counts completions with this exact
//                      text, so a regenerated reply differs from the one it replaces
// Usage counts are estimates (about 4 characters per token), not the real tokenizer.
//
// Control API for tests in other processes (no auth): GET /__requests?contains=<text> lists
// recorded requests whose body contains the text; DELETE /__requests forgets them and resets
// the fail counters.
import type { IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback-server";
import { z } from "../../functions/node_modules/zod/index.js";

export const FLAGGED_OUTPUT_TOKEN = "[[flagged-output]]";
const FLAG_INPUT_MARKER = "[[flag]]";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON, or a summary of multipart fields and files. */
  body: unknown;
  /** The body as text (for multipart: the JSON of the summary); `contains` searches this. */
  rawBody: string;
  atMs: number;
  /** The HTTP status it was answered with, when answered (chat completions). */
  status?: number;
}

export interface FakeOpenAI {
  /** Base URL for the SDK and OPENAI_BASE_URL, ending in /v1. */
  url: string;
  origin: string;
  port: number;
  stop(): Promise<void>;
}

// ---- request parsing ----------------------------------------------------------------------

const contentPartSchema = z.union([
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("image_url"), image_url: z.object({ url: z.string() }) }),
  z.object({ type: z.string() }),
]);

const chatRequestSchema = z.object({
  model: z.string().min(1),
  messages: z
    .array(
      z.object({
        role: z.string(),
        content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
      }),
    )
    .min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});
type ChatRequest = z.infer<typeof chatRequestSchema>;
type RequestMessage = ChatRequest["messages"][number];

const moderationRequestSchema = z.object({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.string()), z.array(contentPartSchema)]),
});

const speechRequestSchema = z.object({
  model: z.string().min(1),
  input: z.string().min(1),
  voice: z.string().min(1),
  response_format: z.string().optional(),
});

function partText(part: z.infer<typeof contentPartSchema>): string {
  return "text" in part && typeof part.text === "string" ? part.text : "";
}

function messageText(message: RequestMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map(partText).join("\n");
}

function lastUserText(request: ChatRequest): string {
  const users = request.messages.filter((message) => message.role === "user");
  const last = users[users.length - 1];
  return last ? messageText(last) : "";
}

interface Markers {
  flagOutput: boolean;
  flagOutputAt: number | null;
  firstMs: number;
  firstAgainMs: number;
  fail: { status: number; times: number | "always" } | null;
  hang: boolean;
  drop: boolean;
  paceMs: number;
  words: number | null;
  cached: number;
  takes: boolean;
}

function parseMarkers(text: string): Markers {
  const fail = /\[\[fail:(\d{3})(?:x(\d+))?\]\]/.exec(text);
  const pace = /\[\[pace:(\d+)\]\]/.exec(text);
  const words = /\[\[words:(\d+)\]\]/.exec(text);
  const cached = /\[\[cached:(\d+)\]\]/.exec(text);
  const flagAt = /\[\[flag-output-at:(\d+)\]\]/.exec(text);
  const first = /\[\[first:(\d+)\]\]/.exec(text);
  const firstAgain = /\[\[first-again:(\d+)\]\]/.exec(text);
  return {
    flagOutput: text.includes("[[flag-output]]"),
    flagOutputAt: flagAt ? Number(flagAt[1]) : null,
    firstMs: first ? Number(first[1]) : 0,
    firstAgainMs: firstAgain ? Number(firstAgain[1]) : 0,
    fail: fail ? { status: Number(fail[1]), times: fail[2] ? Number(fail[2]) : "always" } : null,
    hang: text.includes("[[hang]]"),
    drop: text.includes("[[drop]]"),
    paceMs: pace ? Number(pace[1]) : 0,
    words: words ? Number(words[1]) : null,
    cached: cached ? Number(cached[1]) : 0,
    takes: text.includes("[[takes]]"),
  };
}

// ---- replies --------------------------------------------------------------------------------

/** "You are Mira, ..." in the first system message, as the backend's prompts begin. */
function characterName(request: ChatRequest): string | null {
  const system = request.messages.find((message) => message.role === "system");
  const match = system ? /\bYou are ([^,.\n(]{1,80})/.exec(messageText(system)) : null;
  return match?.[1]?.trim() ?? null;
}

const FILLER = "and then the evening went on quietly while we talked about everything".split(" ");

function replyWords(request: ChatRequest, userText: string, markers: Markers): string[] {
  const said = userText
    .replace(/\[\[[^\]]*\]\]/g, " ")
    .split(/\s+/)
    .filter((word) => word !== "")
    .slice(0, 8)
    .join(" ");
  const name = characterName(request);
  const base = `${name ? `${name} here.` : "Hello there."} You said: "${said}". Thank you for telling me.`;
  let words = base.split(/\s+/).filter((word) => word !== "");
  if (markers.flagOutput) words.unshift(FLAGGED_OUTPUT_TOKEN);
  if (markers.words !== null) {
    for (let index = 0; words.length < markers.words; index++) {
      words.push(FILLER[index % FILLER.length] ?? "and");
    }
    words = words.slice(0, markers.words);
  }
  if (markers.flagOutputAt !== null)
    words.splice(Math.min(markers.flagOutputAt, words.length), 0, FLAGGED_OUTPUT_TOKEN);
  return words;
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function promptTokens(request: ChatRequest): number {
  return request.messages.reduce(
    (sum, message) => sum + 3 + estimateTokens(message.role) + estimateTokens(messageText(message)),
    3,
  );
}

// ---- responses ------------------------------------------------------------------------------

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, message?: string): void {
  const kinds: Record<number, { type: string; code: string | null; message: string }> = {
    400: { type: "invalid_request_error", code: null, message: "Invalid request." },
    401: {
      type: "invalid_request_error",
      code: "invalid_api_key",
      message: "Incorrect or missing API key.",
    },
    404: { type: "invalid_request_error", code: "unknown_url", message: "Unknown request URL." },
    429: {
      type: "requests",
      code: "rate_limit_exceeded",
      message: "Rate limit reached for requests.",
    },
  };
  const kind = kinds[status] ?? {
    type: status >= 500 ? "server_error" : "invalid_request_error",
    code: null,
    message: "The server had an error while processing your request.",
  };
  sendJson(response, status, {
    error: { message: message ?? kind.message, type: kind.type, param: null, code: kind.code },
  });
}

// A silent MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz): 417 bytes, header then zeros.
function silentFrame(): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64], 0);
  return frame;
}

function syncsafe(size: number): number[] {
  return [(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f];
}

const SPOKEN_TEXT_DESCRIPTION = "fake-openai-input";

/**
 * MP3 bytes: an ID3v2.4 tag whose TXXX frame holds the text that was "spoken" (so the fake
 * transcription can give it back), then silent frames, about one per two words.
 */
export function fakeSpeech(text: string): Buffer {
  const payload = Buffer.concat([
    Buffer.from([0x03]),
    Buffer.from(`${SPOKEN_TEXT_DESCRIPTION}\0`, "utf8"),
    Buffer.from(text, "utf8"),
  ]);
  const frameHeader = Buffer.from([
    ...Buffer.from("TXXX", "latin1"),
    ...syncsafe(payload.length),
    0,
    0,
  ]);
  const tagBody = Buffer.concat([frameHeader, payload]);
  const tagHeader = Buffer.from([
    ...Buffer.from("ID3", "latin1"),
    4,
    0,
    0,
    ...syncsafe(tagBody.length),
  ]);
  const frames = Math.max(2, Math.ceil(text.split(/\s+/).length / 2));
  return Buffer.concat([tagHeader, tagBody, ...Array.from({ length: frames }, silentFrame)]);
}

/** The text fakeSpeech embedded, or null for any other bytes. */
function spokenText(bytes: Buffer): string | null {
  if (bytes.length < 20 || bytes.toString("latin1", 0, 3) !== "ID3") return null;
  if (bytes.toString("latin1", 10, 14) !== "TXXX") return null;
  const frameSize =
    ((bytes[14] ?? 0) << 21) |
    ((bytes[15] ?? 0) << 14) |
    ((bytes[16] ?? 0) << 7) |
    (bytes[17] ?? 0);
  const payload = bytes.subarray(20, 20 + frameSize);
  const prefix = `${SPOKEN_TEXT_DESCRIPTION}\0`;
  const body = payload.subarray(1).toString("utf8");
  return body.startsWith(prefix) ? body.slice(prefix.length) : null;
}

function transcriptOf(bytes: Buffer): string {
  const spoken = spokenText(bytes);
  if (spoken !== null) return spoken;
  // Tests may upload plain text as "audio" and get it back as the transcript.
  if (!bytes.includes(0)) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes).trim();
    } catch {
      // not text: fall through
    }
  }
  return "This is a fake transcription.";
}

interface MultipartPart {
  name: string;
  filename: string | null;
  data: Buffer;
}

function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return [];
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF before the next delimiter.
    const chunk = body.subarray(start + delimiter.length + 2, next - 2);
    const split = chunk.indexOf("\r\n\r\n");
    if (split !== -1) {
      const headers = chunk.subarray(0, split).toString("utf8");
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1] ?? null;
      if (name) parts.push({ name, filename, data: chunk.subarray(split + 4) });
    }
    start = next;
  }
  return parts;
}

const MODERATION_CATEGORIES = [
  "harassment",
  "harassment/threatening",
  "hate",
  "hate/threatening",
  "illicit",
  "illicit/violent",
  "self-harm",
  "self-harm/instructions",
  "self-harm/intent",
  "sexual",
  "sexual/minors",
  "violence",
  "violence/graphic",
] as const;
const IMAGE_CATEGORIES = new Set<string>([
  "self-harm",
  "self-harm/instructions",
  "self-harm/intent",
  "sexual",
  "violence",
  "violence/graphic",
]);

function moderationResult(text: string, hasImage: boolean): Record<string, unknown> {
  const flagged = text.includes(FLAG_INPUT_MARKER) || text.includes(FLAGGED_OUTPUT_TOKEN);
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  const applied: Record<string, string[]> = {};
  for (const category of MODERATION_CATEGORIES) {
    const hit = flagged && category === "violence";
    categories[category] = hit;
    scores[category] = hit ? 0.97 : 0.0001;
    applied[category] =
      hasImage && IMAGE_CATEGORIES.has(category) ? ["text", "image"] : text === "" ? [] : ["text"];
  }
  return {
    flagged,
    categories,
    category_scores: scores,
    category_applied_input_types: applied,
  };
}

// ---- the server -----------------------------------------------------------------------------

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** Latencies for every request of a server (benchmarks); markers override them per request. */
export interface FakeLatency {
  /** A hard rate limit on chat completions: above this many in any second, 429. */
  chatRequestsPerSecond?: number;
  /** Before a moderation answer. */
  moderationMs?: number;
  /** Before the first streamed word. */
  firstTokenMs?: number;
  /** Between streamed words (1000 / tokens per second). */
  tokenIntervalMs?: number;
}

export async function startFakeOpenAI(
  port: number,
  options: { latency?: FakeLatency } = {},
): Promise<FakeOpenAI> {
  const latency = options.latency ?? {};
  const records: RecordedRequest[] = [];
  const failures = new Map<string, number>();
  /** Chat completions seen per exact user text (for [[first-again]]). */
  const repeats = new Map<string, number>();
  const takes = new Map<string, number>();
  const sleepers = new Set<() => void>();
  let stopped = false;
  let sequence = 0;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const shouldFail = (markers: Markers, text: string): number | null => {
    if (!markers.fail) return null;
    const key = `${markers.fail.status}|${text}`;
    const count = failures.get(key) ?? 0;
    if (markers.fail.times !== "always" && count >= markers.fail.times) return null;
    failures.set(key, count + 1);
    return markers.fail.status;
  };

  const accepted: number[] = [];
  const overRateLimit = (): boolean => {
    const limit = latency.chatRequestsPerSecond;
    if (!limit) return false;
    const now = Date.now();
    while (accepted.length > 0 && (accepted[0] ?? 0) <= now - 1000) accepted.shift();
    if (accepted.length >= limit) return true;
    accepted.push(now);
    return false;
  };

  const chatCompletion = async (
    request: ChatRequest,
    response: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> => {
    if (overRateLimit()) {
      record.status = 429;
      return sendError(response, 429);
    }
    const userText = lastUserText(request);
    const markers = parseMarkers(userText);
    const failStatus = shouldFail(markers, userText);
    record.status = failStatus ?? 200;
    if (failStatus !== null) return sendError(response, failStatus);
    if (markers.hang) return; // the socket stays open until the client or stop() ends it

    const id = `chatcmpl-fake${++sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const limit = request.max_completion_tokens ?? request.max_tokens ?? null;
    let words = replyWords(request, userText, markers);
    if (markers.takes) {
      const take = (takes.get(userText) ?? 0) + 1;
      takes.set(userText, take);
      words = ["Take", `${take}.`, ...words];
    }
    const truncated = limit !== null && words.length > limit;
    if (truncated) words = words.slice(0, limit);
    const finishReason = truncated ? "length" : "stop";
    const prompt = promptTokens(request);
    const usage = {
      prompt_tokens: prompt,
      completion_tokens: words.length,
      total_tokens: prompt + words.length,
      prompt_tokens_details: { cached_tokens: Math.min(markers.cached, prompt), audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const common = {
      id,
      created,
      model: request.model,
      service_tier: "default",
      system_fingerprint: "fp_fake_openai",
    };

    if (!request.stream) {
      if (markers.drop) {
        response.socket?.destroy();
        return;
      }
      return sendJson(response, 200, {
        ...common,
        object: "chat.completion",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: words.join(" "),
              refusal: null,
              annotations: [],
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      });
    }

    const includeUsage = request.stream_options?.include_usage === true;
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    const send = (choices: unknown[], extra: Record<string, unknown> = {}): void => {
      const chunk = {
        ...common,
        object: "chat.completion.chunk",
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      };
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    const gone = (): boolean => stopped || response.destroyed || response.writableEnded;

    send([
      {
        index: 0,
        delta: { role: "assistant", content: "", refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]);
    const calls = (repeats.get(userText) ?? 0) + 1;
    repeats.set(userText, calls);
    const firstMs =
      (calls > 1 ? markers.firstAgainMs : 0) || markers.firstMs || (latency.firstTokenMs ?? 0);
    const paceMs = markers.paceMs || (latency.tokenIntervalMs ?? 0);
    for (const [index, word] of words.entries()) {
      if (index === 0 && firstMs > 0) await sleep(firstMs);
      else if (paceMs > 0) await sleep(paceMs);
      if (gone()) return;
      if (markers.drop && index === Math.min(3, Math.max(1, words.length - 1))) {
        // Let the chunks already written reach the client first: destroy() discards
        // anything still buffered, and the client must see a stream that breaks mid-way.
        await sleep(25);
        response.socket?.destroy();
        return;
      }
      const content = index === words.length - 1 ? word : `${word} `;
      send([{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]);
    }
    if (gone()) return;
    send([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]);
    if (includeUsage) send([], { usage });
    response.end("data: [DONE]\n\n");
  };

  const moderation = async (body: unknown, response: ServerResponse): Promise<void> => {
    if (latency.moderationMs) await sleep(latency.moderationMs);
    const parsed = moderationRequestSchema.safeParse(body);
    if (!parsed.success) return sendError(response, 400, "Invalid moderation input.");
    const { input, model } = parsed.data;
    const results: Record<string, unknown>[] = [];
    if (typeof input === "string") {
      results.push(moderationResult(input, false));
    } else {
      // A list of strings gets one result each; a list of parts is one multimodal input.
      const texts = input.filter((item): item is string => typeof item === "string");
      const parts = input.filter((item) => typeof item !== "string");
      for (const text of texts) results.push(moderationResult(text, false));
      if (parts.length > 0) {
        results.push(
          moderationResult(
            parts.map(partText).join("\n"),
            parts.some((part) => part.type === "image_url"),
          ),
        );
      }
    }
    sendJson(response, 200, {
      id: `modr-fake${++sequence}`,
      model: model ?? "omni-moderation-latest",
      results,
    });
  };

  const speech = (body: unknown, response: ServerResponse): void => {
    const parsed = speechRequestSchema.safeParse(body);
    if (!parsed.success) return sendError(response, 400, "Invalid speech request.");
    const audio = fakeSpeech(parsed.data.input);
    response.writeHead(200, { "content-type": "audio/mpeg", "content-length": audio.length });
    response.end(audio);
  };

  const transcription = (parts: MultipartPart[], response: ServerResponse): void => {
    const file = parts.find((part) => part.name === "file" && part.filename !== null);
    const model = parts.find((part) => part.name === "model")?.data.toString("utf8");
    if (!file || !model) return sendError(response, 400, "A file and a model are required.");
    const text = transcriptOf(file.data);
    const format = parts.find((part) => part.name === "response_format")?.data.toString("utf8");
    if (format === "text") {
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end(text);
      return;
    }
    sendJson(response, 200, { text });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://fake-openai.local");
    const method = request.method ?? "GET";
    const raw = await readBody(request);

    if (url.pathname === "/__requests") {
      if (method === "DELETE") {
        records.length = 0;
        failures.clear();
        repeats.clear();
        takes.clear();
        response.writeHead(204).end();
        return;
      }
      const contains = url.searchParams.get("contains");
      sendJson(
        response,
        200,
        contains === null ? records : records.filter((record) => record.rawBody.includes(contains)),
      );
      return;
    }

    const contentType = request.headers["content-type"] ?? "";
    const multipart = contentType.startsWith("multipart/form-data")
      ? parseMultipart(raw, contentType)
      : null;
    let body: unknown = null;
    let rawBody = raw.toString("utf8");
    if (multipart) {
      body = {
        fields: Object.fromEntries(
          multipart
            .filter((part) => part.filename === null)
            .map((part) => [part.name, part.data.toString("utf8")]),
        ),
        files: multipart
          .filter((part) => part.filename !== null)
          .map((part) => ({ name: part.name, filename: part.filename, size: part.data.length })),
      };
      rawBody = JSON.stringify(body);
    } else if (raw.length > 0) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return sendError(response, 400, "We could not parse the JSON body of your request.");
      }
    }
    const record: RecordedRequest = { method, path: url.pathname, body, rawBody, atMs: Date.now() };
    records.push(record);

    if (!/^Bearer \S+/.test(request.headers.authorization ?? "")) return sendError(response, 401);
    response.setHeader("x-request-id", `req_fake_${records.length}`);
    const route = `${method} ${url.pathname}`;
    if (route === "POST /v1/chat/completions") {
      const parsed = chatRequestSchema.safeParse(body);
      if (!parsed.success) return sendError(response, 400, "Invalid chat completion request.");
      return chatCompletion(parsed.data, response, record);
    }
    if (route === "POST /v1/moderations") return moderation(body, response);
    if (route === "POST /v1/audio/speech") return speech(body, response);
    if (route === "POST /v1/audio/transcriptions") return transcription(multipart ?? [], response);
    if (route === "GET /v1/models") {
      return sendJson(response, 200, {
        object: "list",
        data: ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "omni-moderation-latest", "whisper-1"].map(
          (id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "system" }),
        ),
      });
    }
    sendError(response, 404);
  };

  const server = await listenOnLoopback(port, handle, (response) => sendError(response, 500));
  return {
    url: `${server.origin}/v1`,
    origin: server.origin,
    port: server.port,
    stop: async () => {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await server.close();
    },
  };
}

// ---- control client -------------------------------------------------------------------------

const recordedRequestSchema = z.object({
  method: z.string(),
  path: z.string(),
  body: z.unknown(),
  rawBody: z.string(),
  atMs: z.number(),
  status: z.number().optional(),
});

export interface FakeOpenAIControl {
  /** Recorded requests, optionally only those whose body contains `contains`. */
  requests(contains?: string): Promise<RecordedRequest[]>;
  /** Forgets recorded requests and fail counters. */
  reset(): Promise<void>;
}

/** `baseUrl` may be the origin or the /v1 base URL. */
export function fakeOpenAIControl(baseUrl: string): FakeOpenAIControl {
  const origin = baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  return {
    async requests(contains) {
      const query = contains === undefined ? "" : `?contains=${encodeURIComponent(contains)}`;
      const response = await fetch(`${origin}/__requests${query}`);
      if (!response.ok) throw new Error(`fake OpenAI control: ${response.status}`);
      const list = z.array(recordedRequestSchema).parse(await response.json());
      return list.map((record) => ({ ...record, body: record.body ?? null }));
    },
    async reset() {
      const response = await fetch(`${origin}/__requests`, { method: "DELETE" });
      if (response.status !== 204) throw new Error(`fake OpenAI control: ${response.status}`);
    },
  };
}
