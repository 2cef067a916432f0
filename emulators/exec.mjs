#!/usr/bin/env node
// `npm test` runs this: starts Auth, Firestore, Functions and Hosting (serving the built web
// app) emulators on free ports (so a running `npm start` is never disturbed), runs the given
// command inside `firebase emulators:exec`, and exits with its exit code.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import {
  FIREBASE_BIN,
  PROJECT_ID,
  ROOT,
  allocatePorts,
  emulatorEnv,
  firestoreLauncherJar,
  pubsubEmulatorAvailability,
  pubsubEmulatorEnv,
  storageEmulatorAvailability,
  writeRunConfig,
} from "./stack.mjs";

const command = process.argv.slice(2).join(" ");
if (!command) {
  console.error('usage: node emulators/exec.mjs "<command>"');
  process.exit(2);
}

const ports = await allocatePorts();
// A project id of its own per run: the functions emulator reads params from
// functions/.env.<projectId>, which points this run's functions at this run's doubles.
const projectId = `${PROJECT_ID}-t${ports.functions}`;
const config = writeRunConfig(ports, projectId);
const launcher = firestoreLauncherJar();
const storage = storageEmulatorAvailability();
// AICHAT_EMULATORS narrows the stack (benchmarks that call handlers directly run without the
// Functions emulator, so no trigger answers behind them).
const only = process.env.AICHAT_EMULATORS
  ? process.env.AICHAT_EMULATORS.split(",")
  : ["auth", "firestore", "functions", "hosting", ...(storage.available ? ["storage"] : [])];
console.log(
  storage.available
    ? "Storage emulator: included."
    : `Storage emulator: not started (${storage.reason}); Storage end-to-end tests are skipped.`,
);

// Scheduled functions load only beside the Pub/Sub emulator; tests fire them through it.
const pubsub = pubsubEmulatorAvailability();
if (!process.env.AICHAT_EMULATORS) {
  if (pubsub.available) only.push("pubsub");
  else
    console.log(
      `Pub/Sub emulator: not started (${pubsub.reason}); scheduled-function tests are skipped.`,
    );
}

// The functions under test talk to local doubles of OpenAI and Stripe (test/doubles), which
// the test process serves on these ports. Keys here are test placeholders, not secrets.
const params = {
  OPENAI_BASE_URL: `http://127.0.0.1:${ports.fakeOpenai}/v1`,
  // Short, so the timeout tests finish quickly; production keeps 30 s.
  OPENAI_TIMEOUT_MS: "2000",
  STRIPE_PUBLISHABLE_KEY: "pk_test_local_double",
  STRIPE_API_URL: `http://127.0.0.1:${ports.fakeStripe}`,
  // The app this run's Hosting emulator serves may send people to checkout and back.
  CHECKOUT_RETURN_ORIGINS: `${config.appUrl},http://localhost:5173,http://127.0.0.1:5173`,
  // The suite answers free users directly (the emulator's task queue adds a second or more
  // to every reply); test/e2e/queue.test.ts runs again with the queue on (npm test does).
  REPLY_PRIORITY: "false",
  // Extra settings for this run: AICHAT_PARAMS="NAME=value,NAME=value".
  ...Object.fromEntries(
    (process.env.AICHAT_PARAMS ?? "")
      .split(",")
      .filter((pair) => pair.includes("="))
      .map((pair) => [
        pair.slice(0, pair.indexOf("=")).trim(),
        pair.slice(pair.indexOf("=") + 1).trim(),
      ]),
  ),
};
const paramsFile = join(ROOT, "functions", `.env.${projectId}`);
writeFileSync(
  paramsFile,
  Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n") + "\n",
);
const secrets = {
  OPENAI_API_KEY: "sk-test-local-double",
  STRIPE_SECRET_KEY: "sk_test_local_double",
  STRIPE_WEBHOOK_SECRET: "whsec_test_local_double",
};
const doubles = {
  ...params,
  ...secrets,
  FAKE_OPENAI_PORT: String(ports.fakeOpenai),
  FAKE_STRIPE_PORT: String(ports.fakeStripe),
};

// Tests also call handlers directly in the test process: give it the same params the
// functions emulator loads (functions/.env, then this run's overrides).
const dotenv = Object.fromEntries(
  readFileSync(join(ROOT, "functions", ".env"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#") && line.includes("="))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);

const env = {
  ...process.env,
  // So `node emulators/exec.mjs "vitest run ..."` finds the project's tools outside npm too.
  PATH: `${join(ROOT, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
  ...dotenv,
  ...emulatorEnv(ports, projectId),
  ...doubles,
  AICHAT_APP_URL: config.appUrl,
  // A new functions worker must answer within this many seconds (firebase-tools' default is
  // 30, which a busy 2-core machine can exceed while it loads the functions).
  FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? "120",
  AICHAT_STORAGE_EMULATOR_RUNNING: storage.available ? "1" : "0",
  AICHAT_STORAGE_SKIP_REASON: storage.available ? "" : storage.reason,
  AICHAT_PUBSUB_SKIP_REASON: pubsub.available ? "" : pubsub.reason,
  ...(launcher ? { FIRESTORE_EMULATOR_BINARY_PATH: launcher } : {}),
  ...pubsubEmulatorEnv(),
};

const child = spawn(
  FIREBASE_BIN,
  [
    "emulators:exec",
    "--config",
    config.file,
    "--project",
    projectId,
    "--only",
    only.join(","),
    command,
  ],
  { cwd: ROOT, env, stdio: "inherit" },
);
const forward = (signal) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", (code, signal) => {
  config.remove();
  rmSync(paramsFile, { force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
