// Chat-turn benchmark: Firestore reads and writes per turn at conversation lengths 10, 100
// and 1000, for a free and a premium user, beside a re-creation of the Firestore pattern of
// the Chatbot with Gemini extension (which reads the whole conversation every turn), and
// latency from message write to first visible text and to `complete`, with a fake provider
// that answers instantly. Run with `npm run bench:chat` (it starts Auth and Firestore
// emulators and calls the reply handler directly, as the trigger would).
import { installCounters, counts, resetCounts, trace } from "./firestore-ops";
import { startFakeOpenAI } from "../test/doubles/fake-openai";
import { db, FieldValue, Timestamp } from "../functions/src/shared/firebase";
import { onMessageCreated } from "../functions/src/chat/on-message";
import { createBenchCharacter, createBenchUser, percentile } from "./fixtures";
import { appendTurn, EMPTY_WINDOW, type ContextWindow } from "../functions/src/chat/core/memory";
import { messageMeterRef } from "../functions/src/limits/store";
import { dispatchReply } from "../functions/src/chat/dispatch";
import type { Enqueue, ReplyTask } from "../functions/src/chat/queue";
import { readSettings } from "../functions/src/config";
import { searchKeywords } from "../functions/src/contract/search";

const LENGTHS = [10, 100, 1000];
const TURNS_PER_LENGTH = Number(process.env.BENCH_TURNS ?? 20);

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
    viewingAt: FieldValue.serverTimestamp(),
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

interface TurnFigures {
  reads: number[];
  writes: number[];
  listenerReads: number[];
  first: number[];
  complete: number[];
}

/** How a turn's reply is produced: straight away, or through the reply queue. */
type Path = "direct" | "queue";

async function ourTurns(
  uid: string,
  convId: string,
  characterId: string,
  path: Path,
): Promise<TurnFigures> {
  const figures: TurnFigures = {
    reads: [],
    writes: [],
    listenerReads: [],
    first: [],
    complete: [],
  };
  for (let turn = 0; turn < TURNS_PER_LENGTH; turn++) {
    // A fresh meter before each turn (not counted), so a free user keeps chatting: the
    // turn still charges its unit and counts toward the per-minute window.
    await messageMeterRef(uid).set({ characters: {}, hits: [] });
    // The user is on the chat screen, whose app reports the conversation every 20 s (not
    // counted either): a watched reply writes no reply_ready notification.
    await db()
      .collection("conversations")
      .doc(convId)
      .update({ viewingAt: FieldValue.serverTimestamp() });
    const messageRef = db().collection("conversations").doc(convId).collection("messages").doc();
    const replyRef = messageRef.parent.doc(`${messageRef.id}_reply`);
    const text = `bench turn ${turn} [[words:30]]`;
    // As the client library sends it: with the message's search keywords.
    const data = {
      role: "user",
      type: "text",
      text,
      keywords: searchKeywords(text),
      characterId,
      userId: uid,
      createdAt: Timestamp.now(),
    };
    await messageRef.set(data);
    const written = Date.now();
    let firstSeen = 0;
    let ownSnapshots = 0;
    resetCounts();
    const unsubscribe = replyRef.onSnapshot((snapshot) => {
      ownSnapshots++;
      if (!firstSeen && String(snapshot.get("text") ?? "").length > 0) firstSeen = Date.now();
    });
    const settings = { ...readSettings(), replyPriority: path === "queue" };
    const tasks: ReplyTask[] = [];
    const enqueue: Enqueue = (task) => Promise.resolve(void tasks.push(task));
    await onMessageCreated({ convId, messageId: messageRef.id, data }, { settings, enqueue });
    // Through the queue: the worker the task reaches starts and generates the take.
    for (const task of tasks) await dispatchReply({ data: task, retryCount: 0 }, { settings });
    await new Promise((resolve) => setTimeout(resolve, 30)); // let counted promises settle
    if (trace.length > 0 && (counts.reads > 8 || counts.writes > 8)) {
      console.log(
        `trace of a ${path} turn in ${convId} above 8 reads or writes:\n  ${trace.join("\n  ")}`,
      );
    }
    figures.reads.push(counts.reads);
    figures.writes.push(counts.writes);
    figures.listenerReads.push(counts.listenerReads - ownSnapshots);
    figures.complete.push(Date.now() - written);
    unsubscribe();
    figures.first.push((firstSeen || Date.now()) - written);
  }
  return figures;
}

