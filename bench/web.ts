// The reference web app, three figures in one run (`npm run bench:web`):
// 1. its bundle as built (web/dist): JS and CSS, raw and gzip level 9, per file and total;
// 2. `npm start` (free ports, no OpenAI key) from spawn until the app answers with its HTML
//    and the seed data is loaded, with the parts its output shows, then a Ctrl-C stop that
//    must leave no process behind (WEB_BENCH_START_RUNS=N starts it N times; default 1);
// 3. in that stack, Send -> first visible reply text and -> `complete` in headless Chromium,
//    the premium demo account chatting with a seeded character (the offline responder
//    answers), WEB_BENCH_TURNS turns (default 20) after one warm-up turn.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { launchBrowser } from "../test/browser/chromium";
import { GZIP_LEVEL, measureBundle, type BundleFile } from "./web/bundle";
import { openChat, timeTurn, type TurnTiming } from "./web/send-to-reply";
import { startStack, stopStack, type RunningStack, type StopResult } from "./web/stack";
import { summarise } from "./web/stats";

const START_RUNS = Math.max(1, Number(process.env.WEB_BENCH_START_RUNS ?? 1));
const TURNS = Math.max(1, Number(process.env.WEB_BENCH_TURNS ?? 20));
const ECHO = process.env.WEB_BENCH_ECHO === "1";
const PREMIUM = { email: "premium@aichat.test", password: "premium-password" };
const CHARACTER = "Luna Stargazer";
const OFFLINE_LABEL = "[offline responder]";
// Premium's rate limit is 30 messages a minute (PREMIUM_MESSAGES_PER_MINUTE); stay under it.
const SENDS_PER_MINUTE = 25;
const OUT = join(import.meta.dirname, "out");

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const ms = (value: number) => `${Math.round(value)} ms`;
const s = (value: number | undefined) =>
  value === undefined ? "not seen" : `${(value / 1000).toFixed(1)} s`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) =>
    Math.max(cell.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ")} |`;
  return [
    line(header),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...rows.map(line),
  ].join("\n");
}

function bundleReport(files: BundleFile[]): string {
  const rows = files.map((file) => [
    file.file,
    file.kind,
    file.initial ? "yes" : "lazy",
    kB(file.rawBytes),
    kB(file.gzipBytes),
  ]);
  const total = (pick: (file: BundleFile) => boolean, label: string) => {
    const chosen = files.filter(pick);
    rows.push([
      label,
      "",
      "",
      kB(chosen.reduce((sum, file) => sum + file.rawBytes, 0)),
      kB(chosen.reduce((sum, file) => sum + file.gzipBytes, 0)),
    ]);
  };
  total((file) => file.kind !== "html", "total JS + CSS");
  total((file) => file.kind !== "html" && file.initial, "first load JS + CSS");
  return table(["file (web/dist)", "kind", "first load", "raw", `gzip -${GZIP_LEVEL}`], rows);
}

interface StartRun {
  stack: RunningStack;
  stop: StopResult;
}

function startReport(runs: StartRun[]): string {
  const rows = runs.map(({ stack, stop }, index) => {
    const m = stack.marks;
    const part = (from: number | undefined, to: number | undefined) =>
      from === undefined || to === undefined ? "?" : s(to - from);
    return [
      String(index + 1),
      s(m.installChecked),
      part(m.installChecked, m.built),
      part(m.built, m.emulatorsReady),
      part(m.emulatorsReady, m.seeded),
      part(m.seeded, stack.answeringMs),
      s(stack.answeringMs),
      s(stop.stopMs),
      stop.leftBehind.length === 0 ? "none" : String(stop.leftBehind.length),
    ];
  });
  return table(
    [
      "run",
      "install check",
      "build",
      "emulators up",
      "health + seed",
      "to answering",
      "total",
      "Ctrl-C stop",
      "left behind",
    ],
    rows,
  );
}

function turnsReport(turns: TurnTiming[]): string {
  const rows = [
    ["Send -> first reply text", summarise(turns.map((turn) => turn.firstTextMs))],
    ["Send -> complete", summarise(turns.map((turn) => turn.completeMs))],
  ] as const;
  return table(
    ["in the browser", "turns", "median", "p95", "min", "max"],
    rows.map(([name, summary]) => [
      name,
      String(summary.count),
      ms(summary.median),
      ms(summary.p95),
      ms(summary.min),
      ms(summary.max),
    ]),
  );
}

