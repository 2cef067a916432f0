import { describe, expect, it } from "vitest";
import { MAX_TAKES } from "../../../functions/src/chat/core/reply-state";
import {
  allowedTransitions,
  canTransition,
  FINAL_STATUSES,
  isFinal,
  REGENERABLE_STATUSES,
  REPLY_STATUSES,
  type ReplyStatus,
} from "../../../functions/src/contract/chat";
import {
  decideDispatch,
  decideTake,
  type ReplyState,
  type TakeDecision,
  type TakeInput,
} from "../../../functions/src/chat/core/take";
import {
  chargedUnit,
  FREE_MESSAGES_PER_MINUTE,
  FREE_QUOTA,
  NO_UNIT,
  settleUnit,
} from "../../../functions/src/limits/policy";

const NOW = 1_700_000_000_000;
const LEASE = 60_000;

function input(overrides: Partial<TakeInput> = {}): TakeInput {
  return {
    request: "message",
    reply: null,
    nowMs: NOW,
    leaseMs: LEASE,
    account: {
      exists: true,
      deactivated: false,
      premium: false,
      rateLimitExempt: false,
      emailVerified: true,
    },
    requireVerifiedEmail: false,
    character: { exists: true, published: true, premiumOnly: false },
    kind: "text",
    usage: { text: 0, audio: 0, media: 0 },
    recentMessageHits: [],
    premiumMessagesPerMinute: 30,
    priority: false,
    queueGiveUpMs: 15 * 60_000,
    ...overrides,
  };
}

function reply(overrides: Partial<ReplyState> = {}): ReplyState {
  return {
    status: "complete",
    attempt: 1,
    leaseExpiresAtMs: null,
    unit: NO_UNIT,
    enqueuedAtMs: null,
    ...overrides,
  };
}

describe("reply statuses", () => {
  it("has two pending statuses, waiting and working; every other status is final", () => {
    expect(REPLY_STATUSES.filter((status) => !isFinal(status))).toEqual(["queued", "generating"]);
    expect(FINAL_STATUSES).toHaveLength(REPLY_STATUSES.length - 2);
  });

  it("lets a queued take start, be stopped or given up on, and a turned-away take queue again", () => {
    expect(allowedTransitions("queued")).toEqual(["generating", "stopped", "failed"]);
    expect(canTransition("generating", "queued")).toBe(true);
    expect(canTransition("queued", "complete")).toBe(false);
  });

  it("lets a delivered, stopped, failed or blocked reply be generated again, and nothing else", () => {
    expect([...REGENERABLE_STATUSES].sort()).toEqual(["blocked", "complete", "failed", "stopped"]);
    for (const status of REGENERABLE_STATUSES) {
      expect(allowedTransitions(status)).toEqual(["generating", "queued"]);
    }
    for (const refused of ["limit_reached", "rate_limited"] as const) {
      expect(allowedTransitions(refused)).toEqual([]);
    }
  });

  it("ends a generating reply in any final status but a refusal", () => {
    for (const to of ["complete", "blocked", "failed", "stopped", "generating", "queued"] as const)
      expect(canTransition("generating", to)).toBe(true);
    for (const to of ["limit_reached", "rate_limited"] as const)
      expect(canTransition("generating", to)).toBe(false);
  });
});

