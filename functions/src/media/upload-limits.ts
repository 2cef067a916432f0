// How many uploads a user has left this hour. Pure: the numbers come from limits/policy.ts
// (20 an hour, 100 for premium users), counted in the same sliding window the trigger uses.
import { RATE_LIMITS } from "../limits/policy";

export type UploadBucket = "uploads" | "uploadsPremium";

export function uploadBucket(premium: boolean): UploadBucket {
  return premium ? "uploadsPremium" : "uploads";
}

export interface UploadAllowance {
  bucket: UploadBucket;
  perHour: number;
  usedThisHour: number;
  remainingThisHour: number;
  /** When the oldest counted upload leaves the window; null when nothing is counted. */
  nextSlotAtMs: number | null;
}

export function uploadAllowance(
  hits: readonly number[],
  nowMs: number,
  premium: boolean,
): UploadAllowance {
  const bucket = uploadBucket(premium);
  const rule = RATE_LIMITS[bucket];
  const recent = hits
    .filter((at) => at > nowMs - rule.windowMs && at <= nowMs)
    .sort((a, b) => a - b);
  const oldest = recent[0];
  return {
    bucket,
    perHour: rule.limit,
    usedThisHour: recent.length,
    remainingThisHour: Math.max(0, rule.limit - recent.length),
    nextSlotAtMs: oldest === undefined ? null : oldest + rule.windowMs,
  };
}
