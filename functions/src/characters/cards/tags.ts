// Card tags -> our tags. Case and spacing are tidied ("Sci Fi " -> "sci fi"); a tag that is
// still not valid refuses the card rather than disappearing. Pure: zod only.
import { characterProfileSchema } from "../../contract/characters";
import { fieldError } from "./errors";
import { describeIssue } from "./issues";

const tagSchema = characterProfileSchema.shape.tags.unwrap().element;

export function normaliseTag(raw: string): string {
  return raw.trim().replace(/\s+/g, " ").toLowerCase();
}

/** Normalised tags in their first order, each once. */
export function tagsFromCard(raw: readonly string[]): string[] {
  const tags: string[] = [];
  raw.forEach((original, index) => {
    const tag = normaliseTag(original);
    const result = tagSchema.safeParse(tag, { reportInput: true });
    const issue = result.error?.issues[0];
    if (issue !== undefined) {
      throw fieldError(`tags[${index}]`, `"${original.slice(0, 40)}" ${describeIssue(issue)}`);
    }
    if (!tags.includes(tag)) tags.push(tag);
  });
  return tags;
}
