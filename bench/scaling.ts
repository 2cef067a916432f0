// Capacity at 1k, 10k and 100k users chatting at once: the model of bench/scaling-model.ts
// with the assumptions of docs/scaling.md, against this deployment's settings (config.ts
// defaults), the settings the model recommends, and a simulation of the hottest documents'
// writes (message by message, shards picked at random as the functions pick them). Pure
// arithmetic: no emulator, a second or two. Run with `npm run bench:scaling`.
import { CAPACITY_DEFAULTS } from "../functions/src/config";
import {
  ASSUMPTIONS,
  capacity,
  firstLimit,
  recommendedDeployment,
  seededRandom,
  simulateShardLoad,
  type Deployment,
  type Workload,
} from "./scaling-model";

const SIZES = [1_000, 10_000, 100_000];
const SIMULATED_SECONDS = 60;

const defaults: Deployment = {
  replyMaxInstances: CAPACITY_DEFAULTS.replyMaxInstances,
  replyConcurrency: CAPACITY_DEFAULTS.replyConcurrency,
  statsShards: CAPACITY_DEFAULTS.statsShards,
  usageShards: CAPACITY_DEFAULTS.usageShards,
};

function number(value: number, digits = 0): string {
  return value.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
}

function workloadFor(users: number): Workload {
  return { ...ASSUMPTIONS, concurrentUsers: users };
}

console.log("Assumptions (bench/scaling-model.ts ASSUMPTIONS):");
for (const [key, value] of Object.entries(ASSUMPTIONS)) console.log(`- ${key}: ${value}`);
console.log(
  `\nSettings now (config.ts defaults): REPLY_MAX_INSTANCES=${defaults.replyMaxInstances}, REPLY_CONCURRENCY=${defaults.replyConcurrency}, STATS_SHARDS=${defaults.statsShards}, USAGE_SHARDS=${defaults.usageShards}.`,
);

console.log("\n| users chatting at once | 1k | 10k | 100k |");
console.log("| --- | --- | --- | --- |");
const results = SIZES.map((users) => capacity(workloadFor(users), defaults));
const row = (label: string, pick: (index: number) => string) =>
  console.log(`| ${label} | ${SIZES.map((_, index) => pick(index)).join(" | ")} |`);
row("messages (replies) a second", (i) => number(results[i]?.messagesPerSecond ?? 0));
row("seconds a reply holds its slot", (i) => number(results[i]?.replySeconds ?? 0, 2));
row("replies in flight", (i) => number(results[i]?.repliesInFlight ?? 0));
row(
  `reply instances needed at concurrency ${defaults.replyConcurrency}`,
  (i) => `${number(results[i]?.replyInstancesNeeded ?? 0)} (limit ${defaults.replyMaxInstances})`,
);
row("Firestore writes a second, all documents", (i) =>
  number(results[i]?.firestoreWritesPerSecond ?? 0),
);
row("streaming updates per reply", (i) => number(results[i]?.streamingUpdatesPerReply ?? 0));
row(`top character's stat shard, writes/s (${defaults.statsShards} shards)`, (i) =>
  number(results[i]?.statShardWritesPerSecond ?? 0, 2),
);
row(`top character's usage shard, writes/s (${defaults.usageShards} shards)`, (i) =>
  number(results[i]?.usageShardWritesPerSecond ?? 0, 2),
);
row("OpenAI chat requests a minute", (i) => number(results[i]?.chatRequestsPerMinute ?? 0));
row("OpenAI moderation requests a minute", (i) =>
  number(results[i]?.moderationRequestsPerMinute ?? 0),
);
row("OpenAI tokens a minute", (i) => number(results[i]?.tokensPerMinute ?? 0));
row("Stripe webhook deliveries a second", (i) => number(results[i]?.webhooksPerSecond ?? 0, 3));

for (const result of results) {
  console.log(
    `\n${number(result.concurrentUsers)} users, with today's settings: demand against limit, the first to bind on top.`,
  );
  console.log("| part | demand | limit | demand / limit | raised by |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const demand of result.demands) {
    console.log(
      `| ${demand.part} | ${number(demand.demand, 3)} | ${number(demand.limit)} ${demand.unit} | ${number((100 * demand.demand) / demand.limit)}%${demand.byDesign ? " (a throttle)" : ""} | ${demand.raisedBy} |`,
    );
  }
  const first = firstLimit(result);
  console.log(
    `First to bind: ${first.part} (${number((100 * first.demand) / first.limit)}% of its limit).`,
  );
}

console.log(
  "\nSettings the model recommends (every settable part at most half used), and the hottest shards, simulated:",
);
console.log(
  `(${SIMULATED_SECONDS} simulated seconds of Poisson arrivals; the busiest shard's mean writes a second, and the most it took in any one second.)`,
);
console.log(
  "| users | REPLY_MAX_INSTANCES | STATS_SHARDS | USAGE_SHARDS | stat shard now: mean / peak | stat shard recommended: mean / peak | then first to bind |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
SIZES.forEach((users, index) => {
  const workload = workloadFor(users);
  const recommended = recommendedDeployment(workload, defaults.replyConcurrency);
  const now = simulateShardLoad(
    workload,
    defaults.statsShards,
    SIMULATED_SECONDS,
    seededRandom(index + 1),
  );
  const then = simulateShardLoad(
    workload,
    recommended.statsShards,
    SIMULATED_SECONDS,
    seededRandom(index + 101),
  );
  const binding = firstLimit(capacity(workload, recommended));
  console.log(
    `| ${number(users)} | ${recommended.replyMaxInstances} | ${recommended.statsShards} | ${recommended.usageShards} | ${number(now.meanPerSecond, 2)} / ${now.peakPerSecond} | ${number(then.meanPerSecond, 2)} / ${then.peakPerSecond} | ${binding.part}, ${number((100 * binding.demand) / binding.limit)}% |`,
  );
});
console.log(
  "\nThe simulation counts reply writes only (conversation starts and ratings add a few per cent). A shard's writes come in bursts: the peak second is what the headroom is for.",
);
