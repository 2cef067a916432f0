import { describe, expect, it } from "vitest";
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  backoffDelayMs,
  classifyError,
  isRetryable,
  MAX_ATTEMPTS,
  ProviderError,
  userFacingFailure,
  withRetries,
  type ErrorKind,
} from "../../../functions/src/chat/core/retry";
import { seededRandom } from "./character-fixture";

const KINDS: ErrorKind[] = [
  "timeout",
  "connection",
  "rate_limited",
  "quota_exceeded",
  "server_error",
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "aborted",
  "unknown",
];

describe("isRetryable", () => {
  it.each([429, 500, 502, 503, 504, 408])("retries status %i", (status) => {
    expect(isRetryable(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422])("does not retry status %i", (status) => {
    expect(isRetryable(status)).toBe(false);
  });

  it("retries transient kinds only", () => {
    expect(KINDS.filter((kind) => isRetryable(kind))).toEqual([
      "timeout",
      "connection",
      "rate_limited",
      "server_error",
    ]);
  });

  it("has the agreed limit", () => {
    expect(MAX_ATTEMPTS).toBe(3);
  });
});

describe("classifyError", () => {
  it("reads statuses and codes", () => {
    expect(classifyError({ status: 429 })).toBe("rate_limited");
    expect(classifyError({ status: 503 })).toBe("server_error");
    expect(classifyError({ status: 401 })).toBe("unauthorized");
    expect(classifyError({ status: 400 })).toBe("bad_request");
    // OpenAI answers 429 when the account is out of credit; waiting will not help.
    expect(classifyError({ status: 429, code: "insufficient_quota" })).toBe("quota_exceeded");
    expect(isRetryable(classifyError({ status: 429, code: "insufficient_quota" }))).toBe(false);
  });

  it("recognises network failures", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(classifyError(reset)).toBe("connection");
    expect(classifyError(new TypeError("terminated", { cause: { code: "UND_ERR_SOCKET" } }))).toBe(
      "connection",
    );
    expect(classifyError(Object.assign(new Error("slow"), { code: "ETIMEDOUT" }))).toBe("timeout");
    const abort = new Error("aborted");
    abort.name = "AbortError";
    expect(classifyError(abort)).toBe("aborted");
  });

  it("calls anything else unknown", () => {
    expect(classifyError("boom")).toBe("unknown");
    expect(classifyError(null)).toBe("unknown");
    expect(classifyError(new Error("boom"))).toBe("unknown");
  });
});

describe("backoffDelayMs", () => {
  it("stays between 0 and the exponential ceiling, capped", () => {
    const random = seededRandom(3);
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      for (let draw = 0; draw < 200; draw++) {
        const delay = backoffDelayMs(attempt, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it("spreads over the whole range (full jitter)", () => {
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(3, () => 0.5)).toBe(BACKOFF_BASE_MS * 2);
    expect(backoffDelayMs(3, () => 0.999999)).toBeGreaterThan(BACKOFF_BASE_MS * 4 - 2);
  });

  it("grows with the attempt until the cap", () => {
    const top = (attempt: number) => backoffDelayMs(attempt, () => 0.999999);
    expect(top(2)).toBeGreaterThan(top(1));
    expect(top(4)).toBeGreaterThan(top(3));
    expect(top(30)).toBeLessThanOrEqual(BACKOFF_CAP_MS);
    expect(top(30)).toBeGreaterThan(BACKOFF_CAP_MS - 2);
  });

  it("tolerates odd random sources", () => {
    expect(backoffDelayMs(2, () => 5)).toBeLessThanOrEqual(BACKOFF_BASE_MS * 2);
    expect(backoffDelayMs(2, () => -1)).toBe(0);
  });
});

describe("userFacingFailure", () => {
  it("gives every kind a friendly message an app can show", () => {
    for (const kind of KINDS) {
      const failure = userFacingFailure(kind);
      expect(failure.code).toMatch(/^[a-z_]+$/);
      expect(failure.message.length).toBeGreaterThan(10);
      expect(failure.message).toMatch(/[.!]$/);
      // No provider names, status codes or jargon.
      expect(failure.message).not.toMatch(/openai|api|\b\d{3}\b|error|exception|token/i);
    }
  });

  it("tells the user to try again when trying again can help", () => {
    for (const kind of KINDS.filter((each) => isRetryable(each))) {
      expect(userFacingFailure(kind).message).toMatch(/try again/i);
    }
  });
});

describe("withRetries", () => {
  const instant = () => 0;
  const status = (code: number) => Object.assign(new Error(`status ${code}`), { status: code });

  it("retries transient failures and returns the first success", async () => {
    const attempts: number[] = [];
    const retried: ErrorKind[] = [];
    const result = await withRetries(
      (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) return Promise.reject(status(attempt === 1 ? 429 : 503));
        return Promise.resolve("ok");
      },
      { random: instant, onRetry: (_attempt, kind) => retried.push(kind) },
    );
    expect(result).toBe("ok");
    expect(attempts).toEqual([1, 2, 3]);
    expect(retried).toEqual(["rate_limited", "server_error"]);
  });

  it("gives up after MAX_ATTEMPTS with a classified ProviderError", async () => {
    let calls = 0;
    const failure = await withRetries(
      () => {
        calls++;
        return Promise.reject(status(500));
      },
      { random: instant },
    ).catch((error: unknown) => error);
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ kind: "server_error" });
  });

  it("does not retry what waiting cannot fix", async () => {
    let calls = 0;
    const failure = await withRetries(
      () => {
        calls++;
        return Promise.reject(status(400));
      },
      { random: instant },
    ).catch((error: unknown) => error);
    expect(calls).toBe(1);
    expect(failure).toMatchObject({ kind: "bad_request" });
  });

  it("stops waiting and starts no further try once the signal aborts", async () => {
    const controller = new AbortController();
    let calls = 0;
    const started = Date.now();
    const pending = withRetries(
      () => {
        calls++;
        return Promise.reject(status(503));
      },
      // A long backoff: the abort must cut it short.
      { signal: controller.signal, random: () => 0.99 },
    ).catch((error: unknown) => error);
    setTimeout(() => controller.abort(), 20);
    const failure = await pending;
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(400);
    expect(failure).toMatchObject({ kind: "server_error" });
  });
});
