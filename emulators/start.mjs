#!/usr/bin/env node
// `npm start`: builds the functions, starts the local Emulator Suite offline, loads the
// seed data and says what runs where. Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  FIREBASE_BIN,
  PROJECT_ID,
  ROOT,
  buildFunctions,
  emulatorEnv,
  firestoreLauncherJar,
  pubsubEmulatorEnv,
  standardPorts,
  storageEmulatorAvailability,
} from "./stack.mjs";
import { SCHEDULED, startLocalSchedule } from "./schedule.mjs";

const started = Date.now();
console.log("Building functions...");
buildFunctions();

const ports = standardPorts();
const launcher = firestoreLauncherJar();
const storage = storageEmulatorAvailability();
const only = ["auth", "firestore", "functions", ...(storage.available ? ["storage"] : [])];
const env = {
  ...process.env,
  ...(launcher ? { FIRESTORE_EMULATOR_BINARY_PATH: launcher } : {}),
  ...pubsubEmulatorEnv(),
};
// Scheduled functions load only beside the Pub/Sub emulator; a local timer runs them.
only.push("pubsub");

const emulators = spawn(
  FIREBASE_BIN,
  ["emulators:start", "--project", PROJECT_ID, "--only", only.join(",")],
  { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] },
);

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping the emulators...");
  emulators.kill(signal);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
emulators.on("exit", (code) => {
  process.exit(stopping ? 0 : (code ?? 1));
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function ready() {
  const url = `http://127.0.0.1:${ports.functions}/${PROJECT_ID}/us-central1/health/ready`;
  for (let attempt = 0; attempt < 240 && !stopping; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not up yet
    }
    await sleep(500);
  }
  return false;
}

if (!(await ready())) {
  if (!stopping) {
    console.error("The emulators did not become ready in 2 minutes; see the log above.");
    stop("SIGINT");
  }
} else {
  const seed = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["seeds/seed.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...emulatorEnv(ports) },
    stdio: "inherit",
  });
  if (seed.status !== 0) console.error("Seeding failed; the emulators keep running.");
  const localSchedule = process.env.AICHAT_LOCAL_SCHEDULE !== "0";
  if (localSchedule) {
    startLocalSchedule({ origin: `http://127.0.0.1:${ports.functions}`, projectId: PROJECT_ID });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const rows = [
    ["Auth", `127.0.0.1:${ports.auth}`, "sign-up, sign-in, ID tokens, custom claims"],
    ["Firestore", `127.0.0.1:${ports.firestore}`, "data, firestore.rules enforced, triggers"],
    [
      "Functions",
      `http://127.0.0.1:${ports.functions}/${PROJECT_ID}/us-central1/<name>`,
      "callables, health, triggers",
    ],
    [
      "Storage",
      storage.available ? `127.0.0.1:${ports.storage}` : "not started",
      storage.available ? "uploads, storage.rules, upload trigger" : storage.reason,
    ],
  ];
  console.log(`\nLocal stack ready in ${seconds} s (project ${PROJECT_ID}, offline).\n`);
  for (const [name, where, what] of rows)
    console.log(`  ${name.padEnd(10)} ${where.padEnd(58)} ${what}`);
  console.log(
    `\n  Health     http://127.0.0.1:${ports.functions}/${PROJECT_ID}/us-central1/health`,
  );
  console.log("\nDemo accounts (email / password):");
  console.log("  regular  demo@aichat.test     / demo-password");
  console.log("  premium  premium@aichat.test  / premium-password");
  console.log("  admin    admin@aichat.test    / admin-password");
  console.log(
    "\nReplies come from the offline responder unless functions/.secret.local sets OPENAI_API_KEY.",
  );
  console.log(
    localSchedule
      ? `Scheduled functions run locally: ${SCHEDULED.map((each) => `${each.name} every ${each.localSeconds} s`).join(", ")} (npm run fire -- <name> runs one now).`
      : "Scheduled functions: off (AICHAT_LOCAL_SCHEDULE=0); npm run fire -- <name> runs one.",
  );
  console.log("Press Ctrl-C to stop.\n");
}
