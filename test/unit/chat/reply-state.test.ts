import { describe, expect, it } from "vitest";
import { decideClaim, MAX_TAKES } from "../../../functions/src/chat/core/reply-state";
import {
  allowedTransitions,
  canTransition,
  isTerminal,
  REPLY_STATUSES,
  TERMINAL_STATUSES,
  type ReplyStatus,
} from "../../../functions/src/contract/chat";

const NOW = 1_700_000_000_000;
const LEASE = 60_000;

describe("reply statuses", () => {
  it("has exactly one non-terminal status besides pending", () => {
    expect(REPLY_STATUSES.filter((status) => !isTerminal(status))).toEqual([
      "pending",
      "generating",
    ]);
  });

  it("lets nothing leave a terminal status", () => {
    for (const status of TERMINAL_STATUSES) {
      expect(allowedTransitions(status)).toEqual([]);
      for (const to of REPLY_STATUSES) expect(canTransition(status, to)).toBe(false);
    }
  });

  it("allows the normal life of a reply", () => {
    const path: ReplyStatus[] = ["pending", "generating", "generating", "complete"];
    for (const [from, to] of path.slice(0, -1).map((status, i) => [status, path[i + 1]] as const)) {
      expect(to !== undefined && canTransition(from, to)).toBe(true);
    }
  });

  it("stops quota, rate and input-moderation outcomes before generation only", () => {
    for (const early of ["limit_reached", "rate_limited"] as const) {
      expect(canTransition("pending", early)).toBe(true);
      expect(canTransition("generating", early)).toBe(false);
    }
    expect(canTransition("pending", "blocked")).toBe(true);
    expect(canTransition("generating", "blocked")).toBe(true);
    expect(canTransition("pending", "complete")).toBe(false);
    expect(canTransition("generating", "pending")).toBe(false);
  });
});

describe("decideClaim", () => {
  it("starts a reply nobody has claimed", () => {
    expect(decideClaim(null, NOW, LEASE)).toEqual({
      action: "start",
      attempt: 1,
      leaseExpiresAtMs: NOW + LEASE,
    });
    expect(decideClaim({ status: "pending" }, NOW, LEASE)).toEqual({
      action: "start",
      attempt: 1,
      leaseExpiresAtMs: NOW + LEASE,
    });
  });

  it.each(TERMINAL_STATUSES.map((status) => [status]))(
    "skips a duplicate delivery of a %s reply",
    (status) => {
      expect(decideClaim({ status, attempt: 1, leaseExpiresAtMs: NOW - 1 }, NOW, LEASE)).toEqual({
        action: "skip",
        reason: "finished",
      });
    },
  );

  it("leaves a reply alone while another worker's lease runs", () => {
    expect(
      decideClaim({ status: "generating", attempt: 1, leaseExpiresAtMs: NOW + 1 }, NOW, LEASE),
    ).toEqual({
      action: "skip",
      reason: "lease_active",
    });
  });

  it("takes over a generating reply whose lease expired", () => {
    expect(
      decideClaim({ status: "generating", attempt: 1, leaseExpiresAtMs: NOW }, NOW, LEASE),
    ).toEqual({
      action: "retake",
      attempt: 2,
      leaseExpiresAtMs: NOW + LEASE,
    });
    expect(
      decideClaim({ status: "generating", attempt: 2, leaseExpiresAtMs: NOW - 5 }, NOW, LEASE),
    ).toEqual({
      action: "retake",
      attempt: 3,
      leaseExpiresAtMs: NOW + LEASE,
    });
  });

  it("treats a missing lease as expired and a missing attempt as the first", () => {
    expect(decideClaim({ status: "generating" }, NOW, LEASE)).toMatchObject({
      action: "retake",
      attempt: 2,
    });
  });

  it("fails the reply once every take has died", () => {
    expect(
      decideClaim(
        { status: "generating", attempt: MAX_TAKES, leaseExpiresAtMs: NOW - 1 },
        NOW,
        LEASE,
      ),
    ).toEqual({
      action: "fail",
      reason: "takes_exhausted",
      attempt: MAX_TAKES + 1,
    });
  });

  it("never hands out more than MAX_TAKES takes over repeated crashes", () => {
    let reply: { status: ReplyStatus; attempt?: number; leaseExpiresAtMs?: number } | null = null;
    let clock = NOW;
    let takes = 0;
    for (let delivery = 0; delivery < 10; delivery++) {
      const decision = decideClaim(reply, clock, LEASE);
      if (decision.action === "start" || decision.action === "retake") {
        takes++;
        reply = {
          status: "generating",
          attempt: decision.attempt,
          leaseExpiresAtMs: decision.leaseExpiresAtMs,
        };
      } else if (decision.action === "fail") {
        reply = { status: "failed" };
      }
      clock += LEASE + 1; // the worker dies; its lease runs out
    }
    expect(takes).toBe(MAX_TAKES);
    expect(reply?.status).toBe("failed");
  });
});
