import { describe, expect, it } from "vitest";
import { MAX_RETURN_URL_LENGTH } from "../../../functions/src/contract/payments";
import {
  checkReturnUrl,
  normalizeOrigins,
  stripeEndpoint,
} from "../../../functions/src/payments/urls";

const ALLOWED = [
  "http://localhost:5173",
  "https://app.example.com",
  " https://shop.example.com:8443/ ",
  "not a url",
  "ftp://files.example.com",
];

describe("normalizeOrigins", () => {
  it("keeps http(s) origins only, trimmed and without paths", () => {
    expect(normalizeOrigins(ALLOWED)).toEqual([
      "http://localhost:5173",
      "https://app.example.com",
      "https://shop.example.com:8443",
    ]);
  });
});

describe("checkReturnUrl", () => {
  const success = (url: string) => checkReturnUrl(url, "success", ALLOWED);

  it("accepts an allowed origin, handing the URL back unchanged", () => {
    for (const url of [
      "http://localhost:5173/premium/done?session_id={CHECKOUT_SESSION_ID}",
      "https://app.example.com/done/{CHECKOUT_SESSION_ID}",
      "https://shop.example.com:8443/x?a=1&s={CHECKOUT_SESSION_ID}#top",
    ]) {
      expect(success(url)).toEqual({ ok: true, url });
    }
    expect(checkReturnUrl("https://app.example.com/cancelled", "cancel", ALLOWED)).toEqual({
      ok: true,
      url: "https://app.example.com/cancelled",
    });
    expect(checkReturnUrl("https://app.example.com/account", "return", ALLOWED).ok).toBe(true);
  });

  it("requires the session id placeholder on success URLs only", () => {
    expect(success("https://app.example.com/done")).toEqual({
      ok: false,
      reason: "must contain {CHECKOUT_SESSION_ID}",
    });
    expect(success("https://app.example.com/done?id=%7BCHECKOUT_SESSION_ID%7D").ok).toBe(false);
    expect(checkReturnUrl("https://app.example.com/done", "cancel", ALLOWED).ok).toBe(true);
  });

  it("refuses other origins, including look-alikes", () => {
    const refused = [
      "https://evil.example.net/?s={CHECKOUT_SESSION_ID}",
      "http://app.example.com/?s={CHECKOUT_SESSION_ID}",
      "https://app.example.com:444/?s={CHECKOUT_SESSION_ID}",
      "https://app.example.com.evil.net/?s={CHECKOUT_SESSION_ID}",
      "http://localhost:3000/?s={CHECKOUT_SESSION_ID}",
      "https://shop.example.com/?s={CHECKOUT_SESSION_ID}",
    ];
    for (const url of refused) {
      const result = success(url);
      expect(result.ok, url).toBe(false);
      expect(result.ok ? "" : result.reason).toMatch(/^origin .* is not allowed$/);
    }
  });

  it("refuses non-URLs, other schemes, credentials and overlong URLs", () => {
    expect(success("")).toEqual({ ok: false, reason: "is empty" });
    expect(success("/relative?s={CHECKOUT_SESSION_ID}")).toEqual({
      ok: false,
      reason: "is not an absolute URL",
    });
    expect(success("javascript:alert(1)//{CHECKOUT_SESSION_ID}")).toEqual({
      ok: false,
      reason: "must be an http or https URL",
    });
    expect(success("https://user:pw@app.example.com/?s={CHECKOUT_SESSION_ID}")).toEqual({
      ok: false,
      reason: "must not contain credentials",
    });
    const long = `https://app.example.com/?s={CHECKOUT_SESSION_ID}&pad=${"x".repeat(MAX_RETURN_URL_LENGTH)}`;
    expect(success(long)).toEqual({
      ok: false,
      reason: `is longer than ${MAX_RETURN_URL_LENGTH} characters`,
    });
  });

  it("refuses everything when the allow-list is empty", () => {
    expect(checkReturnUrl("https://app.example.com/x", "cancel", []).ok).toBe(false);
  });
});

describe("stripeEndpoint", () => {
  it("splits STRIPE_API_URL into the SDK's protocol, host and port", () => {
    expect(stripeEndpoint("https://api.stripe.com")).toEqual({
      protocol: "https",
      host: "api.stripe.com",
      port: 443,
    });
    expect(stripeEndpoint("http://127.0.0.1:12111")).toEqual({
      protocol: "http",
      host: "127.0.0.1",
      port: 12111,
    });
    expect(stripeEndpoint(" http://localhost/ ")).toEqual({
      protocol: "http",
      host: "localhost",
      port: 80,
    });
    expect(stripeEndpoint("http://[::1]:9000")).toEqual({
      protocol: "http",
      host: "::1",
      port: 9000,
    });
  });

  it("refuses what the SDK could not use as an origin", () => {
    for (const url of [
      "",
      "api.stripe.com",
      "ftp://api.stripe.com",
      "https://api.stripe.com/v1",
      "https://k@api.stripe.com",
      "https://api.stripe.com?x=1",
    ]) {
      expect(stripeEndpoint(url), url).toBeNull();
    }
  });
});
