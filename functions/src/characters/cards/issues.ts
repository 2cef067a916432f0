// Turns a zod validation failure into a CardError whose reason names the card field and says
// what is wrong with it in plain words. Pure: no Firebase imports.
import type { z } from "zod";
import { CardError, fieldError } from "./errors";

type Issue = z.core.$ZodIssue;
export type IssuePath = readonly PropertyKey[];

/** `["character_book", "entries", 3, "content"]` -> `character_book.entries[3].content`. */
export function formatPath(path: IssuePath): string {
  return path
    .map((part, i) =>
      typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

function limit(origin: string, bound: number | bigint): string {
  if (origin === "string") return `${bound} characters`;
  if (origin === "array" || origin === "set") return `${bound} items`;
  return String(bound);
}

export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      // Callers parse with `reportInput: true`, so a missing field has no input.
      return issue.input === undefined
        ? "is missing"
        : `should be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case "too_big":
      return issue.origin === "string" || issue.origin === "array"
        ? `is too long (at most ${limit(issue.origin, issue.maximum)})`
        : `is too large (at most ${limit(issue.origin, issue.maximum)})`;
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1
        ? "must not be empty"
        : `is too small (at least ${limit(issue.origin, issue.minimum)})`;
    case "unrecognized_keys":
      return `has fields this app does not know: ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}

/**
 * The first issue as a CardError. `rename` maps a path in the validated object to the card
 * field it came from; without it the path is used as it is.
 */
export function cardErrorFrom(
  error: z.ZodError,
  rename: (path: IssuePath) => string = formatPath,
): CardError {
  const issue = error.issues[0];
  if (issue === undefined) return new CardError("the card is not valid");
  const field = rename(issue.path);
  return field === ""
    ? new CardError(`the card ${describeIssue(issue)}`)
    : fieldError(field, describeIssue(issue));
}
