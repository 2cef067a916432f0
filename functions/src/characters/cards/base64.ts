// Base64 of UTF-8 text, as card PNG chunks carry it. Node's decoder skips characters it does
// not know, so a damaged chunk would turn into plausible garbage; this one refuses instead.
// Pure: no Firebase imports.
import { Buffer } from "node:buffer";
import { CardError } from "./errors";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function encodeBase64Text(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** `label` names where the text came from, for the reason. */
export function decodeBase64Text(encoded: string, label: string): string {
  // Line breaks and spaces are tolerated: some tools wrap long base64.
  const compact = encoded.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw new CardError(`${label} is not valid base64`);
  }
  const bytes = Buffer.from(compact, "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CardError(`${label} does not hold UTF-8 text`);
  }
}
