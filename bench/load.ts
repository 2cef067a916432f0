// Load scenario: many signed-up users chatting with several characters at once through the
// real client SDK, answered by the real reply trigger in the Functions emulator, with a fake
// provider that streams at a realistic pace. Checks that no message is lost or answered
// twice and that free-tier counters match what was answered; reports latency overhead.
// Run with `npm run bench:load` (full emulator stack). Loopback only; stops by itself.
import {
  collection,
  doc,
  getDocFromServer,
  onSnapshot,
  serverTimestamp,
  setDoc,
  type DocumentData,
  type DocumentReference,
} from "firebase/firestore";
import { z } from "../functions/node_modules/zod/index.js";
import { usageWith } from "../test/helpers/usage";
import { percentile } from "./fixtures";
import { Timestamp } from "../functions/src/shared/firebase";
import {
  fakeOpenAIControl,
  startFakeOpenAI,
  type RecordedRequest,
} from "../test/doubles/fake-openai";
import { db } from "../test/helpers/admin";
import { conversationIdFor, FINAL_STATUSES, replyRef } from "../test/helpers/chat";
import { createCharacter } from "../test/helpers/characters";
import { closeAllClientApps, signUp } from "../test/helpers/client";

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const USERS = intEnv("LOAD_USERS", 50);
const MESSAGES = intEnv("LOAD_MESSAGES", 3);
const PREMIUM_EVERY = 4; // users 4, 8, 12... are premium
// Each concurrent Auth trigger cold-starts its own emulator worker process; ten at once on
// two cores took longer than signUp's 20 s wait for the profile.
const SIGNUP_CONCURRENCY = intEnv("LOAD_SIGNUP_CONCURRENCY", 4);
const HARD_TIMEOUT_MS = intEnv("LOAD_TIMEOUT_MS", 8 * 60_000);
const AUDIT_GRACE_MS = 60_000; // after the hard timeout, the audit gets this long, then exit
const POLL_MS = 5_000; // backs the listener up (the emulator's listen stream can miss a write)
// 10 ms a chunk is 100 tokens/s, a typical streaming rate for small chat models. The
// emulator delivers Firestore trigger events one at a time (its log never shows two reply
// triggers running at once), so a run lasts about messages x (streaming + the trigger's own
// work): a slower pace would not fit the default 450 messages into the hard timeout.
const PACE_MS = intEnv("LOAD_PACE_MS", 10);
const WORDS = intEnv("LOAD_WORDS", 40);
/** The fake provider's own time per reply: one PACE_MS sleep before each of WORDS chunks. */
const PROVIDER_STREAM_MS = PACE_MS * WORDS;
/**
 * Reads and writes per turn as `npm run bench:chat` measured them (docs/benchmarks.md: a
 * premium turn, the same at conversation lengths 10, 100 and 1000). This run cannot count
 * them: the reply trigger runs in the Functions emulator's processes, not in this one.
 */
const CHAT_BENCH_PER_TURN = { reads: 14, writes: 12 };
const CHARACTERS = [
  { id: "load-luna", name: "Luna" },
  { id: "load-orion", name: "Orion" },
  { id: "load-mira", name: "Mira" },
];

type LoadClient = Awaited<ReturnType<typeof signUp>>;

interface LoadUser {
  index: number;
  premium: boolean;
  client: LoadClient;
}

interface Turn {
  uid: string;
  characterId: string;
  conversationId: string;
  messageId: string;
  tag: string;
  writeStartMs: number;
  finalSeenMs: number | null;
  seenStatus: string | null;
  seenVia: "listener" | "poll" | "timeout";
}

const startedMs = Date.now();
const deadlineMs = startedMs + HARD_TIMEOUT_MS;
const runId = startedMs.toString(36);

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function inPool<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(runners);
}

interface Seen {
  status: string | null;
  atMs: number;
  via: Turn["seenVia"];
}

/**
 * Watches a reply document with a real listener, registered before the message is written,
 * until it reaches a final status; a slow server read backs the listener up.
 */
