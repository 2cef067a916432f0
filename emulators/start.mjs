#!/usr/bin/env node
// `npm start`: installs what is missing or stale, builds the functions and the web app,
// starts the local Emulator Suite offline (the Hosting emulator serves the app), loads the
// seed data and says what runs where, the app's address first. Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureInstalled } from "./install.mjs";
import {
  FIREBASE_BIN,
  PROJECT_ID,
  ROOT,
  allocatePorts,
  buildAll,
  emulatorEnv,
  firestoreLauncherJar,
  pubsubEmulatorAvailability,
  pubsubEmulatorEnv,
  standardPorts,
  storageEmulatorAvailability,
  writeRunConfig,
} from "./stack.mjs";
import { SCHEDULED, startLocalSchedule } from "./schedule.mjs";

const started = Date.now();
ensureInstalled();
console.log("Building the functions and the web app...");
buildAll();

// AICHAT_FREE_PORTS=1 runs the whole stack on free ports (beside another running stack).
const freePorts = process.env.AICHAT_FREE_PORTS === "1";
const ports = freePorts
  ? { ...(await allocatePorts()), stripeStandIn: (await allocatePorts()).fakeStripe }
  : standardPorts();
const launcher = firestoreLauncherJar();
const storage = storageEmulatorAvailability();
const only = [
  "auth",
  "firestore",
  "functions",
  "hosting",
  ...(storage.available ? ["storage"] : []),
];
const config = writeRunConfig(ports);

let stopping = false;
const cleanups = [() => config.remove()];
function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
}

const stripe = await stripeForLocalRun();
const env = {
  ...process.env,
  ...stripe.env,
  // A new functions worker must answer within this many seconds (firebase-tools' default, 30,
  // is too short on a busy machine).
  FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? "120",
  ...(launcher ? { FIRESTORE_EMULATOR_BINARY_PATH: launcher } : {}),
  ...pubsubEmulatorEnv(),
};
// Scheduled functions load only beside the Pub/Sub emulator; a local timer runs them.
const pubsub = pubsubEmulatorAvailability();
if (pubsub.available) only.push("pubsub");
else
  console.log(`Pub/Sub emulator: not started (${pubsub.reason}); scheduled functions do not run.`);

const emulators = spawn(
  FIREBASE_BIN,
  ["emulators:start", "--config", config.file, "--project", PROJECT_ID, "--only", only.join(",")],
  { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] },
);

/** Stops the local schedule once it runs (set when the stack is ready). */
let stopLocalSchedule = () => {};

function stop(signal) {
  if (stopping) return;
  stopping = true;
  stopLocalSchedule();
  console.log("\nStopping the emulators...");
  emulators.kill(signal);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
emulators.on("exit", (code) => {
  cleanUp();
  process.exit(stopping ? 0 : (code ?? 1));
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function ready() {
  const health = `http://127.0.0.1:${ports.functions}/${PROJECT_ID}/us-central1/health/ready`;
  for (let attempt = 0; attempt < 240 && !stopping; attempt++) {
    if ((await answers(health)) && (await answers(config.appUrl))) return true;
    await sleep(500);
  }
  return false;
}

/**
 * Real Stripe when a key is configured (functions/.secret.local or the environment);
 * otherwise the local stand-in (emulators/stripe-standin.ts), with a webhook secret made up
 * for this run and never written to a file.
 */
async function stripeForLocalRun() {
  const secretFile = join(ROOT, "functions", ".secret.local");
  const configured =
    Boolean(process.env.STRIPE_SECRET_KEY?.trim()) ||
    (existsSync(secretFile) && /^STRIPE_SECRET_KEY=\S+/m.test(readFileSync(secretFile, "utf8")));
  const paramsFile = join(ROOT, "functions", `.env.${PROJECT_ID}`);
  const marker = "# Written by npm start for the local Stripe stand-in; removed when it stops.";
  const ours = () => existsSync(paramsFile) && readFileSync(paramsFile, "utf8").startsWith(marker);
  // Left behind by a run that was killed: it must not point real keys at a stand-in.
  if (ours()) rmSync(paramsFile);
  if (configured) {
    return {
      env: {},
      summary: ["Stripe", "your STRIPE_SECRET_KEY", "real Stripe Checkout (use test-mode keys)"],
    };
  }
  if (existsSync(paramsFile)) {
    console.log(
      `Payments: disabled (${paramsFile} exists and is not npm start's own; the stand-in needs it).`,
    );
    return { env: {}, summary: ["Stripe", "not started", `${paramsFile} is yours`] };
  }
  const origin = `http://127.0.0.1:${ports.stripeStandIn}`;
  const webhookSecret = `whsec_local_${randomBytes(18).toString("hex")}`;
  const standIn = spawn(
    join(ROOT, "node_modules", ".bin", "tsx"),
    ["emulators/stripe-standin.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        STANDIN_PORT: String(ports.stripeStandIn),
        STANDIN_WEBHOOK_URL: `http://127.0.0.1:${ports.functions}/${PROJECT_ID}/us-central1/stripeWebhook`,
        STANDIN_WEBHOOK_SECRET: webhookSecret,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  cleanups.push(() => standIn.kill("SIGTERM"));
  const up = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000);
    standIn.stdout.on("data", (chunk) => {
      if (String(chunk).startsWith("ready")) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    standIn.on("exit", () => resolve(false));
  });
  if (!up) {
    console.log("Payments: the local Stripe stand-in did not start; payments are disabled.");
    return { env: {}, summary: ["Stripe", "not started", "the local stand-in failed to start"] };
  }
  writeFileSync(
    paramsFile,
    [
      marker,
      `STRIPE_API_URL=${origin}`,
      "STRIPE_PUBLISHABLE_KEY=pk_test_local_standin",
      ...(freePorts ? [`CHECKOUT_RETURN_ORIGINS=${config.appUrl}`] : []),
    ].join("\n") + "\n",
  );
  cleanups.push(() => rmSync(paramsFile, { force: true }));
  return {
    env: { STRIPE_SECRET_KEY: "sk_test_local_standin", STRIPE_WEBHOOK_SECRET: webhookSecret },
    summary: [
      "Stripe",
      `${origin} (local stand-in)`,
      "no Stripe key set: its checkout page pays with one button, no money moves",
    ],
  };
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
  const localSchedule = pubsub.available && process.env.AICHAT_LOCAL_SCHEDULE !== "0";
  if (localSchedule) {
    stopLocalSchedule = startLocalSchedule({
      origin: `http://127.0.0.1:${ports.functions}`,
      projectId: PROJECT_ID,
    });
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
    stripe.summary,
  ];
  console.log(`\nLocal stack ready in ${seconds} s (project ${PROJECT_ID}, offline).\n`);
  console.log(`  Open the app: ${config.appUrl}\n`);
  for (const [name, where, what] of rows)
    console.log(`  ${name.padEnd(10)} ${where.padEnd(58)} ${what}`);
  console.log(
    `\n  Health     http://127.0.0.1:${ports.functions}/${PROJECT_ID}/us-central1/health`,
  );
  console.log("\nDemo accounts (email / password; the sign-in screen has buttons for them):");
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
