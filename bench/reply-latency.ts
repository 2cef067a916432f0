// Reply latency and streaming writes, with a fake provider that has realistic latencies
// (settable): moderation 250 ms, first token 400 ms, then 30 tokens a second.
//
// 1. Time from the message write to the first visible text and to `complete`, p50/p95, with
//    the earlier order (input moderation, then the model; text shown as it streams, the
//    whole reply moderated at the end) beside this backend's: moderation beside the model
//    call, and each piece of text moderated before anyone sees it (the default), or only
//    the whole reply at the end (OUTPUT_MODERATION=final).
// 2. Partial text writes per reply for replies of 10, 60 and 300 words.
//
// Run with `npm run bench:latency` (Auth and Firestore emulators; the reply handler is called
// directly, as the trigger would).
import { startFakeOpenAI } from "../test/doubles/fake-openai";
import { db, Timestamp } from "../functions/src/shared/firebase";
import { onMessageCreated } from "../functions/src/chat/on-message";
import type { StreamOptions } from "../functions/src/chat/stream";
import { createBenchCharacter, createBenchUser, percentile } from "./fixtures";
import { messageMeterRef } from "../functions/src/limits/store";

const MODERATION_MS = Number(process.env.BENCH_MODERATION_MS ?? 250);
const FIRST_TOKEN_MS = Number(process.env.BENCH_FIRST_TOKEN_MS ?? 400);
const TOKENS_PER_SECOND = Number(process.env.BENCH_TOKENS_PER_SECOND ?? 30);
const TURNS = Number(process.env.BENCH_TURNS ?? 20);

const uid = "bench-latency";
const characterId = "bench-luna";
const convId = `${uid}_${characterId}`;

async function arrange(): Promise<void> {
  await createBenchUser(uid, true);
  await createBenchCharacter(characterId, { maxTokens: 1000 });
}

interface Turn {
  firstMs: number;
  completeMs: number;
  textWrites: number;
}

async function turn(words: number, options: StreamOptions): Promise<Turn> {
  await messageMeterRef(uid).set({ characters: {}, hits: [] });
  const messageRef = db().collection("conversations").doc(convId).collection("messages").doc();
  const replyRef = messageRef.parent.doc(`${messageRef.id}_reply`);
  const data = {
    role: "user",
    type: "text",
    text: `tell me a story [[words:${words}]]`,
    characterId,
    userId: uid,
    createdAt: Timestamp.now(),
  };
  await messageRef.set(data);
  const written = Date.now();
  let firstSeen = 0;
  const unsubscribe = replyRef.onSnapshot((snapshot) => {
    if (!firstSeen && String(snapshot.get("text") ?? "").length > 0) firstSeen = Date.now();
  });
  const result = await onMessageCreated(
    { convId, messageId: messageRef.id, data },
    { stream: options },
  );
  const completeMs = Date.now() - written;
  // The listener may see the final write a moment after the handler returns.
  for (let i = 0; i < 100 && !firstSeen; i++) await new Promise((r) => setTimeout(r, 10));
  unsubscribe();
  if (result?.status !== "complete")
    throw new Error(`a turn ended ${result?.status ?? "unclaimed"}`);
  return { firstMs: firstSeen - written, completeMs, textWrites: result.textWrites };
}

const ORDERS: { name: string; options: StreamOptions }[] = [
  {
    name: "earlier order: moderation, then the model; reply moderated at the end",
    options: { inputModeration: "before", output: "final" },
  },
  {
    name: "moderation beside the model; reply moderated at the end (OUTPUT_MODERATION=final)",
    options: { inputModeration: "concurrent", output: "final" },
  },
  {
    name: "moderation beside the model; every piece moderated before it is shown (default)",
    options: { inputModeration: "concurrent", output: "prefix" },
  },
];

async function main(): Promise<void> {
  const fake = await startFakeOpenAI(Number(process.env.FAKE_OPENAI_PORT), {
    latency: {
      moderationMs: MODERATION_MS,
      firstTokenMs: FIRST_TOKEN_MS,
      tokenIntervalMs: Math.round(1000 / TOKENS_PER_SECOND),
    },
  });
  await arrange();
  console.log(
    `Fake provider: moderation ${MODERATION_MS} ms, first token ${FIRST_TOKEN_MS} ms, ${TOKENS_PER_SECOND} tokens/s; 60-word replies, ${TURNS} turns each.`,
  );
  console.log(
    "\n| order | first text p50 / p95 ms | complete p50 / p95 ms | first text after the first token (p50) |",
  );
  console.log("| --- | --- | --- | --- |");
  for (const order of ORDERS) {
    const turns: Turn[] = [];
    for (let i = 0; i < TURNS; i++) turns.push(await turn(60, order.options));
    const first = turns.map((t) => t.firstMs);
    const complete = turns.map((t) => t.completeMs);
    console.log(
      `| ${order.name} | ${percentile(first, 50)} / ${percentile(first, 95)} | ${percentile(complete, 50)} / ${percentile(complete, 95)} | ${percentile(first, 50) - FIRST_TOKEN_MS} ms |`,
    );
  }

  console.log(
    "\n| reply length | seconds of streaming | partial writes per reply (max) | then the final write |",
  );
  console.log("| --- | --- | --- | --- |");
  for (const words of [10, 60, 300]) {
    const writes: number[] = [];
    for (let i = 0; i < 3; i++) writes.push((await turn(words, {})).textWrites);
    console.log(
      `| ${words} words | ${(words / TOKENS_PER_SECOND).toFixed(1)} | ${percentile(writes, 50)} (${Math.max(...writes)}) | 1 |`,
    );
  }
  await fake.stop();
  process.exit(0);
}

await main();
