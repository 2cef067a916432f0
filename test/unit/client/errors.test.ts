// The client library's one union of error codes, and toAppError, which turns what the SDKs
// throw and what a reply document carries into it.
import { FirebaseError } from "firebase/app";
import { Timestamp } from "firebase/firestore";
import { describe, expect, it } from "vitest";
import {
  AppError,
  APP_ERROR_CODES,
  appErrorMessage,
  CALLABLE_ERRORS,
  CLIENT_ERRORS,
  isAppErrorCode,
  REPLY_ERRORS,
  toAppError,
} from "../../../client/src/index";

/** A callable's error as the functions SDK throws it: a FirebaseError with `details`. */
function callableError(status: string, message: string, details: Record<string, unknown>) {
  return Object.assign(new FirebaseError(`functions/${status}`, message), { details });
}

describe("the AppErrorCode union", () => {
  it("holds every reply code, every callable reason and the client's own codes, once each", () => {
    const expected = new Set([
      ...Object.keys(REPLY_ERRORS),
      ...Object.keys(CALLABLE_ERRORS),
      ...Object.keys(CLIENT_ERRORS),
    ]);
    expect(new Set(APP_ERROR_CODES)).toEqual(expected);
    expect(APP_ERROR_CODES).toHaveLength(expected.size);
    expect(isAppErrorCode("no_such_code")).toBe(false);
  });

  it("has a message an app can show for every code", () => {
    for (const code of APP_ERROR_CODES)
      expect(appErrorMessage(code).length, code).toBeGreaterThan(5);
    // Codes both a reply and a callable use keep each one's own message.
    expect(appErrorMessage("rate_limited", "reply")).toBe(REPLY_ERRORS.rate_limited.message);
    expect(appErrorMessage("rate_limited", "callable")).toBe(CALLABLE_ERRORS.rate_limited.message);
  });
});

describe("toAppError", () => {
  it("reads a callable's reason, the server's message, the field and the retry time", () => {
    const invalid = toAppError(
      callableError("invalid-argument", "username: must be at least 3 characters", {
        reason: "invalid_input",
      }),
    );
    expect(invalid).toBeInstanceOf(AppError);
    expect(invalid).toMatchObject({
      code: "invalid_input",
      source: "callable",
      status: "invalid-argument",
      field: "username",
      message: "username: must be at least 3 characters",
    });
    const retryAt = "2030-01-01T00:00:30.000Z";
    const limited = toAppError(
      callableError("resource-exhausted", "Too many requests; try again in 30 s.", {
        reason: "rate_limited",
        retryAfterSeconds: 30,
        retryAt,
      }),
    );
    expect(limited.code).toBe("rate_limited");
    expect(limited.retryAt?.toISOString()).toBe(retryAt);
    expect(limited.details.retryAfterSeconds).toBe(30);
  });

  it("turns a reply's error into an AppError with its upgrade offer or retry time", () => {
    const upgrade = {
      priceCents: 700,
      currency: "usd",
      days: 15,
      callable: "createCheckoutSession",
    };
    const limit = toAppError({
      code: "limit_reached",
      message: "You've used your 30 free…",
      upgrade,
    });
    expect(limit).toMatchObject({ code: "limit_reached", source: "reply", upgrade });
    const at = Timestamp.fromMillis(Date.UTC(2030, 0, 1));
    const rate = toAppError({ code: "rate_limited", message: "Slow down", retryAt: at });
    expect(rate.retryAt?.getTime()).toBe(at.toMillis());
  });

  it("names crashes, network failures, rules refusals and sign-in failures", () => {
    expect(toAppError(new FirebaseError("functions/internal", "INTERNAL")).code).toBe("unknown");
    expect(toAppError(new FirebaseError("functions/unavailable", "x")).code).toBe("unavailable");
    expect(toAppError(new FirebaseError("permission-denied", "Missing permissions")).code).toBe(
      "permission_denied",
    );
    expect(toAppError(new FirebaseError("auth/invalid-credential", "x")).code).toBe(
      "sign_in_failed",
    );
    expect(toAppError(new FirebaseError("auth/email-already-in-use", "x")).code).toBe(
      "email_in_use",
    );
    const odd = new Error("something else");
    expect(toAppError(odd)).toMatchObject({ code: "unknown", cause: odd });
  });

  it("leaves an AppError as it is", () => {
    const error = new AppError({ code: "timeout", source: "client" });
    expect(toAppError(error)).toBe(error);
  });
});