/**
 * A re-creation, for comparison only, of the Firestore operations the Chatbot with Gemini
 * extension makes for one turn: on a new message it marks the message as processing, reads
 * the whole conversation collection ordered by time (and the message again), calls the
 * model (not timed here), then writes the response and the completed status onto the
 * message. Counted with the same counters as our own turns.
 */
type DocumentRef = ReturnType<ReturnType<typeof db>["doc"]>;

async function extensionTurn(message: DocumentRef): Promise<void> {
  await message.update({ status: { state: "PROCESSING", updateTime: Timestamp.now() } });
  const history = await message.parent.orderBy("createdAt", "desc").get();
  await message.get();
  const prompt = history.docs.map((doc) => String(doc.get("text") ?? "")).join("\n");
  await message.update({
    response: `reply to ${prompt.length} characters of history`,
    status: { state: "COMPLETED", updateTime: Timestamp.now() },
  });
}

async function extensionTurns(convId: string): Promise<{ reads: number[]; writes: number[] }> {
  const figures = { reads: [] as number[], writes: [] as number[] };
  const messages = db().collection("conversations").doc(convId).collection("messages");
  for (let turn = 0; turn < Math.min(5, TURNS_PER_LENGTH); turn++) {
    const message = messages.doc();
    await message.set({ text: `extension turn ${turn}`, createdAt: Timestamp.now() });
    resetCounts();
    await extensionTurn(message);
    await new Promise((resolve) => setTimeout(resolve, 30));
    figures.reads.push(counts.reads);
    figures.writes.push(counts.writes);
  }
  return figures;
}

async function main(): Promise<void> {
  const fake = await startFakeOpenAI(Number(process.env.FAKE_OPENAI_PORT));
  installCounters();
  const characterId = "bench-luna";
  await createBenchCharacter(characterId);

  const rows: string[] = [];
  const allComplete: number[] = [];
  const allFirst: number[] = [];
  const tiers = [
    { name: "free, through the reply queue", premium: false, path: "queue" },
    { name: "free, REPLY_PRIORITY=false", premium: false, path: "direct" },
    { name: "premium", premium: true, path: "direct" },
  ] as const;
  for (const [index, tier] of tiers.entries()) {
    const uid = `bench-${index}`;
    await createBenchUser(uid, tier.premium);
    for (const length of LENGTHS) {
      const convId = await prepareConversation(uid, characterId, length);
      const ours = await ourTurns(uid, convId, characterId, tier.path);
      allComplete.push(...ours.complete);
      allFirst.push(...ours.first);
      rows.push(
        `| this backend, ${tier.name} | ${length} | ${TURNS_PER_LENGTH} | ${percentile(ours.reads, 50)} (max ${Math.max(...ours.reads)}) | ${percentile(ours.writes, 50)} (max ${Math.max(...ours.writes)}) | ${percentile(ours.listenerReads, 50)} | ${percentile(ours.first, 50)} / ${percentile(ours.first, 95)} | ${percentile(ours.complete, 50)} / ${percentile(ours.complete, 95)} |`,
      );
    }
  }
  for (const length of LENGTHS) {
    const convId = await prepareConversation("bench-extension", characterId, length);
    const theirs = await extensionTurns(convId);
    rows.push(
      `| Chatbot with Gemini pattern (re-created) | ${length} | ${theirs.reads.length} | ${percentile(theirs.reads, 50)} | ${percentile(theirs.writes, 50)} | - | - | - |`,
    );
  }
  console.log(
    "\n| turn | conversation length | turns | reads per turn (median) | writes per turn (median) | listener reads per turn | first text p50 / p95 ms | complete p50 / p95 ms |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
  console.log(
    `\nOur ${allComplete.length} turns: first visible text p50 ${percentile(allFirst, 50)} ms, p95 ${percentile(allFirst, 95)} ms; complete p50 ${percentile(allComplete, 50)} ms, p95 ${percentile(allComplete, 95)} ms.`,
  );
  console.log(
    "Reads and writes are the Admin SDK's document operations in the handler (claim, prepare, stream, finalize); listener reads are the snapshots the worker's reply watcher receives, which Firestore also bills. The instant provider ends each reply before its first partial write, so a turn's text arrives with the final write. The max is the turn that folds older turns into the rolling summary (every 20 turns: 2 reads, 1 write and a summarisation call); through the queue, a worker publishing the queue's wait (at most every 15 s) adds a read and a write.",
  );
  console.log(
    "The user watches the chat: its conversation's viewingAt is reported before each turn (as the app does every 20 s, not counted), so no turn writes a reply_ready notification. A first reply to a user who is away writes 2 more (the notification and the unread count) and reads nothing more.",
  );
  await fake.stop();
  process.exit(0);
}

await main();