async function chat(
  appUrl: string,
): Promise<{ warmUp: TurnTiming; turns: TurnTiming[]; browser: string }> {
  const browser = await launchBrowser();
  try {
    const page = await openChat(browser, appUrl, PREMIUM, CHARACTER);
    const sentAt: number[] = [];
    const turn = async (index: number) => {
      const windowStart = sentAt[sentAt.length - SENDS_PER_MINUTE];
      if (windowStart !== undefined) {
        const wait = windowStart + 60_000 - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      sentAt.push(Date.now());
      const timing = await timeTurn(page, `Tell me about the stars tonight, message ${index}.`);
      if (!timing.text.includes(OFFLINE_LABEL)) {
        throw new Error(`the reply is not the offline responder's: "${timing.text.slice(0, 120)}"`);
      }
      return timing;
    };
    const warmUp = await turn(0);
    const turns: TurnTiming[] = [];
    for (let index = 1; index <= TURNS; index++) turns.push(await turn(index));
    return { warmUp, turns, browser: browser.version() };
  } finally {
    await browser.close();
  }
}

const machine = [
  `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"})`,
  `${(totalmem() / 2 ** 30).toFixed(1)} GiB memory (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start)`,
  `Node ${process.version}`,
  `load average at start ${loadavg()
    .map((load) => load.toFixed(2))
    .join(" / ")} (1 / 5 / 15 min)`,
];

console.log(`Web app benchmark: ${START_RUNS} npm start run(s), ${TURNS} chat turns.\n`);
const runs: StartRun[] = [];
let chatResult: Awaited<ReturnType<typeof chat>> | null = null;
let failure: unknown = null;
for (let run = 1; run <= START_RUNS; run++) {
  console.log(`npm start, run ${run} of ${START_RUNS} (AICHAT_FREE_PORTS=1, no OpenAI key)...`);
  const stack = await startStack(ECHO);
  console.log(`  answering at ${stack.appUrl} after ${s(stack.answeringMs)}`);
  if (run === 1) {
    try {
      console.log(`  chatting: 1 warm-up turn, then ${TURNS} timed turns...`);
      chatResult = await chat(stack.appUrl);
    } catch (error) {
      failure = error;
    }
  }
  const stop = await stopStack(stack.child);
  runs.push({ stack, stop });
  mkdirSync(OUT, { recursive: true });
  const log = join(OUT, `web-start-${run}.log`);
  writeFileSync(log, stack.output.join("\n") + "\n");
  console.log(`  stopped in ${s(stop.stopMs)} (exit code ${stop.exitCode}); its output: ${log}`);
  for (const left of stop.leftBehind) console.log(`  LEFT BEHIND (now killed): ${left}`);
  if (failure) break;
}

// Measured after the first run's build, so the figures are of the code as it is now.
const bundle = measureBundle(join(import.meta.dirname, "..", "web", "dist"));

console.log(
  "\n1. Bundle (web/dist after the build npm start ran; kB = 1000 bytes, node:zlib gzipSync)\n",
);
console.log(bundleReport(bundle));
console.log(
  "\n2. npm start -> app answering (spawn of `node emulators/start.mjs` until the app URL it\n" +
    "   prints returns 200 with the app's HTML and Firestore holds every seeded character;\n" +
    "   parts from the times its output lines appeared)\n",
);
console.log(startReport(runs));
if (runs[0]) {
  console.log(
    `\n   ${runs[0].stack.characters} characters seeded. install check: spawn until "Building...";\n` +
      `   build: until the emulators start; emulators up: until "All emulators ready"; health +\n` +
      `   seed: until the seed is loaded; to answering: summary printed, app and data checked.`,
  );
}
if (chatResult) {
  const { warmUp, turns, browser } = chatResult;
  console.log(
    `\n3. Send -> reply in headless Chromium ${browser}, the npm start stack above with the offline\n` +
      `   responder, ${PREMIUM.email} chatting with ${CHARACTER}; times taken in the page\n` +
      `   (performance.now(): click on Send to the MutationObserver seeing the new reply's text, and\n` +
      `   its data-status="complete"); p95 by nearest rank\n`,
  );
  console.log(turnsReport(turns));
  console.log(
    `\n   warm-up turn (not counted): first text ${ms(warmUp.firstTextMs)}, complete ${ms(warmUp.completeMs)}`,
  );
  console.log(
    `   per turn, first text: ${turns.map((turn) => Math.round(turn.firstTextMs)).join(" ")} ms`,
  );
}
console.log(`\nMachine: ${machine.join("; ")}`);

const leftBehind = runs.some((run) => run.stop.leftBehind.length > 0);
if (failure) {
  console.error("\nThe chat part failed:", failure);
  process.exit(1);
}
if (leftBehind) {
  console.error("\nnpm start left processes behind after Ctrl-C (listed above).");
  process.exit(1);
}
