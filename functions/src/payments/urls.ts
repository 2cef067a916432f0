// Where Stripe may send the user back to. Pure: no Firebase imports.
//
// Checkout success/cancel URLs and portal return URLs must be http(s) URLs on one of the
// origins in CHECKOUT_RETURN_ORIGINS (scheme, host and port all match), without user
// credentials, at most MAX_RETURN_URL_LENGTH characters. A success URL must also carry the
// literal `{CHECKOUT_SESSION_ID}`, which Stripe replaces with the session id so the page can
// call verifyCheckoutSession. The URL is handed to Stripe exactly as given (re-serialising it
// would percent-encode the braces in a path).
import { MAX_RETURN_URL_LENGTH } from "../contract/payments";

export const SESSION_ID_PLACEHOLDER = "{CHECKOUT_SESSION_ID}";

export type ReturnUrlKind = "success" | "cancel" | "return";

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The allow-list as origins; entries that are not http(s) URLs are dropped. */
export function normalizeOrigins(origins: readonly string[]): string[] {
  const out = new Set<string>();
  for (const entry of origins) {
    const parsed = parseUrl(entry.trim());
    if (parsed && (parsed.protocol === "http:" || parsed.protocol === "https:"))
      out.add(parsed.origin);
  }
  return [...out];
}

export function checkReturnUrl(
  raw: string,
  kind: ReturnUrlKind,
  allowedOrigins: readonly string[],
): UrlCheck {
  if (raw.length === 0) return { ok: false, reason: "is empty" };
  if (raw.length > MAX_RETURN_URL_LENGTH) {
    return { ok: false, reason: `is longer than ${MAX_RETURN_URL_LENGTH} characters` };
  }
  const url = parseUrl(raw);
  if (!url) return { ok: false, reason: "is not an absolute URL" };
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: "must be an http or https URL" };
  }
  if (url.username !== "" || url.password !== "")
    return { ok: false, reason: "must not contain credentials" };
  if (!normalizeOrigins(allowedOrigins).includes(url.origin)) {
    return { ok: false, reason: `origin ${url.origin} is not allowed` };
  }
  if (kind === "success" && !raw.includes(SESSION_ID_PLACEHOLDER)) {
    return { ok: false, reason: `must contain ${SESSION_ID_PLACEHOLDER}` };
  }
  return { ok: true, url: raw };
}

export interface StripeEndpoint {
  protocol: "http" | "https";
  host: string;
  port: number;
}

/**
 * STRIPE_API_URL as the SDK's host/port/protocol options (the SDK takes them separately).
 * Null when it is not an http(s) URL without a path, query or credentials.
 */
export function stripeEndpoint(apiUrl: string): StripeEndpoint | null {
  const url = parseUrl(apiUrl.trim());
  if (!url) return null;
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "")
    return null;
  if (url.pathname !== "/" && url.pathname !== "") return null;
  const protocol = url.protocol === "https:" ? "https" : "http";
  return {
    protocol,
    // An IPv6 literal keeps its brackets in URL.hostname; the SDK wants it bare.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : protocol === "https" ? 443 : 80,
  };
}
