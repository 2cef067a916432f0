// Capacity on paper: what each part of a deployment must sustain when N users chat at once,
// against the documented limit that part runs into, and which setting raises it. Pure (no
// I/O): `npm run bench:scaling` prints it with a simulation of the shard writes, and
// docs/scaling.md is written from its output. Every assumption is a field of Workload, so a
// deployment with other habits can run the same model with its own figures.

export interface Workload {
  concurrentUsers: number;
  /** A chatting user sends one message this often, on average (seconds). */
  secondsBetweenMessages: number;
  /** A chatting user starts a new conversation this often (seconds). */
  secondsBetweenConversations: number;
  /** A chatting user rates a character this often (seconds). */
  secondsBetweenRatings: number;
  /** Prompt tokens per model request (persona, memory, recent turns, the new message). */
  promptTokens: number;
  /** Tokens per reply (about 60 words). */
  replyTokens: number;
  /** Streaming speed of the model. */
  tokensPerSecond: number;
  /** From the request to the model's first token. */
  firstTokenSeconds: number;
  /** Output moderation, after the reply has streamed. */
  moderationSeconds: number;
  /** Claim, context, finalize: the Firestore work around the model call. */
  workSeconds: number;
  /** The share of all messages that go to the most popular character. */
  topCharacterShare: number;
  /** Firestore writes of one turn besides the streaming updates. */
  writesPerTurn: number;
  /** Premium purchases per chatting user per hour. */
  purchasesPerUserHour: number;
  /** Webhook deliveries Stripe makes per purchase for the event types the webhook takes. */
  webhookEventsPerPurchase: number;
}

/** The assumptions behind docs/scaling.md. */
export const ASSUMPTIONS: Omit<Workload, "concurrentUsers"> = {
  secondsBetweenMessages: 20,
  secondsBetweenConversations: 600,
  secondsBetweenRatings: 1800,
  promptTokens: 3000,
  replyTokens: 80,
  tokensPerSecond: 30,
  firstTokenSeconds: 0.4,
  moderationSeconds: 0.25,
  workSeconds: 0.3,
  topCharacterShare: 0.1,
  // bench:chat counted 12 writes per turn; the global daily-usage document is gone since.
  writesPerTurn: 11,
  purchasesPerUserHour: 0.002,
  webhookEventsPerPurchase: 2,
};

export interface Deployment {
  replyMaxInstances: number;
  replyConcurrency: number;
  statsShards: number;
  usageShards: number;
}

/** Documented limits the model checks against (docs/scaling.md cites each one). */
export const LIMITS = {
  /** Firestore: sustained writes a second to one document. */
  documentWritesPerSecond: 1,
  /** Firestore: writes a second to a collection (or collection-group index) whose indexed
   * field grows monotonically, such as a timestamp. */
  sequentialIndexWritesPerSecond: 500,
  /** Cloud Functions (2nd gen): requests one instance can serve at once. */
  maxConcurrency: 1000,
  /** OpenAI, gpt-4o-mini, as published per usage tier. */
  openAi: {
    tier1: { requestsPerMinute: 500, tokensPerMinute: 200_000 },
    tier5: { requestsPerMinute: 30_000, tokensPerMinute: 150_000_000 },
  },
  /** Stripe live mode: requests a second to one API endpoint (the receipt lookup). */
  stripeEndpointRequestsPerSecond: 25,
} as const;

export interface Demand {
  part: string;
  demand: number;
  limit: number;
  unit: string;
  /** What raises the limit: a setting, a quota, or the change it needs. */
  raisedBy: string;
  /** Held at its limit on purpose (a throttle), so it never binds. */
  byDesign?: boolean;
}

