// The media record's life: its id, who may work on it, when to give up, and the Cache-Control
// of what the trigger writes. Pure: no Firebase imports.
//
// One record per object generation, media/{mediaIdFor(bucket, path, generation)}. The trigger
// claims it in a transaction with a lease; a redelivered event finds it claimed or finished
// and does nothing. A crashed attempt leaves an expired lease that the next delivery takes
// over, up to MAX_PROCESS_ATTEMPTS; then the record fails for good.
import { createHash } from "node:crypto";
import type { MediaStatus } from "../contract/media";
import type { UploadOwner } from "./upload-filter";
import type { VariantErrorCode } from "./variants";

/** Why a record failed: the upload filter, the image decoder, the rate limit or retries. */
export type MediaFailureCode =
  "rejected" | "rate-limited" | "unreadable-audio" | "gave-up" | VariantErrorCode;

export const MAX_PROCESS_ATTEMPTS = 3;
/** Longer than the trigger's timeout (300 s), so a live attempt never loses its lease. */
export const PROCESS_LEASE_MS = 6 * 60_000;

export const CACHE_PUBLIC_IMMUTABLE = "public, max-age=31536000, immutable";
export const CACHE_PRIVATE = "private, max-age=86400";

/** Stable per object generation: a new upload to the same path is a new record. */
export function mediaIdFor(bucket: string, path: string, generation: string): string {
  // JSON keeps the parts apart whatever characters an object name holds.
  const key = JSON.stringify([bucket, path, generation]);
  return createHash("sha256").update(key).digest("hex").slice(0, 40);
}

export interface StoredClaim {
  status: MediaStatus;
  attempts: number;
  leaseExpiresAtMs: number | null;
}

export type ClaimDecision =
  | { action: "start" }
  | { action: "retry"; attempt: number }
  | { action: "skip"; reason: string }
  | { action: "busy"; retryAfterMs: number }
  | { action: "give-up"; attempts: number };

export function decideMediaClaim(existing: StoredClaim | null, nowMs: number): ClaimDecision {
  if (existing === null) return { action: "start" };
  if (existing.status !== "processing") {
    return { action: "skip", reason: `the record is already ${existing.status}` };
  }
  if (existing.leaseExpiresAtMs !== null && existing.leaseExpiresAtMs > nowMs) {
    return { action: "busy", retryAfterMs: existing.leaseExpiresAtMs - nowMs };
  }
  if (existing.attempts >= MAX_PROCESS_ATTEMPTS)
    return { action: "give-up", attempts: existing.attempts };
  return { action: "retry", attempt: existing.attempts + 1 };
}

/**
 * Public character images are the same for every viewer and never change at their path
 * (a new avatar gets a new name), so CDNs and browsers may keep them for a year. Premium
 * gallery items, items not found, and users' uploads are private to the viewer's cache.
 */
export function cacheControlFor(owner: UploadOwner, galleryPremiumOnly: boolean | null): string {
  if (owner.type === "user") return CACHE_PRIVATE;
  if (owner.scope === "avatar") return CACHE_PUBLIC_IMMUTABLE;
  return galleryPremiumOnly === false ? CACHE_PUBLIC_IMMUTABLE : CACHE_PRIVATE;
}

export function rateLimitedReason(perHour: number, retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Upload limit reached (${perHour} an hour); the file was removed. Try again in ${minutes} min.`;
}

export function gaveUpReason(attempts: number): string {
  return `Processing failed ${attempts} times; it will not be tried again.`;
}
