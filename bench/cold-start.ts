// Cold-start benchmark: for a small callable (checkUsername), the reply trigger, the Stripe
// webhook, the upload trigger and `health`, the time a fresh Node process takes to load the
// functions' index.js and serve a first call, against the same measured on the build before
// lazy loading ("today"), in the same run. Run with `npm run bench:cold`: it builds the
// functions, starts the Auth and Firestore emulators, and serves the local OpenAI and Stripe
// doubles, so every first call does its real reads and writes.
//
// "Today" is built from git (BENCH_BASELINE_REF, by default the commit before lazy loading)
// into bench/out/, with the same node_modules, so both sides load the same libraries.
//
// Each sample is its own `node bench/cold-start-child.mjs` process (no TypeScript loader in
// front of require), the two builds alternating, median of BENCH_RUNS (10).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Stripe } from "../functions/src/payments/stripe-client";
import { adminAuth, db } from "../functions/src/shared/firebase";
import { onUserCreated } from "../functions/src/identity/accounts";
import { startConversation } from "../functions/src/chat/callables";
import { createCheckoutSession } from "../functions/src/payments/checkout";
import { createCharacter } from "../test/helpers/characters";
import { startFakeOpenAI } from "../test/doubles/fake-openai";
import { fakeStripeControl, startFakeStripe } from "../test/doubles/fake-stripe";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
/** The last commit whose index.ts imported every handler module at load. */
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? "d3d0c28890f4e36e253348d616e6810d4a3ee905";
const CHARACTER_ID = "cold-start-luna";

type Kind = "callable" | "https" | "firestore-created" | "storage" | "floor";

interface Sample {
  loadMs: number;
  firstCallMs: number;
  outcome: string;
  loadedAtLoad?: string[];
  loaded: string[];
}

interface Scenario {
  label: string;
  exportName: string;
  kind: Kind;
  /** What "first call" includes, printed under the table. */
  firstCall: string;
  /** now/today goal for load + first call; null when none is set. */
  goal: number | null;
  /** The input of sample `index` (every sample gets fresh data, so none is a repeat). */
  prepare: (index: number) => Promise<Record<string, unknown>>;
  /** Throws unless the call really did its work. */
  verify: (index: number, sample: Sample) => Promise<void>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const uidOf = (index: number) => `cold-start-user-${index}`;

/** Today's functions, built from git into bench/out/ (once per commit). */
function buildBaseline(ref: string): { lib: string; description: string } {
  const commit = execFileSync("git", ["rev-parse", ref], { cwd: ROOT, encoding: "utf8" }).trim();
  const description = execFileSync("git", ["log", "-1", "--format=%h %s", commit], {
    cwd: ROOT,
    encoding: "utf8",
  }).trim();
  const dir = join(ROOT, "bench", "out", `cold-start-baseline-${commit.slice(0, 12)}`);
  const lib = join(dir, "functions", "lib");
  if (!existsSync(join(lib, "index.js"))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync("git", [
      "-C",
      ROOT,
      "archive",
      commit,
      "functions/src",
      "functions/package.json",
      "functions/tsconfig.json",
      "functions/tsconfig.build.json",
    ]);
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    symlinkSync(join(ROOT, "functions", "node_modules"), join(dir, "functions", "node_modules"));
    execFileSync(
      process.execPath,
      [
        join(ROOT, "node_modules", "typescript", "bin", "tsc"),
        "-p",
        join(dir, "functions", "tsconfig.build.json"),
      ],
      { stdio: "inherit" },
    );
  }
  return { lib, description };
}

function runChild(
  lib: string,
  scenario: Scenario,
  input: Record<string, unknown>,
): Promise<Sample> {
  const job = JSON.stringify({ lib, export: scenario.exportName, kind: scenario.kind, input });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bench", "cold-start-child.mjs"), job], {
      cwd: join(lib, ".."),
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{")) {
        reject(new Error(`${scenario.exportName} in ${lib} exited ${code}:\n${stderr}${stdout}`));
        return;
      }
      resolve(JSON.parse(last) as Sample);
    });
  });
}