function watchReply(ref: DocumentReference<DocumentData>): {
  arm(timeoutMs: number): Promise<Seen>;
  cancel(): void;
} {
  let settle: ((seen: Seen) => void) | null = null;
  let early: Seen | null = null;
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  const finish = (seen: Seen): void => {
    if (settle) {
      const resolve = settle;
      settle = null;
      cancel();
      resolve(seen);
    } else {
      early ??= seen;
    }
  };
  const isFinal = (status: unknown): status is string =>
    typeof status === "string" && FINAL_STATUSES.includes(status);
  const unsubscribe = onSnapshot(
    ref,
    (snapshot) => {
      const status: unknown = snapshot.get("status");
      if (isFinal(status)) finish({ status, atMs: Date.now(), via: "listener" });
    },
    () => undefined, // the poll below still sees the reply
  );
  const cancel = (): void => {
    clearTimeout(timer);
    clearInterval(poll);
    unsubscribe();
  };
  return {
    arm(timeoutMs) {
      return new Promise<Seen>((resolve) => {
        if (early) {
          cancel();
          resolve(early);
          return;
        }
        settle = resolve;
        timer = setTimeout(
          () => finish({ status: null, atMs: Date.now(), via: "timeout" }),
          Math.max(0, timeoutMs),
        );
        poll = setInterval(() => {
          getDocFromServer(ref)
            .then((snapshot) => {
              const status: unknown = snapshot.get("status");
              if (isFinal(status)) finish({ status, atMs: Date.now(), via: "poll" });
            })
            .catch(() => undefined);
        }, POLL_MS);
      });
    },
    cancel,
  };
}

let sendErrors = 0;

async function converse(user: LoadUser, character: (typeof CHARACTERS)[number], turns: Turn[]) {
  const { client } = user;
  const uid = client.user.uid;
  const conversationId = conversationIdFor(uid, character.id);
  for (let m = 1; m <= MESSAGES; m++) {
    if (Date.now() >= deadlineMs) return;
    const messageRef = doc(collection(client.db, "conversations", conversationId, "messages"));
    const tag = `ltag-${runId}-u${user.index}-${character.id}-m${m}`;
    const watcher = watchReply(replyRef(client, conversationId, messageRef.id));
    const writeStartMs = Date.now();
    try {
      await setDoc(messageRef, {
        role: "user",
        type: "text",
        text: `Hi ${character.name}, this is message ${m} of ${MESSAGES} from load user ${user.index}. ${tag} [[pace:${PACE_MS}]] [[words:${WORDS}]]`,
        characterId: character.id,
        userId: uid,
        createdAt: serverTimestamp(),
      });
    } catch (error) {
      watcher.cancel();
      sendErrors++;
      console.error(`send failed (${tag}): ${String(error)}`);
      continue;
    }
    const turn: Turn = {
      uid,
      characterId: character.id,
      conversationId,
      messageId: messageRef.id,
      tag,
      writeStartMs,
      finalSeenMs: null,
      seenStatus: null,
      seenVia: "timeout",
    };
    turns.push(turn);
    const seen = await watcher.arm(deadlineMs - Date.now());
    turn.seenVia = seen.via;
    turn.seenStatus = seen.status;
    turn.finalSeenMs = seen.status === null ? null : seen.atMs;
  }
}

const chatRequestSchema = z.object({
  stream: z.boolean().nullish(),
  messages: z.array(
    z.object({
      role: z.string(),
      content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
    }),
  ),
});

/** Streamed chat completions per message tag (the tag in the request's last user message). */
function modelCallsByTag(records: RecordedRequest[]): Map<string, number[]> {
  const calls = new Map<string, number[]>();
  for (const record of records) {
    if (record.path !== "/v1/chat/completions") continue;
    const parsed = chatRequestSchema.safeParse(record.body);
    if (!parsed.success || parsed.data.stream !== true) continue; // summaries are not streamed
    const users = parsed.data.messages.filter((message) => message.role === "user");
    const last = users[users.length - 1]?.content;
    const text = typeof last === "string" ? last : JSON.stringify(last ?? "");
    for (const tag of text.match(/ltag-[a-z0-9]+-u\d+-[a-z-]+-m\d+/g) ?? []) {
      calls.set(tag, [...(calls.get(tag) ?? []), record.atMs]);
    }
  }
  return calls;
}

interface Audit {
  finalStatus: Map<string, string>; // messageId -> final status of its reply document
  duplicateReplyDocs: string[];
  duplicateModelCalls: string[];
  usageMismatches: string[];
  firstModelCallMs: Map<string, number>; // tag -> arrival of its first model request
}