describe("decideTake: a new message", () => {
  it("starts the first take, charges a free unit and records the message in the window", () => {
    expect(decideTake(input())).toEqual({
      action: "generate",
      kind: "first",
      attempt: 1,
      leaseExpiresAtMs: NOW + LEASE,
      chargeUnit: true,
      hits: [NOW],
    });
  });

  it("charges no unit for premium, who still count toward their own per-minute limit", () => {
    const decision = decideTake(
      input({
        account: { ...input().account, premium: true },
        usage: { text: 999, audio: 0, media: 0 },
      }),
    );
    expect(decision).toMatchObject({ action: "generate", chargeUnit: false, hits: [NOW] });
  });

  it.each<[string, Partial<TakeInput>, string, ReplyStatus]>([
    [
      "a deactivated account",
      { account: { ...input().account, deactivated: true } },
      "account_inactive",
      "failed",
    ],
    [
      "a missing profile",
      { account: { ...input().account, exists: false } },
      "account_inactive",
      "failed",
    ],
    [
      "an unpublished character",
      { character: { exists: true, published: false, premiumOnly: false } },
      "character_unavailable",
      "failed",
    ],
    [
      "a deleted character",
      { character: { exists: false, published: false, premiumOnly: false } },
      "character_unavailable",
      "failed",
    ],
    [
      "a premium-only character",
      { character: { exists: true, published: true, premiumOnly: true } },
      "premium_required",
      "limit_reached",
    ],
    [
      "the free tier used up",
      { usage: { text: FREE_QUOTA.text, audio: 0, media: 0 } },
      "limit_reached",
      "limit_reached",
    ],
    [
      "an unverified email when required",
      { requireVerifiedEmail: true, account: { ...input().account, emailVerified: false } },
      "email_unverified",
      "failed",
    ],
  ])(
    "refuses %s, and the message still counts toward the per-minute limit",
    (_name, overrides, code, status) => {
      expect(decideTake(input(overrides))).toEqual({ action: "refuse", code, status, hits: [NOW] });
    },
  );

  it("refuses the 11th message in a minute whatever it would have been, without recording it", () => {
    const full = Array.from({ length: FREE_MESSAGES_PER_MINUTE }, (_, i) => NOW - 1000 * (i + 1));
    for (const overrides of [
      {},
      { usage: { text: 30, audio: 0, media: 0 } },
      { account: { ...input().account, deactivated: true } },
    ]) {
      const decision = decideTake(input({ ...overrides, recentMessageHits: full }));
      expect(decision).toMatchObject({ action: "refuse", code: "rate_limited", hits: null });
      expect(decision.action === "refuse" && decision.retryAfterMs).toBeGreaterThan(0);
    }
  });

  it("gives premium a limit of its own from the setting", () => {
    const hits = Array.from({ length: 30 }, (_, i) => NOW - 100 * (i + 1));
    const premium = { ...input().account, premium: true };
    expect(decideTake(input({ account: premium, recentMessageHits: hits })).action).toBe("refuse");
    expect(
      decideTake(input({ account: premium, recentMessageHits: hits, premiumMessagesPerMinute: 31 }))
        .action,
    ).toBe("generate");
  });

  it("lets an exempt account past the per-minute limit, not past its quota", () => {
    const full = Array.from({ length: 50 }, (_, i) => NOW - i);
    const exempt = { ...input().account, rateLimitExempt: true };
    expect(decideTake(input({ account: exempt, recentMessageHits: full }))).toMatchObject({
      action: "generate",
      hits: null,
    });
    expect(
      decideTake(input({ account: exempt, usage: { text: 30, audio: 0, media: 0 } })),
    ).toMatchObject({ action: "refuse", code: "limit_reached", hits: null });
  });

  it("counts the quota per kind of message", () => {
    const usage = { text: 30, audio: 0, media: 5 };
    expect(decideTake(input({ usage, kind: "audio" })).action).toBe("generate");
    expect(decideTake(input({ usage, kind: "media" }))).toMatchObject({ code: "limit_reached" });
  });
});

describe("decideTake: redeliveries and crashed workers", () => {
  it.each(FINAL_STATUSES.map((status) => [status]))(
    "does nothing for a redelivered message whose reply is %s",
    (status) => {
      expect(decideTake(input({ reply: reply({ status }) }))).toEqual({
        action: "skip",
        reason: "finished",
      });
    },
  );

  it("leaves a reply alone while its worker's lease runs", () => {
    const live = reply({ status: "generating", leaseExpiresAtMs: NOW + 1 });
    for (const request of ["message", "sweep"] as const)
      expect(decideTake(input({ request, reply: live }))).toEqual({
        action: "skip",
        reason: "lease_active",
      });
  });

  it("retakes a reply whose lease ran out, without charging or counting it again", () => {
    const dead = reply({
      status: "generating",
      attempt: 2,
      leaseExpiresAtMs: NOW,
      unit: chargedUnit(),
    });
    expect(decideTake(input({ request: "sweep", reply: dead }))).toEqual({
      action: "generate",
      kind: "retake",
      attempt: 3,
      leaseExpiresAtMs: NOW + LEASE,
      chargeUnit: false,
      hits: null,
    });
  });

  it("fails the reply once every try of the take has died", () => {
    const dead = reply({ status: "generating", attempt: MAX_TAKES, leaseExpiresAtMs: NOW - 1 });
    expect(decideTake(input({ request: "sweep", reply: dead }))).toEqual({
      action: "fail",
      code: "reply_failed",
    });
  });

  it("never hands out more than MAX_TAKES tries over repeated crashes", () => {
    let state: ReplyState | null = null;
    let clock = NOW;
    let tries = 0;
    for (let delivery = 0; delivery < 10; delivery++) {
      const decision: TakeDecision = decideTake(
        input({ request: state ? "sweep" : "message", reply: state, nowMs: clock }),
      );
      if (decision.action === "generate") {
        tries++;
        state = reply({
          status: "generating",
          attempt: decision.attempt,
          leaseExpiresAtMs: decision.leaseExpiresAtMs,
        });
      } else if (decision.action === "fail") {
        state = reply({ status: "failed" });
      }
      clock += LEASE + 1; // the worker dies; its lease runs out
    }
    expect(tries).toBe(MAX_TAKES);
    expect(state?.status).toBe("failed");
  });

  it("never overwrites a reply document it cannot read", () => {
    for (const request of ["message", "sweep", "regenerate"] as const)
      expect(decideTake(input({ request, reply: "unreadable" }))).toEqual({
        action: "skip",
        reason: "unreadable",
      });
  });
});

