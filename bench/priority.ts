// Premium priority under load: 40 free and 10 premium users send a message at the same
// moment to a fake provider with a hard rate limit (429 above N chat requests a second).
// Prints time to first visible text, p50/p95, per group, with the reply queue on (free
// replies wait in it) and off (everyone calls the provider at once), beside premium
// replies on an unloaded provider; and checks nothing is lost, nothing answered twice and
// every free user's usage is exact.
//
// The Functions emulator delivers Firestore trigger events one at a time, which would
// measure the emulator rather than the design, so the benchmark calls the handlers directly
// (the reply trigger's and the queue worker's, all at once as deployed instances would) and
// stands in for Cloud Tasks with a model of its queue policy: at most
// REPLY_QUEUE_DISPATCHES_PER_SECOND dispatches a second, REPLY_QUEUE_CONCURRENCY at once,
// and a failed delivery retried after a backoff that doubles. Firestore is the emulator.
// Run with `npm run bench:priority`.
import { onMessageCreated } from "../functions/src/chat/on-message";
import { dispatchReply } from "../functions/src/chat/dispatch";
import type { Enqueue, ReplyTask } from "../functions/src/chat/queue";
import { readSettings, type Settings } from "../functions/src/config";
import { createBenchCharacter, createBenchUser, percentile } from "./fixtures";
import { db, Timestamp } from "../functions/src/shared/firebase";
import { startFakeOpenAI } from "../test/doubles/fake-openai";
import { usageWith } from "../test/helpers/usage";

const FREE_USERS = Number(process.env.BENCH_FREE ?? 40);
const PREMIUM_USERS = Number(process.env.BENCH_PREMIUM ?? 10);
/** The provider's hard limit: premium's 10 at once fit, with the queue's 5 a second beside. */
const PROVIDER_RPS = Number(process.env.BENCH_PROVIDER_RPS ?? 15);
const QUEUE_RPS = Number(process.env.BENCH_QUEUE_RPS ?? 5);
const QUEUE_CONCURRENCY = Number(process.env.BENCH_QUEUE_CONCURRENCY ?? 20);
/** The queue's backoff, scaled down from production's 5-60 s so a run takes a minute. */
const QUEUE_MIN_BACKOFF_MS = Number(process.env.BENCH_QUEUE_BACKOFF_MS ?? 1000);
const WORDS = 30;
const characterId = "bench-luna";

/** Cloud Tasks' queue policy, modelled: a token bucket, a concurrency cap, retries with backoff. */
class QueueModel {
  private readonly waiting: { task: ReplyTask; retryCount: number; notBeforeMs: number }[] = [];
  private running = 0;
  private tokens = 1;
  private lastRefillMs = Date.now();
  private timer: NodeJS.Timeout;
  readonly settled: Promise<void>;
  private resolveSettled: () => void = () => undefined;
  private enqueued = 0;
  private finished = 0;

  constructor(
    private readonly settings: Settings,
    private readonly rps: number,
    private readonly concurrency: number,
  ) {
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
    this.timer = setInterval(() => this.pump(), 20);
  }

  enqueue: Enqueue = (task) => {
    this.enqueued++;
    this.waiting.push({ task, retryCount: 0, notBeforeMs: Date.now() });
    return Promise.resolve();
  };

  private pump(): void {
    const now = Date.now();
    this.tokens = Math.min(
      Math.max(this.rps, 1),
      this.tokens + ((now - this.lastRefillMs) / 1000) * this.rps,
    );
    this.lastRefillMs = now;
    while (this.running < this.concurrency && this.tokens >= 1) {
      const index = this.waiting.findIndex((entry) => entry.notBeforeMs <= now);
      if (index === -1) break;
      const [entry] = this.waiting.splice(index, 1);
      if (!entry) break;
      this.tokens -= 1;
      this.running++;
      void dispatchReply(
        { data: entry.task, retryCount: entry.retryCount },
        { settings: this.settings },
      )
        .then(
          () => this.finished++,
          () => {
            // A failed delivery (the take went back to the queue) is retried after a backoff.
            const backoff = QUEUE_MIN_BACKOFF_MS * 2 ** entry.retryCount;
            this.waiting.push({
              task: entry.task,
              retryCount: entry.retryCount + 1,
              notBeforeMs: Date.now() + backoff,
            });
          },
        )
        .finally(() => {
          this.running--;
          if (this.finished === this.enqueued && this.waiting.length === 0 && this.running === 0)
            this.resolveSettled();
        });
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

interface User {
  uid: string;
  premium: boolean;
}

async function arrange(round: string): Promise<User[]> {
  await createBenchCharacter(characterId);
  const users: User[] = [
    ...Array.from({ length: FREE_USERS }, (_, i) => ({
      uid: `${round}-free-${i}`,
      premium: false,
    })),
    ...Array.from({ length: PREMIUM_USERS }, (_, i) => ({
      uid: `${round}-premium-${i}`,
      premium: true,
    })),
  ];
  await Promise.all(users.map((user) => createBenchUser(user.uid, user.premium)));
  return users;
}

interface Outcome {
  user: User;
  firstMs: number | null;
  status: string;
}

async function burst(
  users: User[],
  settings: Settings,
  queue: QueueModel | null,
): Promise<Outcome[]> {
  const sends = users.map(async (user): Promise<Outcome> => {
    const convId = `${user.uid}_${characterId}`;
    const messageRef = db().collection("conversations").doc(convId).collection("messages").doc();
    const replyRef = messageRef.parent.doc(`${messageRef.id}_reply`);
    const data = {
      role: "user",
      type: "text",
      text: `burst [[words:${WORDS}]] ${user.uid}`,
      characterId,
      userId: user.uid,
      createdAt: Timestamp.now(),
    };
    await messageRef.set(data);
    const written = Date.now();
    let firstMs: number | null = null;
    let status = "";
    const done = new Promise<void>((resolve) => {
      const stop = replyRef.onSnapshot((snapshot) => {
        if (firstMs === null && String(snapshot.get("text") ?? "").length > 0)
          firstMs = Date.now() - written;
        status = String(snapshot.get("status") ?? "");
        if (
          ["complete", "failed", "blocked", "stopped", "limit_reached", "rate_limited"].includes(
            status,
          )
        ) {
          stop();
          resolve();
        }
      });
    });
    await onMessageCreated(
      { convId, messageId: messageRef.id, data },
      { settings, ...(queue ? { enqueue: queue.enqueue } : {}) },
    );
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 180_000))]);
    return { user, firstMs, status };
  });
  return Promise.all(sends);
}