function childEnv(): NodeJS.ProcessEnv {
  const projectId = process.env.GCLOUD_PROJECT ?? "demo-aichat";
  return {
    ...process.env,
    // As the Functions runtime sets it; declaring the Storage trigger needs the bucket.
    FIREBASE_CONFIG:
      process.env.FIREBASE_CONFIG ??
      JSON.stringify({ projectId, storageBucket: `${projectId}.appspot.com` }),
  };
}

async function arrangeUsers(count: number): Promise<void> {
  await createCharacter(CHARACTER_ID);
  for (let index = 0; index < count; index++) {
    const uid = uidOf(index);
    await adminAuth()
      .deleteUser(uid)
      .catch(() => undefined);
    await adminAuth().createUser({ uid, email: `${uid}@example.test` });
    await onUserCreated({ uid, email: `${uid}@example.test` });
    await db().recursiveDelete(db().collection("conversations").doc(`${uid}_${CHARACTER_ID}`));
    await startConversation({
      auth: { uid, token: { uid } },
      data: { characterId: CHARACTER_ID },
      rawRequest: { headers: {} },
      acceptsStreaming: false,
    } as unknown as Parameters<typeof startConversation>[0]);
  }
}

function expectOutcome(sample: Sample, pattern: RegExp, what: string): Promise<void> {
  if (!pattern.test(sample.outcome)) {
    throw new Error(`${what}: unexpected first-call outcome ${sample.outcome}`);
  }
  return Promise.resolve();
}

