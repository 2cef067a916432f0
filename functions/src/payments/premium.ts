// Premium time arithmetic. Pure: no Firebase imports, times in epoch milliseconds.
//
// Premium is a single expiry time on the profile (`premiumUntil`); it is active while that
// time is in the future, so expiry needs no job to run.
//
// - A purchase adds its days from max(now, current expiry): buying again before expiry
//   stacks, buying after expiry starts from now.
// - A refund or a dispute removes exactly the time that payment added, from the current
//   expiry (so later purchases keep their days), but never moves the expiry below now:
//   a removal that would overshoot ends premium now, and an expiry already in the past is
//   left as it is. Days the user has already used are not clawed back beyond ending now.

export const DAY_MS = 86_400_000;

/** Bounds for the days one payment buys; settings and metadata outside them are refused. */
export const MIN_PREMIUM_DAYS = 1;
export const MAX_PREMIUM_DAYS = 366;

export function isPremiumActive(premiumUntilMs: number | null, nowMs: number): boolean {
  return premiumUntilMs !== null && premiumUntilMs > nowMs;
}

export interface Grant {
  /** Where this payment's time starts: now, or the previous expiry when that is later. */
  periodStartMs: number;
  /** The new expiry. */
  periodEndMs: number;
  /** Exactly the time added, which a revocation later removes. */
  grantedMs: number;
}

export function grantPremium(currentUntilMs: number | null, nowMs: number, days: number): Grant {
  if (!Number.isInteger(days) || days < MIN_PREMIUM_DAYS || days > MAX_PREMIUM_DAYS) {
    throw new RangeError(
      `premium days must be an integer from ${MIN_PREMIUM_DAYS} to ${MAX_PREMIUM_DAYS}, got ${days}`,
    );
  }
  const periodStartMs = Math.max(nowMs, currentUntilMs ?? nowMs);
  const grantedMs = days * DAY_MS;
  return { periodStartMs, periodEndMs: periodStartMs + grantedMs, grantedMs };
}

/**
 * The expiry after removing `grantedMs` (what one payment added). Null stays null; an
 * expiry at or before now is unchanged; otherwise the result is never below now.
 */
export function revokePremium(
  currentUntilMs: number | null,
  grantedMs: number,
  nowMs: number,
): number | null {
  if (currentUntilMs === null || currentUntilMs <= nowMs || grantedMs <= 0) return currentUntilMs;
  return Math.max(nowMs, currentUntilMs - grantedMs);
}