describe("decideTake: regenerating", () => {
  it("regenerates a delivered reply without charging again: its message holds the unit", () => {
    const delivered = reply({ unit: { charged: true, deliveredSinceCharge: true } });
    expect(
      decideTake(
        input({ request: "regenerate", reply: delivered, usage: { text: 30, audio: 0, media: 0 } }),
      ),
    ).toMatchObject({
      action: "generate",
      kind: "regenerate",
      attempt: 1,
      chargeUnit: false,
      hits: [NOW],
    });
  });

  it("charges a message whose unit came back (stopped before any text), or refuses at the limit", () => {
    const refunded = reply({ status: "stopped", unit: NO_UNIT });
    expect(decideTake(input({ request: "regenerate", reply: refunded }))).toMatchObject({
      action: "generate",
      chargeUnit: true,
    });
    expect(
      decideTake(
        input({ request: "regenerate", reply: refunded, usage: { text: 30, audio: 0, media: 0 } }),
      ),
    ).toMatchObject({ action: "refuse", code: "limit_reached" });
  });

  it.each<[string, Partial<TakeInput>, string]>([
    [
      "the account is deactivated",
      { account: { ...input().account, deactivated: true } },
      "account_inactive",
    ],
    [
      "the character was unpublished",
      { character: { exists: true, published: false, premiumOnly: false } },
      "character_unavailable",
    ],
    [
      "premium ended for a premium-only character",
      { character: { exists: true, published: true, premiumOnly: true } },
      "premium_required",
    ],
  ])("refuses when %s, like a new message", (_name, overrides, code) => {
    const delivered = reply({ unit: { charged: true, deliveredSinceCharge: true } });
    expect(
      decideTake(input({ ...overrides, request: "regenerate", reply: delivered })),
    ).toMatchObject({
      action: "refuse",
      code,
    });
  });

  it("counts toward the per-minute limit like a new message", () => {
    const full = Array.from({ length: FREE_MESSAGES_PER_MINUTE }, (_, i) => NOW - i);
    expect(
      decideTake(input({ request: "regenerate", reply: reply(), recentMessageHits: full })),
    ).toMatchObject({
      action: "refuse",
      code: "rate_limited",
    });
  });

  it("does not regenerate a reply that is being written, or a message that was refused", () => {
    expect(
      decideTake(
        input({
          request: "regenerate",
          reply: reply({ status: "generating", leaseExpiresAtMs: NOW - 1 }),
        }),
      ),
    ).toEqual({
      action: "skip",
      reason: "in_progress",
    });
    for (const status of ["limit_reached", "rate_limited"] as const)
      expect(decideTake(input({ request: "regenerate", reply: reply({ status }) }))).toEqual({
        action: "skip",
        reason: "not_regenerable",
      });
  });
});