function scenarios(): Scenario[] {
  const projectId = process.env.GCLOUD_PROJECT ?? "demo-aichat";
  const stripePort = process.env.FAKE_STRIPE_PORT;
  const stripeControl = fakeStripeControl(`http://127.0.0.1:${stripePort}`);
  const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? "";
  const messageIds = new Map<number, string>();
  return [
    {
      label: "checkUsername (small callable)",
      exportName: "checkUsername",
      kind: "callable",
      firstCall:
        "checkUsername for a signed-in user: its rate-limit transaction and the username read",
      goal: 0.3,
      prepare: (index) =>
        Promise.resolve({ uid: uidOf(index), data: { username: `free_name_${index}` } }),
      verify: (_index, sample) => expectOutcome(sample, /"available":true/, "checkUsername"),
    },
    {
      label: "health",
      exportName: "health",
      kind: "https",
      firstCall: "GET /health: its Firestore read and Auth listUsers probes, and the report",
      goal: 0.3,
      prepare: () => Promise.resolve({ method: "GET", path: "/" }),
      verify: (_index, sample) => expectOutcome(sample, /^200 /, "health"),
    },
    {
      label: "onMessageCreatedReply (reply trigger)",
      exportName: "onMessageCreatedReply",
      kind: "firestore-created",
      firstCall:
        "a user's first message: claim, moderation, a 30-word streamed reply from the local OpenAI double (no added latency), finalize",
      goal: 0.6,
      prepare: async (index) => {
        const uid = uidOf(index);
        const convId = `${uid}_${CHARACTER_ID}`;
        const message = db().collection("conversations").doc(convId).collection("messages").doc();
        const createdAtMs = Date.now();
        const data = {
          role: "user",
          type: "text",
          text: "Tell me about the lighthouse. [[words:30]]",
          characterId: CHARACTER_ID,
          userId: uid,
        };
        await message.set({ ...data, createdAt: new Date(createdAtMs) });
        messageIds.set(index, message.id);
        return { params: { convId, messageId: message.id }, data, createdAtMs };
      },
      verify: async (index) => {
        const convId = `${uidOf(index)}_${CHARACTER_ID}`;
        const reply = await db()
          .collection("conversations")
          .doc(convId)
          .collection("messages")
          .doc(`${messageIds.get(index)}_reply`)
          .get();
        if (reply.get("status") !== "complete") {
          throw new Error(`reply ${reply.id} ended ${String(reply.get("status"))}`);
        }
      },
    },
    {
      label: "stripeWebhook",
      exportName: "stripeWebhook",
      kind: "https",
      firstCall:
        "a signed checkout.session.completed: signature check, the premium transaction, the receipt lookup at the Stripe double",
      goal: null,
      prepare: async (index) => {
        const uid = uidOf(index);
        const { sessionId } = await createCheckoutSession({
          auth: { uid, token: { uid, email: `${uid}@example.test` } },
          data: {
            successUrl: "http://localhost:5173/premium/done?session_id={CHECKOUT_SESSION_ID}",
            cancelUrl: "http://localhost:5173/premium",
          },
          rawRequest: { headers: {} },
          acceptsStreaming: false,
        } as unknown as Parameters<typeof createCheckoutSession>[0]);
        const body = JSON.stringify(await stripeControl.completeSession(sessionId));
        const signature = Stripe.webhooks.generateTestHeaderString({
          payload: body,
          secret: webhookSecret,
        });
        return {
          method: "POST",
          path: "/",
          headers: { "content-type": "application/json", "stripe-signature": signature },
          body,
        };
      },
      verify: (_index, sample) => expectOutcome(sample, /^200 /, "stripeWebhook"),
    },
    {
      label: "onMediaUploaded (upload trigger)",
      exportName: "onMediaUploaded",
      kind: "storage",
      firstCall:
        "a finalize event for one of its own WebP variants, which the loop guard skips: the trigger's modules (sharp included) load, but no image work or Storage I/O (no Storage emulator here; the image work is in bench:images)",
      goal: null,
      prepare: (index) =>
        Promise.resolve({
          object: {
            bucket: `${projectId}.appspot.com`,
            name: `user-content/${uidOf(index)}/photo_400.webp`,
            generation: String(1000 + index),
            contentType: "image/webp",
            size: 20_000,
            metadata: { aichatVariant: "true" },
          },
        }),
      verify: (_index, sample) => expectOutcome(sample, /^skipped$/, "onMediaUploaded"),
    },
  ];
}

