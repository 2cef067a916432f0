// The capacity model behind docs/scaling.md: its arithmetic, the limit it finds first, the
// settings it recommends, and that config.ts's defaults are the ones it gives for 1,000 users.
import { describe, expect, it } from "vitest";
import { CAPACITY_DEFAULTS } from "../../../functions/src/config";
import {
  ASSUMPTIONS,
  capacity,
  firstLimit,
  LIMITS,
  recommendedDeployment,
  seededRandom,
  simulateShardLoad,
  type Deployment,
} from "../../../bench/scaling-model";

const defaults: Deployment = {
  replyMaxInstances: CAPACITY_DEFAULTS.replyMaxInstances,
  replyConcurrency: CAPACITY_DEFAULTS.replyConcurrency,
  statsShards: CAPACITY_DEFAULTS.statsShards,
  usageShards: CAPACITY_DEFAULTS.usageShards,
};
const at = (users: number) => ({ ...ASSUMPTIONS, concurrentUsers: users });
const part = (result: ReturnType<typeof capacity>, name: string) => {
  const found = result.demands.find((demand) => demand.part.startsWith(name));
  if (!found) throw new Error(`no demand ${name}`);
  return found;
};

describe("capacity model", () => {
  it("turns users into replies in flight and instances with Little's law", () => {
    const result = capacity(at(1000), defaults);
    expect(result.messagesPerSecond).toBe(50);
    expect(result.replySeconds).toBeCloseTo(0.4 + 80 / 30 + 0.25 + 0.3, 10);
    expect(result.repliesInFlight).toBeCloseTo(50 * result.replySeconds, 10);
    expect(result.replyInstancesNeeded).toBe(Math.ceil(result.repliesInFlight / 40));
    expect(result.streamingUpdatesPerReply).toBe(3);
    expect(result.chatRequestsPerMinute).toBe(3000);
    expect(result.moderationRequestsPerMinute).toBe(6000);
    expect(result.tokensPerMinute).toBe(3000 * (3000 + 80));
  });

  it("spreads a character's writes over its shards, and grows with the users", () => {
    const ten = capacity(at(10_000), { ...defaults, statsShards: 10, usageShards: 10 });
    const hundred = capacity(at(10_000), { ...defaults, statsShards: 100, usageShards: 100 });
    expect(ten.usageShardWritesPerSecond).toBeCloseTo((0.1 * 500) / 10, 10);
    expect(hundred.usageShardWritesPerSecond).toBeCloseTo(ten.usageShardWritesPerSecond / 10, 10);
    expect(capacity(at(20_000), defaults).statShardWritesPerSecond).toBeCloseTo(
      2 * capacity(at(10_000), defaults).statShardWritesPerSecond,
      10,
    );
  });

  it("finds nothing past its limit at 1,000 users, and a shard first at 10,000", () => {
    const small = capacity(at(1000), defaults);
    for (const demand of small.demands.filter((d) => !d.byDesign)) {
      expect(demand.demand / demand.limit, demand.part).toBeLessThanOrEqual(0.5);
    }
    const first = firstLimit(capacity(at(10_000), defaults));
    expect(first.part).toMatch(/^top character's .*shard$/);
    expect(first.demand).toBeGreaterThan(first.limit);
    // The streaming throttle sits at its limit by design and is never reported as binding.
    expect(part(small, "a streaming reply document").byDesign).toBe(true);
    expect(firstLimit(small).byDesign).toBeUndefined();
  });

  it("recommends settings that leave every settable part half free, at every size", () => {
    for (const users of [1000, 10_000, 100_000]) {
      const deployment = recommendedDeployment(at(users), 40);
      const result = capacity(at(users), deployment);
      for (const name of ["reply-function instances", "top character's"]) {
        for (const demand of result.demands.filter((d) => d.part.startsWith(name))) {
          expect(demand.demand / demand.limit, `${users}: ${demand.part}`).toBeLessThanOrEqual(0.5);
        }
      }
    }
  });

  it("has config.ts's defaults cover what it recommends for 1,000 users", () => {
    const recommended = recommendedDeployment(at(1000), CAPACITY_DEFAULTS.replyConcurrency);
    expect(CAPACITY_DEFAULTS.statsShards).toBe(recommended.statsShards);
    expect(CAPACITY_DEFAULTS.usageShards).toBe(recommended.usageShards);
    expect(CAPACITY_DEFAULTS.replyMaxInstances).toBeGreaterThanOrEqual(
      recommended.replyMaxInstances,
    );
  });

  it("leaves the sequential indexes to code changes: no setting moves them", () => {
    const base = capacity(at(10_000), defaults);
    const more = capacity(at(10_000), recommendedDeployment(at(10_000), 40));
    for (const name of ["stat shards' lastActiveAtMs index", "replies' (status"]) {
      expect(part(more, name).demand).toBe(part(base, name).demand);
      expect(part(base, name).demand).toBeGreaterThanOrEqual(LIMITS.sequentialIndexWritesPerSecond);
    }
  });
});

describe("shard write simulation", () => {
  it("puts about rate / shards on the busiest shard, the same for the same seed", () => {
    const workload = at(10_000); // 50 writes/s to the top character
    const first = simulateShardLoad(workload, 10, 200, seededRandom(7));
    expect(simulateShardLoad(workload, 10, 200, seededRandom(7))).toEqual(first);
    expect(first.meanPerSecond).toBeGreaterThan(4.5);
    expect(first.meanPerSecond).toBeLessThan(6);
    expect(first.peakPerSecond).toBeGreaterThanOrEqual(Math.ceil(first.meanPerSecond));
    const spread = simulateShardLoad(workload, 100, 200, seededRandom(7));
    expect(spread.meanPerSecond).toBeLessThan(first.meanPerSecond / 5);
  });
});
