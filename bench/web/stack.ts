// `npm start` as a person runs it, on free ports (AICHAT_FREE_PORTS=1) and with no OpenAI
// key, so the offline responder answers: the time from spawning it until the app answers
// with its HTML and the seed data is there, the parts of that time as its output shows them,
// and a Ctrl-C stop of its whole process group that must leave no process behind.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(import.meta.dirname, "..", "..");
const READY_TIMEOUT_MS = 10 * 60_000;
// firebase-tools waits for running functions before it stops the emulators.
const STOP_TIMEOUT_MS = 180_000;

/** Lines of start.mjs's output that mark the end of each step, in order. */
const MILESTONES = [
  { key: "installChecked", pattern: /^Building the functions and the web app/ },
  { key: "built", pattern: /emulators: Starting emulators/ },
  { key: "emulatorsReady", pattern: /All emulators ready/ },
  { key: "seeded", pattern: /^Seeded: / },
  { key: "summary", pattern: /Local stack ready in/ },
] as const;
export type Milestone = (typeof MILESTONES)[number]["key"];

export interface RunningStack {
  child: ChildProcess;
  appUrl: string;
  firestorePort: number;
  /** Milliseconds from spawn to each milestone line. */
  marks: Partial<Record<Milestone, number>>;
  /** Milliseconds from spawn until the app's HTML and the seeded characters both answered. */
  answeringMs: number;
  characters: number;
  output: string[];
}

export interface StopResult {
  stopMs: number;
  exitCode: number | null;
  /** Processes of the stack (seen while it ran) still alive after it exited. */
  leftBehind: string[];
}

interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  command: string;
}

function processTable(): ProcessRow[] {
  const ps = spawnSync("ps", ["-eo", "pid=,ppid=,pgid=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({
      pid: Number(match[1]),
      ppid: Number(match[2]),
      pgid: Number(match[3]),
      command: match[4],
    }));
}

/** `root` and every process below it, or in its process group. */
function treeOf(root: number): ProcessRow[] {
  const rows = processTable();
  const ours = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows) {
      if (!ours.has(row.pid) && (ours.has(row.ppid) || row.pgid === root)) {
        ours.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.filter((row) => ours.has(row.pid));
}

async function answersWithApp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    const body = await response.text();
    return (
      response.status === 200 &&
      (response.headers.get("content-type") ?? "").includes("text/html") &&
      body.includes('<div id="root">')
    );
  } catch {
    return false;
  }
}

/** Seeded characters the Firestore emulator holds ("owner" reads past the rules). */
async function charactersIn(firestorePort: number): Promise<number> {
  try {
    const response = await fetch(
      `http://127.0.0.1:${firestorePort}/v1/projects/demo-aichat/databases/(default)/documents/characters?pageSize=300&mask.fieldPaths=name`,
      { headers: { Authorization: "Bearer owner" } },
    );
    if (!response.ok) return 0;
    const body = (await response.json()) as { documents?: unknown[] };
    return body.documents?.length ?? 0;
  } catch {
    return 0;
  }
}

export function seedCharacterCount(): number {
  return readdirSync(join(ROOT, "seeds", "characters")).filter((file) => file.endsWith(".json"))
    .length;
}

export async function startStack(echo: boolean): Promise<RunningStack> {
  const env: NodeJS.ProcessEnv = { ...process.env, AICHAT_FREE_PORTS: "1" };
  delete env.OPENAI_API_KEY;
  const spawnedAt = performance.now();
  // Its own process group, as a terminal gives `npm start`, so Ctrl-C can reach all of it.
  const child = spawn(process.execPath, ["emulators/start.mjs"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const marks: Partial<Record<Milestone, number>> = {};
  let appUrl = "";
  let firestorePort = 0;
  let summaryResolve: () => void = () => undefined;
  const summary = new Promise<void>((resolve) => (summaryResolve = resolve));
  const onLine = (line: string) => {
    const at = performance.now() - spawnedAt;
    output.push(`${(at / 1000).toFixed(1).padStart(6)} s  ${line}`);
    if (echo) console.log(`  | ${line}`);
    for (const { key, pattern } of MILESTONES) {
      if (marks[key] === undefined && pattern.test(line)) marks[key] = at;
    }
    appUrl ||= /Open the app: (\S+)/.exec(line)?.[1] ?? "";
    firestorePort ||= Number(/^\s*Firestore\s+127\.0\.0\.1:(\d+)/.exec(line)?.[1] ?? 0);
    if (marks.summary !== undefined && appUrl && firestorePort) summaryResolve();
  };
  createInterface({ input: child.stdout }).on("line", onLine);
  createInterface({ input: child.stderr }).on("line", onLine);
  const exited = new Promise<string>((resolve) =>
    child.on("exit", (code) => resolve(`npm start exited (code ${code}) before it was ready`)),
  );
  const timedOut = new Promise<string>((resolve) =>
    setTimeout(() => resolve("npm start was not ready in 10 minutes"), READY_TIMEOUT_MS).unref(),
  );
  const problem = await Promise.race([summary.then(() => null), exited, timedOut]);
  if (problem) {
    console.error(output.join("\n"));
    if (child.exitCode === null) await stopStack(child);
    throw new Error(problem);
  }
  const expected = seedCharacterCount();
  let characters = 0;
  for (let attempt = 0; ; attempt++) {
    characters = await charactersIn(firestorePort);
    if ((await answersWithApp(appUrl)) && characters === expected) break;
    if (attempt === 100) {
      await stopStack(child);
      throw new Error(
        `the app at ${appUrl} did not answer with its HTML and ${expected} characters (saw ${characters})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const answeringMs = performance.now() - spawnedAt;
  return { child, appUrl, firestorePort, marks, answeringMs, characters, output };
}

/** Ctrl-C: SIGINT to the whole process group, then waits for `npm start` to exit. */
export async function stopStack(child: ChildProcess): Promise<StopResult> {
  const pid = child.pid!;
  const seen = treeOf(pid);
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const started = performance.now();
  try {
    process.kill(-pid, "SIGINT");
  } catch {
    // The group is already gone.
  }
  const inTime = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref()),
  ]);
  const stopMs = performance.now() - started;
  // Give the emulators' own children a moment to finish exiting after their parent.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const alive = new Set(processTable().map((row) => `${row.pid} ${row.command}`));
  const left = seen.filter((row) => alive.has(`${row.pid} ${row.command}`));
  const leftBehind = left.map((row) => `${row.pid} ${row.command.slice(0, 120)}`);
  for (const row of left) {
    try {
      process.kill(row.pid, "SIGKILL");
    } catch {
      // Gone in the meantime.
    }
  }
  if (!inTime) leftBehind.unshift(`npm start did not exit within ${STOP_TIMEOUT_MS / 1000} s`);
  return { stopMs, exitCode: child.exitCode, leftBehind };
}