function formatMs(value: number): string {
  return `${Math.round(value)}`;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** Runs `work` with this process's own log lines (the handlers that arrange data) silenced. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const cores = cpus().length;
  console.log(
    `Cold starts on ${cores} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; load average ${load.toFixed(2)}.`,
  );
  if (load > 0.5 * cores) {
    console.log(
      "WARNING: the machine is busy (load average above half its cores): figures are not comparable with an idle run.",
    );
  }
  const baseline = buildBaseline(BASELINE_REF);
  const current = join(ROOT, "functions", "lib");
  if (!existsSync(join(current, "index.js"))) throw new Error("build the functions first");
  console.log(`today = ${baseline.description}\nnow   = this tree's functions/lib`);

  const openAi = await startFakeOpenAI(Number(process.env.FAKE_OPENAI_PORT));
  const stripe = await startFakeStripe(Number(process.env.FAKE_STRIPE_PORT));
  await quietly(() => arrangeUsers(2 * RUNS));

  const list = scenarios();
  const samples = new Map<string, { today: Sample[]; now: Sample[] }>();
  for (const scenario of list) samples.set(scenario.exportName, { today: [], now: [] });
  const floor: Sample[] = [];
  const floorScenario: Scenario = {
    label: "floor",
    exportName: "",
    kind: "floor",
    firstCall: "",
    goal: null,
    prepare: () => Promise.resolve({}),
    verify: () => Promise.resolve(),
  };
  for (let round = 0; round < RUNS; round++) {
    for (const scenario of list) {
      // Alternate which build goes first, so a slow moment does not always hit the same one.
      const order = round % 2 === 0 ? (["today", "now"] as const) : (["now", "today"] as const);
      for (const side of order) {
        const index = 2 * round + (side === "today" ? 0 : 1);
        const input = await quietly(() => scenario.prepare(index));
        const sample = await runChild(side === "today" ? baseline.lib : current, scenario, input);
        await scenario.verify(index, sample);
        samples.get(scenario.exportName)?.[side].push(sample);
      }
    }
    floor.push(await runChild(current, floorScenario, {}));
    process.stdout.write(`round ${round + 1}/${RUNS} done\n`);
  }

  const todayLoads = [...samples.values()].flatMap((entry) => entry.today.map((s) => s.loadMs));
  console.log(
    `\nToday's whole-index load (require of index.js, all ${todayLoads.length} samples): median ${formatMs(median(todayLoads))} ms.`,
  );
  console.log(
    `\nMedian of ${RUNS} fresh processes each, ms: load = require(index.js); first call = the call until it answered; total = both.\n`,
  );
  console.log(
    "| function | today load / first call / total | now load / first call / total | now / today: load, total | goal (on total) |",
  );
  console.log("| --- | --- | --- | --- | --- |");
  for (const scenario of list) {
    const entry = samples.get(scenario.exportName);
    if (!entry) continue;
    const figures = (list: Sample[]) => ({
      load: median(list.map((s) => s.loadMs)),
      call: median(list.map((s) => s.firstCallMs)),
      total: median(list.map((s) => s.loadMs + s.firstCallMs)),
    });
    const today = figures(entry.today);
    const now = figures(entry.now);
    const ratio = now.total / today.total;
    const goal =
      scenario.goal === null
        ? "none set"
        : `<= ${Math.round(scenario.goal * 100)}%: ${ratio <= scenario.goal ? "met" : "not met"}`;
    console.log(
      `| ${scenario.label} | ${formatMs(today.load)} / ${formatMs(today.call)} / ${formatMs(today.total)} | ${formatMs(now.load)} / ${formatMs(now.call)} / ${formatMs(now.total)} | ${percent(now.load / today.load)}, ${percent(ratio)} | ${goal} |`,
    );
  }
  const floorTotal = median(floor.map((s) => s.loadMs + s.firstCallMs));
  console.log(
    `| floor: firebase-functions/v2/https + firebase-admin + one Firestore read, nothing of ours | | ${formatMs(median(floor.map((s) => s.loadMs)))} / ${formatMs(median(floor.map((s) => s.firstCallMs)))} / ${formatMs(floorTotal)} | | |`,
  );
  const small = samples.get("checkUsername")?.today ?? [];
  if (small.length > 0) {
    const todayTotal = median(small.map((s) => s.loadMs + s.firstCallMs));
    console.log(
      `\nThe floor is ${percent(floorTotal / todayTotal)} of checkUsername's total today: no function that reads Firestore can go below that ratio, whatever it loads.`,
    );
  }

  console.log("\nWhat each first call includes:");
  for (const scenario of list) console.log(`- ${scenario.label}: ${scenario.firstCall}.`);
  console.log(
    "- floor: the least any function that reads Firestore pays: loading the trigger builder and the Admin SDK, and the Firestore client's first request (it loads gRPC then).",
  );

  console.log("\nLibraries loaded (at index load -> after the first call):");
  for (const scenario of list) {
    const entry = samples.get(scenario.exportName);
    if (!entry) continue;
    const describe = (sample: Sample | undefined) =>
      sample
        ? `${(sample.loadedAtLoad ?? []).join(", ") || "none"} -> ${sample.loaded.join(", ") || "none"}`
        : "no sample";
    console.log(`- ${scenario.label}\n    today: ${describe(entry.today[0])}`);
    console.log(`    now:   ${describe(entry.now[0])}`);
  }

  await openAi.stop();
  await stripe.stop();
  process.exit(0);
}

await main();
