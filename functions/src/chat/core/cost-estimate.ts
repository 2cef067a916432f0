// A cost estimate before a call is made (for example to show a user what a message costs).
// Kept apart from models.ts because it needs the tokenizer, and tokens.ts already reads the
// model table for image costs.
import { costOf } from "./models";
import { countMessageTokens } from "./tokens";

export interface CostEstimate {
  promptTokens: number;
  completionTokens: number;
  usd: number;
  priced: boolean;
}

/** Cost of sending `text` as one user message and receiving `expectedReplyTokens` back. */
export function estimateCost(
  text: string,
  model: string,
  expectedReplyTokens: number,
): CostEstimate {
  const promptTokens = countMessageTokens([{ role: "user", content: text }], model);
  const completionTokens = Math.max(0, expectedReplyTokens);
  const { usd, priced } = costOf(model, { promptTokens, cachedTokens: 0, completionTokens });
  return { promptTokens, completionTokens, usd, priced };
}