export interface Capacity {
  concurrentUsers: number;
  messagesPerSecond: number;
  /** How long one reply keeps a reply-function slot busy. */
  replySeconds: number;
  repliesInFlight: number;
  replyInstancesNeeded: number;
  streamingUpdatesPerReply: number;
  firestoreWritesPerSecond: number;
  /** Writes a second to the most popular character's busiest kind of shard, per shard. */
  statShardWritesPerSecond: number;
  usageShardWritesPerSecond: number;
  chatRequestsPerMinute: number;
  moderationRequestsPerMinute: number;
  tokensPerMinute: number;
  webhooksPerSecond: number;
  /** Every checked part, the one closest to (or furthest past) its limit first. */
  demands: Demand[];
}

const ratio = (demand: Demand) => demand.demand / demand.limit;

export function capacity(workload: Workload, deployment: Deployment): Capacity {
  const users = workload.concurrentUsers;
  const messagesPerSecond = users / workload.secondsBetweenMessages;
  const streamSeconds = workload.replyTokens / workload.tokensPerSecond;
  const replySeconds =
    workload.firstTokenSeconds + streamSeconds + workload.moderationSeconds + workload.workSeconds;
  // Little's law: replies in flight = arrival rate x time each one takes.
  const repliesInFlight = messagesPerSecond * replySeconds;
  const replyInstancesNeeded = Math.ceil(repliesInFlight / deployment.replyConcurrency);
  // The first text at once, then at most one update a second; the final text is part of
  // the turn's own writes.
  const streamingUpdatesPerReply = 1 + Math.floor(streamSeconds);
  const firestoreWritesPerSecond =
    messagesPerSecond * (workload.writesPerTurn + streamingUpdatesPerReply);
  const top = workload.topCharacterShare;
  // Stat shards take a write per reply and per new conversation (both stamp lastActiveAtMs)
  // and per rating.
  const activityWrites = messagesPerSecond + users / workload.secondsBetweenConversations;
  const statWrites = top * (activityWrites + users / workload.secondsBetweenRatings);
  const statShardWritesPerSecond = statWrites / deployment.statsShards;
  const usageShardWritesPerSecond = (top * messagesPerSecond) / deployment.usageShards;
  const chatRequestsPerMinute = messagesPerSecond * 60;
  const moderationRequestsPerMinute = 2 * chatRequestsPerMinute;
  const tokensPerMinute = chatRequestsPerMinute * (workload.promptTokens + workload.replyTokens);
  const purchasesPerSecond = (users * workload.purchasesPerUserHour) / 3600;
  const webhooksPerSecond = purchasesPerSecond * workload.webhookEventsPerPurchase;

  const demands: Demand[] = [
    {
      part: "reply-function instances",
      demand: replyInstancesNeeded,
      limit: deployment.replyMaxInstances,
      unit: "instances",
      raisedBy: `REPLY_MAX_INSTANCES (or REPLY_CONCURRENCY, up to ${LIMITS.maxConcurrency})`,
    },
    {
      part: "top character's stat shard",
      demand: statShardWritesPerSecond,
      limit: LIMITS.documentWritesPerSecond,
      unit: "writes/s per document",
      raisedBy: "STATS_SHARDS",
    },
    {
      part: "top character's daily-usage shard",
      demand: usageShardWritesPerSecond,
      limit: LIMITS.documentWritesPerSecond,
      unit: "writes/s per document",
      raisedBy: "USAGE_SHARDS",
    },
    {
      part: "a streaming reply document",
      demand: 1,
      limit: LIMITS.documentWritesPerSecond,
      unit: "writes/s per document",
      raisedBy: "nothing to raise: the stream is throttled to one update a second",
      byDesign: true,
    },
    {
      part: "stat shards' lastActiveAtMs index (collection group)",
      demand: activityWrites,
      limit: LIMITS.sequentialIndexWritesPerSecond,
      unit: "writes/s to one sequential index",
      raisedBy: "a code change: shard the timestamp (a shard field ahead of it in the index)",
    },
    {
      // A claim writes (generating, now + lease); finalizing writes another entry.
      part: "replies' (status, lease.expiresAtMs) index (collection group)",
      demand: messagesPerSecond,
      limit: LIMITS.sequentialIndexWritesPerSecond,
      unit: "writes/s to one sequential index",
      raisedBy: "a code change: shard the lease timestamp the sweep queries",
    },
    {
      part: "OpenAI chat requests (Tier 5)",
      demand: chatRequestsPerMinute,
      limit: LIMITS.openAi.tier5.requestsPerMinute,
      unit: "requests/min",
      raisedBy: "OpenAI: a limit increase, more organizations or projects, or a gateway",
    },
    {
      part: "OpenAI tokens (Tier 5)",
      demand: tokensPerMinute,
      limit: LIMITS.openAi.tier5.tokensPerMinute,
      unit: "tokens/min",
      raisedBy: "OpenAI: a limit increase; shorter prompts (the characters' context window)",
    },
    {
      part: "Stripe receipt lookups",
      demand: purchasesPerSecond,
      limit: LIMITS.stripeEndpointRequestsPerSecond,
      unit: "requests/s",
      raisedBy: "Stripe support",
    },
  ];
  demands.sort((a, b) => ratio(b) - ratio(a));
  return {
    concurrentUsers: users,
    messagesPerSecond,
    replySeconds,
    repliesInFlight,
    replyInstancesNeeded,
    streamingUpdatesPerReply,
    firestoreWritesPerSecond,
    statShardWritesPerSecond,
    usageShardWritesPerSecond,
    chatRequestsPerMinute,
    moderationRequestsPerMinute,
    tokensPerMinute,
    webhooksPerSecond,
    demands,
  };
}

