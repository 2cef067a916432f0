// What this backend knows about OpenAI chat models: limits, vision support and prices.
//
// Prices are USD per 1M tokens as listed on OpenAI's model pages and pricing page
// (developers.openai.com/api/docs/models/<id> and /api/docs/pricing), checked 2026-11-22.
// Re-check them there before relying on the numbers for billing; OpenAI changes prices.
// `cachedInput: null` means the model has no prompt-caching discount, so cached tokens are
// billed at the normal input rate.
//
// Image token costs: images are sent with `detail: "low"`. Tile-metered models (gpt-4o,
// gpt-4.1, gpt-4-turbo) bill a low-detail image at a fixed 85 tokens; gpt-4o-mini bills it at
// a fixed 2,833. gpt-4.1-mini and gpt-4.1-nano are metered by 32px patches whatever the
// detail, capped at 1,536 patches times a model multiplier (1.62 and 2.46), so the table
// holds that cap (2,489 and 3,779) to keep the prompt budget safe for any image size.
import type { TokenUsage } from "../../contract/chat";

export interface ModelPrice {
  input: number;
  cachedInput: number | null;
  output: number;
}

export interface ModelInfo {
  id: string;
  contextWindow: number;
  maxOutputTokens: number;
  vision: boolean;
  /** Tokens one image costs in a prompt (see the note above); 0 for text-only models. */
  imageTokens: number;
  price: ModelPrice;
}

const MODELS: readonly ModelInfo[] = [
  {
    id: "gpt-4o",
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    vision: true,
    imageTokens: 85,
    price: { input: 2.5, cachedInput: 1.25, output: 10 },
  },
  {
    id: "gpt-4o-mini",
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    vision: true,
    imageTokens: 2_833,
    price: { input: 0.15, cachedInput: 0.075, output: 0.6 },
  },
  {
    id: "gpt-4.1",
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    vision: true,
    imageTokens: 85,
    price: { input: 2, cachedInput: 0.5, output: 8 },
  },
  {
    id: "gpt-4.1-mini",
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    vision: true,
    imageTokens: 2_489,
    price: { input: 0.4, cachedInput: 0.1, output: 1.6 },
  },
  {
    id: "gpt-4.1-nano",
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    vision: true,
    imageTokens: 3_779,
    price: { input: 0.1, cachedInput: 0.025, output: 0.4 },
  },
  {
    id: "gpt-4-turbo",
    contextWindow: 128_000,
    maxOutputTokens: 4_096,
    vision: true,
    imageTokens: 85,
    price: { input: 10, cachedInput: null, output: 30 },
  },
  {
    id: "gpt-4",
    contextWindow: 8_192,
    maxOutputTokens: 8_192,
    vision: false,
    imageTokens: 0,
    price: { input: 30, cachedInput: null, output: 60 },
  },
  {
    id: "gpt-3.5-turbo",
    contextWindow: 16_385,
    maxOutputTokens: 4_096,
    vision: false,
    imageTokens: 0,
    price: { input: 0.5, cachedInput: null, output: 1.5 },
  },
];

/** Lower-cased, without a gateway prefix such as `openai/`. */
export function normalizeModelName(model: string): string {
  const trimmed = model.trim().toLowerCase();
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

// Dated snapshots (`gpt-4o-2024-08-06`, `gpt-4-0613`) share their family's limits and
// prices. Matching only these suffixes keeps `gpt-4` from swallowing `gpt-4o` or `gpt-4.1`.
const SNAPSHOT_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{4})$/;

export function lookupModel(model: string): ModelInfo | undefined {
  const name = normalizeModelName(model);
  return MODELS.find(
    (info) =>
      name === info.id ||
      (name.startsWith(info.id) && SNAPSHOT_SUFFIX.test(name.slice(info.id.length))),
  );
}

export function knownModels(): readonly ModelInfo[] {
  return MODELS;
}

/** Unknown models are treated as text-only: sending an image to one could fail the call. */
export function modelSupportsVision(model: string): boolean {
  return lookupModel(model)?.vision ?? false;
}

/** Tokens one image costs in a prompt for this model (0 when it cannot see images). */
export function imageTokenCost(model: string): number {
  const info = lookupModel(model);
  return info?.vision ? info.imageTokens : 0;
}

export interface Cost {
  usd: number;
  /** False when the model is not in the table: usd is then 0, not a guess. */
  priced: boolean;
}

const PER_MILLION = 1_000_000;

export function costOf(model: string, usage: TokenUsage): Cost {
  const info = lookupModel(model);
  if (!info) return { usd: 0, priced: false };
  const prompt = Math.max(0, usage.promptTokens);
  const cached = Math.min(prompt, Math.max(0, usage.cachedTokens));
  const completion = Math.max(0, usage.completionTokens);
  const { input, cachedInput, output } = info.price;
  const usd =
    ((prompt - cached) * input + cached * (cachedInput ?? input) + completion * output) /
    PER_MILLION;
  return { usd, priced: true };
}