async function audit(turns: Turn[], users: LoadUser[]): Promise<Audit> {
  const finalStatus = new Map<string, string>();
  const duplicateReplyDocs: string[] = [];
  const conversations = [...new Set(turns.map((turn) => turn.conversationId))];
  await inPool(conversations, 20, async (conversationId) => {
    const snapshot = await db()
      .collection("conversations")
      .doc(conversationId)
      .collection("messages")
      .get();
    const repliesTo = new Map<string, string[]>();
    for (const message of snapshot.docs) {
      const replyTo: unknown = message.get("replyTo");
      if (message.get("role") !== "assistant" || typeof replyTo !== "string") continue;
      repliesTo.set(replyTo, [...(repliesTo.get(replyTo) ?? []), message.id]);
      const status: unknown = message.get("status");
      if (
        message.id === `${replyTo}_reply` &&
        typeof status === "string" &&
        FINAL_STATUSES.includes(status)
      ) {
        finalStatus.set(replyTo, status);
      }
    }
    for (const [messageId, ids] of repliesTo) {
      if (ids.length > 1)
        duplicateReplyDocs.push(`${conversationId}/${messageId}: ${ids.join(", ")}`);
    }
  });

  const records = await fakeOpenAIControl(
    `http://127.0.0.1:${process.env.FAKE_OPENAI_PORT}`,
  ).requests(`ltag-${runId}-`);
  const calls = modelCallsByTag(records);
  const duplicateModelCalls = [...calls]
    .filter(([, times]) => times.length > 1)
    .map(([tag, times]) => `${tag}: ${times.length} model calls`);
  const firstModelCallMs = new Map([...calls].map(([tag, times]) => [tag, Math.min(...times)]));

  const usageMismatches: string[] = [];
  await inPool(
    users.filter((user) => !user.premium),
    20,
    async (user) => {
      const uid = user.client.user.uid;
      for (const character of CHARACTERS) {
        const completed = turns.filter(
          (turn) =>
            turn.uid === uid &&
            turn.characterId === character.id &&
            finalStatus.get(turn.messageId) === "complete",
        ).length;
        const counted = (await usageWith(uid, character.id)).text;
        if (counted !== completed) {
          usageMismatches.push(
            `${uid} with ${character.id}: text ${counted}, complete replies ${completed}`,
          );
        }
      }
    },
  );
  return {
    finalStatus,
    duplicateReplyDocs,
    duplicateModelCalls,
    usageMismatches,
    firstModelCallMs,
  };
}