/** The part that binds first: the highest demand against its limit (throttles aside). */
export function firstLimit(result: Capacity): Demand {
  const first = result.demands.find((demand) => !demand.byDesign);
  if (!first) throw new Error("no demands");
  return first;
}

/**
 * The settings that keep every settable part at or under 1/headroom of its limit: instances
 * for the replies in flight, shards for the top character's writes at one a second each.
 */
export function recommendedDeployment(
  workload: Workload,
  replyConcurrency: number,
  headroom = 2,
): Deployment {
  const probe = capacity(workload, {
    replyMaxInstances: 1,
    replyConcurrency,
    statsShards: 1,
    usageShards: 1,
  });
  const shardsFor = (writesPerSecond: number) =>
    Math.max(1, Math.ceil((headroom * writesPerSecond) / LIMITS.documentWritesPerSecond));
  return {
    replyMaxInstances: Math.max(1, Math.ceil(headroom * probe.replyInstancesNeeded)),
    replyConcurrency,
    statsShards: shardsFor(probe.statShardWritesPerSecond),
    usageShards: shardsFor(probe.usageShardWritesPerSecond),
  };
}

// ---- simulation ----------------------------------------------------------------------

/** A small seeded generator, so a simulation prints the same figures every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ShardLoad {
  /** Writes a second to the busiest shard, averaged over the run. */
  meanPerSecond: number;
  /** The most writes one shard took in any single second. */
  peakPerSecond: number;
}

/**
 * The top character's shard writes, message by message: arrivals are a Poisson process at
 * the workload's rate, each message goes to the top character with its share, and picks a
 * shard uniformly at random, as statShardRef and recordAiUsage do.
 */
export function simulateShardLoad(
  workload: Workload,
  shards: number,
  seconds: number,
  random: () => number,
): ShardLoad {
  const rate =
    (workload.concurrentUsers / workload.secondsBetweenMessages) * workload.topCharacterShare;
  const perShardSecond = new Map<number, number>();
  const totals = new Array<number>(shards).fill(0);
  let time = 0;
  for (;;) {
    time += -Math.log(1 - random()) / rate;
    if (time >= seconds) break;
    const shard = Math.min(shards - 1, Math.floor(random() * shards));
    totals[shard] = (totals[shard] ?? 0) + 1;
    const key = Math.floor(time) * shards + shard;
    perShardSecond.set(key, (perShardSecond.get(key) ?? 0) + 1);
  }
  let peakPerSecond = 0;
  for (const count of perShardSecond.values()) peakPerSecond = Math.max(peakPerSecond, count);
  return { meanPerSecond: Math.max(...totals) / seconds, peakPerSecond };
}