function row(name: string, outcomes: Outcome[]): string {
  const first = outcomes.map((o) => o.firstMs).filter((ms): ms is number => ms !== null);
  const complete = outcomes.filter((o) => o.status === "complete").length;
  const failed = outcomes.filter((o) => o.status === "failed").length;
  return `| ${name} | ${outcomes.length} | ${percentile(first, 50)} / ${percentile(first, 95)} ms | ${complete} | ${failed} |`;
}

async function checkRun(outcomes: Outcome[], calls: () => Promise<Map<string, number>>) {
  const lost = outcomes.filter((o) => !["complete", "failed"].includes(o.status)).length;
  const perUser = await calls();
  const answeredTwice = [...perUser.values()].filter((n) => n > 1).length;
  let usageWrong = 0;
  for (const outcome of outcomes.filter((o) => !o.user.premium)) {
    const used = (await usageWith(outcome.user.uid, characterId)).text;
    if (used !== (outcome.status === "complete" ? 1 : 0)) usageWrong++;
  }
  return { lost, answeredTwice, usageWrong };
}

async function main(): Promise<void> {
  const fake = await startFakeOpenAI(Number(process.env.FAKE_OPENAI_PORT), {
    latency: {
      chatRequestsPerSecond: PROVIDER_RPS,
      moderationMs: 250,
      firstTokenMs: 400,
      tokenIntervalMs: Math.round(1000 / 30),
    },
  });
  // The production call timeout: a slow stream on a busy machine must not look like a retry.
  const base: Settings = { ...readSettings(), openAiTimeoutMs: 30_000 };
  const requestsFor = async (prefix: string) => {
    const response = await fetch(
      `${fake.origin}/__requests?contains=${encodeURIComponent(prefix)}`,
    );
    const records = (await response.json()) as { path: string; rawBody: string; status?: number }[];
    const counts = new Map<string, number>();
    // Answers (200s) per user's message; a request turned away with 429 is not an answer.
    for (const record of records.filter(
      (r) => r.path === "/v1/chat/completions" && r.status === 200,
    )) {
      const uid = /burst \[\[words:\d+\]\] (\S+)/.exec(record.rawBody)?.[1] ?? "?";
      counts.set(uid, (counts.get(uid) ?? 0) + 1);
    }
    return counts;
  };
  console.log(
    `Provider: ${PROVIDER_RPS} chat requests a second (429 above), moderation 250 ms, first token 400 ms, 30 tokens/s, ${WORDS}-word replies. Queue: ${QUEUE_RPS} dispatches/s, ${QUEUE_CONCURRENCY} at once, backoff from ${QUEUE_MIN_BACKOFF_MS} ms.`,
  );

  // Premium on an unloaded provider: the value premium should stay close to.
  const alone = (await arrange("alone")).filter((u) => u.premium);
  const aloneOutcomes = await burst(alone, { ...base, replyPriority: true }, null);

  const results: {
    name: string;
    outcomes: Outcome[];
    checks: Awaited<ReturnType<typeof checkRun>>;
  }[] = [];
  for (const priority of [true, false]) {
    const round = priority ? "on" : "off";
    const users = await arrange(round);
    const settings: Settings = { ...base, replyPriority: priority };
    const queue = priority ? new QueueModel(settings, QUEUE_RPS, QUEUE_CONCURRENCY) : null;
    const outcomes = await burst(users, settings, queue);
    if (queue) {
      await Promise.race([queue.settled, new Promise((r) => setTimeout(r, 5000))]);
      queue.stop();
    }
    const checks = await checkRun(outcomes, () => requestsFor(`${round}-`));
    results.push({ name: `priority ${round}`, outcomes, checks });
  }

  console.log("\n| run, group | users | first text p50 / p95 | complete | failed |");
  console.log("| --- | --- | --- | --- | --- |");
  console.log(row("unloaded, premium", aloneOutcomes));
  for (const result of results) {
    console.log(
      row(
        `${result.name}, premium`,
        result.outcomes.filter((o) => o.user.premium),
      ),
    );
    console.log(
      row(
        `${result.name}, free`,
        result.outcomes.filter((o) => !o.user.premium),
      ),
    );
  }
  console.log("\n| run | lost | answered twice | usage mismatches |");
  console.log("| --- | --- | --- | --- |");
  for (const result of results)
    console.log(
      `| ${result.name} | ${result.checks.lost} | ${result.checks.answeredTwice} | ${result.checks.usageWrong} |`,
    );
  console.log(
    "\n`answered twice`: messages the provider answered (200) more than once; `lost`: messages with no final status; `usage mismatches`: free users whose counted messages differ from their complete replies.",
  );
  await fake.stop();
  process.exit(0);
}

await main();
