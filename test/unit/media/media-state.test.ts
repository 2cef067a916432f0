import { describe, expect, it } from "vitest";
import {
  CACHE_PRIVATE,
  CACHE_PUBLIC_IMMUTABLE,
  MAX_PROCESS_ATTEMPTS,
  cacheControlFor,
  decideMediaClaim,
  gaveUpReason,
  mediaIdFor,
  rateLimitedReason,
} from "../../../functions/src/media/media-state";

describe("mediaIdFor", () => {
  const id = mediaIdFor("bucket-a", "user-content/u1/cat.jpg", "1700000000000001");

  it("is a stable 40-character hex id", () => {
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(mediaIdFor("bucket-a", "user-content/u1/cat.jpg", "1700000000000001")).toBe(id);
  });

  it("differs per generation, path and bucket", () => {
    expect(mediaIdFor("bucket-a", "user-content/u1/cat.jpg", "1700000000000002")).not.toBe(id);
    expect(mediaIdFor("bucket-a", "user-content/u1/cat.png", "1700000000000001")).not.toBe(id);
    expect(mediaIdFor("bucket-b", "user-content/u1/cat.jpg", "1700000000000001")).not.toBe(id);
  });

  it("cannot be forged by moving text between the parts", () => {
    expect(mediaIdFor("a", "b\nc", "1")).not.toBe(mediaIdFor("a\nb", "c", "1"));
  });
});

describe("decideMediaClaim", () => {
  const now = 1_000_000;

  it("starts a record that does not exist", () => {
    expect(decideMediaClaim(null, now)).toEqual({ action: "start" });
  });

  it.each(["ready", "failed"] as const)("skips a record that is already %s", (status) => {
    expect(decideMediaClaim({ status, attempts: 1, leaseExpiresAtMs: null }, now)).toMatchObject({
      action: "skip",
    });
  });

  it("leaves a live lease to its holder and says when it ends", () => {
    expect(
      decideMediaClaim({ status: "processing", attempts: 1, leaseExpiresAtMs: now + 5000 }, now),
    ).toEqual({
      action: "busy",
      retryAfterMs: 5000,
    });
  });

  it("takes over an expired or released lease, counting the attempt", () => {
    expect(
      decideMediaClaim({ status: "processing", attempts: 1, leaseExpiresAtMs: now }, now),
    ).toEqual({
      action: "retry",
      attempt: 2,
    });
    expect(
      decideMediaClaim({ status: "processing", attempts: 2, leaseExpiresAtMs: null }, now),
    ).toEqual({
      action: "retry",
      attempt: 3,
    });
  });

  it(`gives up after ${MAX_PROCESS_ATTEMPTS} attempts`, () => {
    expect(
      decideMediaClaim(
        { status: "processing", attempts: MAX_PROCESS_ATTEMPTS, leaseExpiresAtMs: null },
        now,
      ),
    ).toEqual({ action: "give-up", attempts: MAX_PROCESS_ATTEMPTS });
  });
});

describe("cacheControlFor", () => {
  it("lets CDNs keep avatars and free gallery images for a year", () => {
    expect(cacheControlFor({ type: "character", characterId: "c", scope: "avatar" }, null)).toBe(
      CACHE_PUBLIC_IMMUTABLE,
    );
    expect(cacheControlFor({ type: "character", characterId: "c", scope: "gallery" }, false)).toBe(
      "public, max-age=31536000, immutable",
    );
  });

  it("keeps premium, unknown gallery items and users' uploads private", () => {
    expect(cacheControlFor({ type: "character", characterId: "c", scope: "gallery" }, true)).toBe(
      CACHE_PRIVATE,
    );
    expect(cacheControlFor({ type: "character", characterId: "c", scope: "gallery" }, null)).toBe(
      CACHE_PRIVATE,
    );
    expect(cacheControlFor({ type: "user", uid: "u", avatar: false }, false)).toBe(CACHE_PRIVATE);
    expect(CACHE_PRIVATE).toMatch(/^private, max-age=\d+$/);
  });
});

describe("reasons", () => {
  it("rounds the wait up to whole minutes, at least one", () => {
    expect(rateLimitedReason(20, 1)).toContain("Try again in 1 min.");
    expect(rateLimitedReason(20, 60_001)).toContain("Try again in 2 min.");
    expect(rateLimitedReason(100, 59 * 60_000)).toContain("(100 an hour)");
  });

  it("says how often processing failed", () => {
    expect(gaveUpReason(3)).toBe("Processing failed 3 times; it will not be tried again.");
  });
});