async function main(): Promise<number> {
  const fake = await startFakeOpenAI(Number(process.env.FAKE_OPENAI_PORT));
  await Promise.all(
    CHARACTERS.map((character) =>
      createCharacter(character.id, {
        name: character.name,
        greeting: `Hello, I am ${character.name}.`,
      }),
    ),
  );

  // Sign-ups in a bounded pool, after one alone that warms the Auth trigger's first worker:
  // each one waits for the onUserCreated trigger's profile.
  const users: LoadUser[] = [];
  let signupErrors = 0;
  let signupRetries = 0;
  const indexes = Array.from({ length: USERS }, (_, i) => i + 1);
  const signUpOne = async (index: number): Promise<void> => {
    if (Date.now() >= deadlineMs) return;
    try {
      // The emulator's listen stream can miss a write: once in a while a client never sees
      // its profile although onUserCreated wrote it. Such a user signs up again, once.
      const client = await signUp(`load${index}`).catch((error: unknown) => {
        signupRetries++;
        console.error(`sign-up ${index}: ${String(error)}; signing up again`);
        return signUp(`load${index}r`);
      });
      const premium = index % PREMIUM_EVERY === 0;
      if (premium) {
        await db()
          .collection("users")
          .doc(client.user.uid)
          .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 7 * 86_400_000) });
      }
      users.push({ index, premium, client });
    } catch (error) {
      signupErrors++;
      console.error(`sign-up ${index} failed: ${String(error)}`);
    }
  };
  await inPool(indexes.slice(0, 1), 1, signUpOne);
  await inPool(indexes.slice(1), SIGNUP_CONCURRENCY, signUpOne);
  const signedUpMs = Date.now();
  console.log(`${users.length} users signed up in ${seconds(signedUpMs - startedMs)}; chatting...`);

  // Every user talks to every character at once; each conversation waits for its reply.
  const turns: Turn[] = [];
  await Promise.all(
    users.flatMap((user) => CHARACTERS.map((character) => converse(user, character, turns))),
  );
  const chattedMs = Date.now();
  const timedOut = chattedMs >= deadlineMs;

  const result = await audit(turns, users);
  const lost = turns.filter((turn) => !result.finalStatus.has(turn.messageId));
  const completed = turns.filter((turn) => result.finalStatus.get(turn.messageId) === "complete");
  const statusCounts = new Map<string, number>();
  for (const status of result.finalStatus.values())
    statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
  const duplicated = result.duplicateReplyDocs.length + result.duplicateModelCalls.length;

  const timed = completed.filter(
    (turn) => turn.finalSeenMs !== null && turn.seenStatus === "complete",
  );
  const overhead = timed.map(
    (turn) => (turn.finalSeenMs ?? 0) - turn.writeStartMs - PROVIDER_STREAM_MS,
  );
  // Split at the model request's arrival at the fake provider (same clock, same process).
  const beforeModel: number[] = [];
  const afterModel: number[] = [];
  for (const turn of timed) {
    const first = result.firstModelCallMs.get(turn.tag);
    if (first === undefined) continue;
    beforeModel.push(first - turn.writeStartMs);
    afterModel.push((turn.finalSeenMs ?? 0) - first - PROVIDER_STREAM_MS);
  }
  const spread = (values: number[]): string =>
    [50, 95, 99].map((p) => ms(percentile(values, p))).join(" / ");
  const ms = (value: number): string => `${Math.round(value)} ms`;
  const viaPoll = timed.filter((turn) => turn.seenVia === "poll").length;
  const free = users.filter((user) => !user.premium).length;
  const others = [...statusCounts].filter(([status]) => status !== "complete");

  const rows: [string, string][] = [
    [
      "users (free / premium)",
      `${users.length} (${free} / ${users.length - free})${signupRetries ? `, ${signupRetries} sign-ups retried` : ""}${signupErrors ? `, ${signupErrors} failed` : ""}`,
    ],
    [
      "users x characters x messages",
      `${users.length} x ${CHARACTERS.length} x ${MESSAGES}, \`[[pace:${PACE_MS}]] [[words:${WORDS}]]\``,
    ],
    ["messages sent", `${turns.length}${sendErrors ? ` (${sendErrors} writes refused)` : ""}`],
    [
      "replies completed",
      `${completed.length}${others.length ? ` (other final: ${others.map(([s, n]) => `${s} ${n}`).join(", ")})` : ""}`,
    ],
    ["lost (no final reply)", String(lost.length)],
    [
      "duplicated (reply docs / model calls)",
      `${duplicated} (${result.duplicateReplyDocs.length} / ${result.duplicateModelCalls.length})`,
    ],
    [
      "usage counter mismatches (free user x character)",
      `${result.usageMismatches.length} of ${free * CHARACTERS.length}`,
    ],
    ["reply latency overhead p50 / p95 / p99", spread(overhead)],
    ["- write -> model request (queue, claim, moderation)", spread(beforeModel)],
    ["- model request -> `complete` seen, minus streaming", spread(afterModel)],
    [
      "replies per second (chat phase)",
      (completed.length / Math.max(1, (chattedMs - signedUpMs) / 1000)).toFixed(2),
    ],
    [
      "Firestore reads / writes per turn",
      `${CHAT_BENCH_PER_TURN.reads} / ${CHAT_BENCH_PER_TURN.writes}: from \`npm run bench:chat\` (premium turn; a free turn adds a rate-limit read and write), not counted in this run`,
    ],
    [
      "wall time (sign-up / chat / total)",
      `${seconds(signedUpMs - startedMs)} / ${seconds(chattedMs - signedUpMs)} / ${seconds(Date.now() - startedMs)}`,
    ],
  ];
  console.log("\n| load scenario | result |\n| --- | --- |");
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
  console.log(
    `\nOverhead = time from the client's message write to \`complete\` seen by its listener, minus ` +
      `the provider's computed streaming time (${PACE_MS} ms pace x ${WORDS} chunks = ${PROVIDER_STREAM_MS} ms); ` +
      `${timed.length} replies timed, ${viaPoll} of them seen by the backing poll rather than the listener.`,
  );
  if (timedOut) console.log(`Hard timeout (${seconds(HARD_TIMEOUT_MS)}) reached: partial results.`);
  for (const turn of lost.slice(0, 10))
    console.log(`lost: ${turn.conversationId}/${turn.messageId} (${turn.tag})`);
  for (const line of [
    ...result.duplicateReplyDocs,
    ...result.duplicateModelCalls,
    ...result.usageMismatches,
  ].slice(0, 20)) {
    console.log(`problem: ${line}`);
  }

  await closeAllClientApps();
  await fake.stop();
  const ok =
    lost.length === 0 &&
    duplicated === 0 &&
    result.usageMismatches.length === 0 &&
    !timedOut &&
    signupErrors === 0 &&
    sendErrors === 0;
  return ok ? 0 : 1;
}

// The hard stop: whatever happens, the process ends shortly after the timeout.
setTimeout(() => {
  console.error(
    `load scenario: no report ${seconds(HARD_TIMEOUT_MS + AUDIT_GRACE_MS)} after start; giving up`,
  );
  process.exit(2);
}, HARD_TIMEOUT_MS + AUDIT_GRACE_MS).unref();

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
