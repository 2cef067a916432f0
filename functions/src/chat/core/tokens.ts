// Token counting with the real BPE tokenizers, so prompt budgets match what OpenAI bills.
//
// Chat formatting overhead follows OpenAI's cookbook ("How to count tokens with tiktoken"):
// every message costs 3 tokens of framing plus its role and content (plus 1 for a `name`,
// which this backend never sends), and every reply is primed with 3 more tokens.
import type * as Encoding from "gpt-tokenizer/encoding/o200k_base";
import type { ChatMessage } from "./chat-message";
import { imageTokenCost, normalizeModelName } from "./models";

export const TOKENS_PER_MESSAGE = 3;
export const REPLY_PRIMING_TOKENS = 3;

export type EncodingName = "o200k_base" | "cl100k_base";

// gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and the o-series use o200k_base; gpt-4, gpt-3.5 and any
// model we do not recognise fall back to cl100k_base.
const O200K_FAMILIES = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4)\b/;

export function encodingForModel(model: string): EncodingName {
  return O200K_FAMILIES.test(normalizeModelName(model)) ? "o200k_base" : "cl100k_base";
}

// Each encoding is a few megabytes of ranks that take a few hundred milliseconds to load, so
// an encoding is loaded when a model first needs it, not with the module: a function that never
// counts tokens loads neither, and one that serves gpt-4o models never loads cl100k_base.
// require() because the counting functions are synchronous.
const loaded = new Map<EncodingName, typeof Encoding>();
function loadEncoding(name: EncodingName): typeof Encoding {
  let encoding = loaded.get(name);
  if (!encoding) {
    encoding =
      name === "o200k_base"
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
          (require("gpt-tokenizer/encoding/o200k_base") as typeof Encoding)
        : // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
          (require("gpt-tokenizer/encoding/cl100k_base") as typeof Encoding);
    loaded.set(name, encoding);
  }
  return encoding;
}

function tokenizer(model: string): typeof Encoding {
  return loadEncoding(encodingForModel(model));
}

// User text may contain strings such as "<|endoftext|>"; the API reads them as plain text,
// and the tokenizer would throw on them by default.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function countTextTokens(text: string, model: string): number {
  if (text === "") return 0;
  return tokenizer(model).countTokens(text, PLAIN_TEXT);
}

/** Tokens one message adds to a prompt, framing included. */
export function countOneMessage(message: ChatMessage, model: string): number {
  let total = TOKENS_PER_MESSAGE + countTextTokens(message.role, model);
  if (typeof message.content === "string") {
    return total + countTextTokens(message.content, model);
  }
  for (const part of message.content) {
    total += part.type === "text" ? countTextTokens(part.text, model) : imageTokenCost(model);
  }
  return total;
}

/** Prompt tokens of a whole request: the messages plus the reply priming. */
export function countMessageTokens(messages: readonly ChatMessage[], model: string): number {
  return messages.reduce(
    (sum, message) => sum + countOneMessage(message, model),
    REPLY_PRIMING_TOKENS,
  );
}

/** The last `maxTokens` tokens of `text` (its newest part), decoded back to text. */
export function keepLastTokens(text: string, maxTokens: number, model: string): string {
  if (maxTokens <= 0) return "";
  const encoding = tokenizer(model);
  const tokens = encoding.encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  return encoding.decode(tokens.slice(tokens.length - maxTokens));
}

/** The first `maxTokens` tokens of `text`, decoded back to text. */
export function keepFirstTokens(text: string, maxTokens: number, model: string): string {
  if (maxTokens <= 0) return "";
  const encoding = tokenizer(model);
  const tokens = encoding.encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  return encoding.decode(tokens.slice(0, maxTokens));
}
