// Chat-turn benchmark: Firestore reads and writes per turn at conversation lengths 10, 100
// and 1000, and latency from message write to first visible text and to `complete`, with a
// fake provider that answers instantly. Run with `npm run bench:chat` (it starts Auth and
// Firestore emulators and calls the reply handler directly, as the trigger would).
import { installCounters, counts, resetCounts } from "./firestore-ops";
import { startFakeOpenAI } from "../test/doubles/fake-openai";
import { db, FieldValue, Timestamp } from "../functions/src/shared/firebase";
import { onMessageCreated } from "../functions/src/chat/on-message";
import {
  aiSettingsSchema,
  characterProfileSchema,
  EMPTY_STATS,
} from "../functions/src/contract/characters";
import { appendTurn, EMPTY_WINDOW, type ContextWindow } from "../functions/src/chat/core/memory";

const LENGTHS = [10, 100, 1000];
const TURNS_PER_LENGTH = Number(process.env.BENCH_TURNS ?? 40);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function prepareConversation(
  uid: string,
  characterId: string,
  length: number,
): Promise<string> {
  const convId = `${uid}_${characterId}`;
  const conversation = db().collection("conversations").doc(convId);
  await db().recursiveDelete(conversation);
  let window: ContextWindow = EMPTY_WINDOW;
  const base = Date.now() - length * 2000;
  for (let start = 0; start < length; start += 250) {
    const batch = db().batch();
    for (let i = start; i < Math.min(length, start + 250); i++) {
      const role = i % 2 === 0 ? "user" : "assistant";
      const text = `${role} turn ${i}: a sentence about the sea and the stars.`;
      batch.set(conversation.collection("messages").doc(`old-${i}`), {
        role,
        text,
        userId: uid,
        characterId,
        type: "text",
        ...(role === "assistant" ? { status: "complete", replyTo: `old-${i - 1}` } : {}),
        createdAt: Timestamp.fromMillis(base + i * 1000),
      });
      window = appendTurn(window, { id: `old-${i}`, role, text, atMs: base + i * 1000 });
    }
    await batch.commit();
  }
  await conversation.set({
    userId: uid,
    characterId,
    counts: {
      user: { text: Math.ceil(length / 2), audio: 0, media: 0 },
      assistant: Math.floor(length / 2),
    },
    tokens: { prompt: 0, completion: 0, cached: 0 },
    costUsd: 0,
    unread: 0,
    lastReadAt: null,
    lastMessage: null,
    deleted: false,
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  });
  await conversation
    .collection("context")
    .doc("window")
    .set({ ...window, summary: "" });
  return convId;
}

async function main(): Promise<void> {
  const fake = await startFakeOpenAI(Number(process.env.FAKE_OPENAI_PORT));
  installCounters();
  const uid = "bench-user";
  const characterId = "bench-luna";
  await db()
    .collection("users")
    .doc(uid)
    .set({
      uid,
      email: "bench@example.test",
      username: null,
      displayName: "Bench",
      bio: "",
      avatarPath: null,
      preferences: {},
      role: "user",
      // Premium: the benchmark measures the turn, not the free tier's end.
      premiumUntil: Timestamp.fromMillis(Date.now() + 86_400_000),
      deactivated: false,
      createdAt: FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
  const character = db().collection("characters").doc(characterId);
  await character.set({
    ...characterProfileSchema.parse({ name: "Luna", greeting: "Hello!", published: true }),
    stats: EMPTY_STATS,
  });
  await character
    .collection("private")
    .doc("ai")
    .set(aiSettingsSchema.parse({ model: "gpt-4o-mini" }));

  const rows: string[] = [];
  const allComplete: number[] = [];
  const allFirst: number[] = [];
  for (const length of LENGTHS) {
    const convId = await prepareConversation(uid, characterId, length);
    const reads: number[] = [];
    const writes: number[] = [];
    const complete: number[] = [];
    const first: number[] = [];
    for (let turn = 0; turn < TURNS_PER_LENGTH; turn++) {
      const messageRef = db().collection("conversations").doc(convId).collection("messages").doc();
      const replyRef = messageRef.parent.doc(`${messageRef.id}_reply`);
      const data = {
        role: "user",
        type: "text",
        text: `bench turn ${turn} [[words:30]]`,
        characterId,
        userId: uid,
        createdAt: Timestamp.now(),
      };
      const written = Date.now();
      await messageRef.set(data);
      let firstSeen = 0;
      const unsubscribe = replyRef.onSnapshot((snapshot) => {
        if (!firstSeen && String(snapshot.get("text") ?? "").length > 0) firstSeen = Date.now();
      });
      resetCounts();
      await onMessageCreated({ convId, messageId: messageRef.id, data });
      await new Promise((resolve) => setTimeout(resolve, 20)); // let counted promises settle
      reads.push(counts.reads);
      writes.push(counts.writes);
      complete.push(Date.now() - written);
      unsubscribe();
      first.push((firstSeen || Date.now()) - written);
    }
    allComplete.push(...complete);
    allFirst.push(...first);
    rows.push(
      `| ${length} | ${TURNS_PER_LENGTH} | ${percentile(reads, 50)} (max ${Math.max(...reads)}) | ${percentile(writes, 50)} (max ${Math.max(...writes)}) | ${percentile(first, 50)} / ${percentile(first, 95)} | ${percentile(complete, 50)} / ${percentile(complete, 95)} |`,
    );
  }
  console.log(
    "\n| conversation length | turns | reads per turn (median) | writes per turn (median) | first text p50 / p95 ms | complete p50 / p95 ms |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
  console.log(
    `\nAll ${allComplete.length} turns: first text p50 ${percentile(allFirst, 50)} ms, p95 ${percentile(allFirst, 95)} ms; complete p50 ${percentile(allComplete, 50)} ms, p95 ${percentile(allComplete, 95)} ms.`,
  );
  await fake.stop();
  process.exit(0);
}

await main();