describe("decideTake: premium priority through the reply queue", () => {
  const premium = { ...input().account, premium: true };

  it("queues a free user's accepted message, charged and counted like a direct one", () => {
    expect(decideTake(input({ priority: true }))).toEqual({
      action: "queue",
      kind: "first",
      chargeUnit: true,
      hits: [NOW],
    });
  });

  it("never queues premium", () => {
    expect(decideTake(input({ priority: true, account: premium }))).toMatchObject({
      action: "generate",
      kind: "first",
    });
  });

  it("refuses before queueing: a refused message never waits", () => {
    expect(
      decideTake(input({ priority: true, usage: { text: 30, audio: 0, media: 0 } })),
    ).toMatchObject({ action: "refuse", code: "limit_reached" });
  });

  it("queues a free user's regeneration too", () => {
    const delivered = reply({ unit: { charged: true, deliveredSinceCharge: true } });
    expect(
      decideTake(input({ priority: true, request: "regenerate", reply: delivered })),
    ).toMatchObject({ action: "queue", kind: "regenerate", chargeUnit: false });
  });

  it("a queued take is the queue's: redeliveries and sweeps leave it, until the queue gave up", () => {
    const queued = reply({ status: "queued", enqueuedAtMs: NOW - 60_000 });
    expect(decideTake(input({ reply: queued }))).toEqual({
      action: "skip",
      reason: "lease_active",
    });
    expect(decideTake(input({ request: "sweep", reply: queued }))).toEqual({
      action: "skip",
      reason: "lease_active",
    });
    const forgotten = reply({ status: "queued", enqueuedAtMs: NOW - 16 * 60_000 });
    expect(decideTake(input({ request: "sweep", reply: forgotten }))).toEqual({
      action: "fail",
      code: "reply_busy",
    });
    expect(decideTake(input({ request: "regenerate", reply: queued }))).toEqual({
      action: "skip",
      reason: "in_progress",
    });
  });
});

describe("decideDispatch", () => {
  it("starts a take that still waits, charging and counting nothing more", () => {
    expect(decideDispatch(reply({ status: "queued", enqueuedAtMs: NOW - 5 }), NOW, LEASE)).toEqual({
      action: "generate",
      kind: "dispatched",
      attempt: 1,
      leaseExpiresAtMs: NOW + LEASE,
      chargeUnit: false,
      hits: null,
    });
  });

  it.each<[string, ReplyState | null | "unreadable"]>([
    ["started by an earlier delivery", reply({ status: "generating", leaseExpiresAtMs: NOW + 1 })],
    ["stopped while it waited", reply({ status: "stopped" })],
    ["finished", reply({ status: "complete" })],
    ["deleted with its conversation", null],
    ["not a document this code wrote", "unreadable"],
  ])("does nothing for a take %s", (_name, state) => {
    expect(decideDispatch(state, NOW, LEASE)).toEqual({ action: "skip", reason: "not_queued" });
  });
});

describe("the unit a message holds", () => {
  it("is spent by a take that delivers text", () => {
    expect(settleUnit(chargedUnit(), true)).toEqual({
      unit: { charged: true, deliveredSinceCharge: true },
      refund: false,
    });
  });

  it("comes back when no take delivered with it", () => {
    expect(settleUnit(chargedUnit(), false)).toEqual({ unit: NO_UNIT, refund: true });
  });

  it("stays spent when a later take delivers nothing (stop or block after regenerate)", () => {
    expect(settleUnit({ charged: true, deliveredSinceCharge: true }, false)).toEqual({
      unit: { charged: true, deliveredSinceCharge: true },
      refund: false,
    });
  });

  it("is never given back twice: an uncharged message refunds nothing", () => {
    expect(settleUnit(NO_UNIT, false)).toEqual({ unit: NO_UNIT, refund: false });
  });

  it("charges at most one unit per message over any sequence of takes", () => {
    // Simulate every sequence of 6 takes, each delivering or not, with the claim and the
    // finalize rules: the net charge is 1 exactly when some take delivered, else 0.
    for (let mask = 0; mask < 2 ** 6; mask++) {
      let unit = NO_UNIT;
      let net = 0;
      let anyDelivered = false;
      for (let take = 0; take < 6; take++) {
        if (!unit.charged) {
          unit = chargedUnit();
          net++;
        }
        const delivered = (mask & (1 << take)) !== 0;
        anyDelivered ||= delivered;
        const settled = settleUnit(unit, delivered);
        if (settled.refund) net--;
        unit = settled.unit;
      }
      expect(net).toBe(anyDelivered ? 1 : 0);
    }
  });
});
