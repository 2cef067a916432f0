import { describe, expect, it } from "vitest";
import type { CheckoutOutcome } from "../../../functions/src/payments/events";
import {
  nextOrphanStep,
  orphanRefundIdempotencyKey,
  ORPHAN_STATUSES,
  type OrphanStatus,
} from "../../../functions/src/payments/orphan-policy";

describe("a payment whose account no longer exists", () => {
  it("is refunded as soon as money is taken", () => {
    expect(nextOrphanStep(null, "paid")).toEqual({ status: "refund_pending", refund: true });
    expect(nextOrphanStep("awaiting_payment", "paid")).toEqual({
      status: "refund_pending",
      refund: true,
    });
  });

  it("is only recorded while nothing has been taken", () => {
    expect(nextOrphanStep(null, "pending")).toEqual({ status: "awaiting_payment", refund: false });
    expect(nextOrphanStep("awaiting_payment", "failed")).toEqual({
      status: "not_charged",
      refund: false,
    });
    expect(nextOrphanStep("not_charged", "pending")).toEqual({
      status: "not_charged",
      refund: false,
    });
  });

  it("keeps asking for the refund until it is made, whatever event comes next", () => {
    for (const outcome of ["paid", "pending", "failed"] as const) {
      expect(nextOrphanStep("refund_pending", outcome)).toEqual({
        status: "refund_pending",
        refund: true,
      });
    }
  });

  it("is never refunded twice: once refunded, no event asks again", () => {
    const outcomes: CheckoutOutcome[] = ["paid", "pending", "failed"];
    for (const outcome of outcomes) {
      expect(nextOrphanStep("refunded", outcome)).toEqual({ status: "refunded", refund: false });
    }
  });

  it("asks for a refund from every status only until refunded", () => {
    const states: (OrphanStatus | null)[] = [null, ...ORPHAN_STATUSES];
    for (const state of states) {
      const step = nextOrphanStep(state, "paid");
      expect(step.refund, String(state)).toBe(state !== "refunded");
    }
  });

  it("uses one idempotency key per payment intent", () => {
    expect(orphanRefundIdempotencyKey("pi_1")).toBe(orphanRefundIdempotencyKey("pi_1"));
    expect(orphanRefundIdempotencyKey("pi_1")).not.toBe(orphanRefundIdempotencyKey("pi_2"));
  });
});
