import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  grantPremium,
  isPremiumActive,
  MAX_PREMIUM_DAYS,
  revokePremium,
} from "../../../functions/src/payments/premium";

const NOW = Date.UTC(2030, 0, 10, 12, 0, 0);

describe("isPremiumActive", () => {
  it("is active only while the expiry is strictly in the future", () => {
    expect(isPremiumActive(null, NOW)).toBe(false);
    expect(isPremiumActive(NOW - 1, NOW)).toBe(false);
    expect(isPremiumActive(NOW, NOW)).toBe(false);
    expect(isPremiumActive(NOW + 1, NOW)).toBe(true);
  });
});

describe("grantPremium", () => {
  it("starts from now for a user who never had premium", () => {
    expect(grantPremium(null, NOW, 15)).toEqual({
      periodStartMs: NOW,
      periodEndMs: NOW + 15 * DAY_MS,
      grantedMs: 15 * DAY_MS,
    });
  });

  it("starts from now when the previous premium has expired", () => {
    expect(grantPremium(NOW - 3 * DAY_MS, NOW, 15).periodStartMs).toBe(NOW);
    expect(grantPremium(NOW, NOW, 15).periodEndMs).toBe(NOW + 15 * DAY_MS);
  });

  it("stacks onto an active premium", () => {
    const first = grantPremium(null, NOW, 15);
    const second = grantPremium(first.periodEndMs, NOW + DAY_MS, 15);
    expect(second.periodStartMs).toBe(first.periodEndMs);
    expect(second.periodEndMs).toBe(NOW + 30 * DAY_MS);
    expect(second.grantedMs).toBe(15 * DAY_MS);
  });

  it("refuses day counts that are not whole and in bounds", () => {
    for (const days of [0, -1, 1.5, Number.NaN, MAX_PREMIUM_DAYS + 1]) {
      expect(() => grantPremium(null, NOW, days)).toThrow(RangeError);
    }
    expect(grantPremium(null, NOW, 1).grantedMs).toBe(DAY_MS);
    expect(grantPremium(null, NOW, MAX_PREMIUM_DAYS).grantedMs).toBe(MAX_PREMIUM_DAYS * DAY_MS);
  });
});

describe("revokePremium", () => {
  it("removes exactly what one payment added, keeping the days of later purchases", () => {
    const first = grantPremium(null, NOW, 15);
    const second = grantPremium(first.periodEndMs, NOW, 15);
    expect(revokePremium(second.periodEndMs, first.grantedMs, NOW + DAY_MS)).toBe(
      NOW + 15 * DAY_MS,
    );
  });

  it("ends premium now (never earlier) when the days were partly used", () => {
    const grant = grantPremium(null, NOW, 15);
    const later = NOW + 10 * DAY_MS;
    expect(revokePremium(grant.periodEndMs, grant.grantedMs, later)).toBe(later);
    expect(isPremiumActive(later, later)).toBe(false);
  });

  it("leaves no premium and an already expired premium as they are", () => {
    expect(revokePremium(null, 15 * DAY_MS, NOW)).toBeNull();
    expect(revokePremium(NOW - DAY_MS, 15 * DAY_MS, NOW)).toBe(NOW - DAY_MS);
    expect(revokePremium(NOW, 15 * DAY_MS, NOW)).toBe(NOW);
  });

  it("changes nothing when nothing was granted", () => {
    expect(revokePremium(NOW + DAY_MS, 0, NOW)).toBe(NOW + DAY_MS);
  });

  it("a grant followed by its revocation at the same moment restores the previous expiry", () => {
    for (const current of [null, NOW - DAY_MS, NOW + 4 * DAY_MS]) {
      const grant = grantPremium(current, NOW, 15);
      const after = revokePremium(grant.periodEndMs, grant.grantedMs, NOW);
      expect(after).toBe(current === null || current < NOW ? NOW : current);
      expect(isPremiumActive(after, NOW)).toBe(isPremiumActive(current, NOW));
    }
  });
});
