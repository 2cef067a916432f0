// Shared by `npm start` (start.mjs) and `npm test` (exec.mjs): everything the local
// Emulator Suite needs to start on an offline machine.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const PROJECT_ID = "demo-aichat";
export const FIREBASE_BIN = join(ROOT, "node_modules", ".bin", "firebase");

const DEBIAN_FIRESTORE_JAR =
  "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";
const FIRESTORE_MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";
const CACHE = join(ROOT, "emulators", ".cache");

/**
 * firebase-tools starts the Firestore emulator with `java -jar`, and downloads its jar on
 * first use. The Debian package ships the same emulator without a Main-Class, so we build a
 * launcher jar whose manifest points at it. Returns the launcher's path, or null where the
 * Debian jar is absent (firebase-tools then uses its own download).
 */
export function firestoreLauncherJar() {
  if (process.env.FIRESTORE_EMULATOR_BINARY_PATH) return process.env.FIRESTORE_EMULATOR_BINARY_PATH;
  if (!existsSync(DEBIAN_FIRESTORE_JAR)) return null;
  const launcher = join(CACHE, "firestore-launcher.jar");
  if (existsSync(launcher)) return launcher;
  mkdirSync(CACHE, { recursive: true });
  const manifest = join(CACHE, "MANIFEST.MF");
  writeFileSync(
    manifest,
    `Main-Class: ${FIRESTORE_MAIN_CLASS}\nClass-Path: ${DEBIAN_FIRESTORE_JAR}\n`,
  );
  execFileSync("jar", ["cfm", launcher, manifest], { cwd: CACHE });
  return launcher;
}

/**
 * The Storage emulator always needs a rules-runtime jar that firebase-tools downloads. It
 * joins the stack only where that jar is already cached, or when AICHAT_STORAGE_EMULATOR=1
 * says the machine can download it.
 */
export function storageEmulatorAvailability() {
  const cacheDir =
    process.env.FIREBASE_EMULATORS_PATH || join(homedir(), ".cache", "firebase", "emulators");
  const jar = join(cacheDir, "cloud-storage-rules-runtime-v1.1.3.jar");
  if (process.env.AICHAT_STORAGE_EMULATOR === "0") {
    return { available: false, reason: "disabled by AICHAT_STORAGE_EMULATOR=0" };
  }
  if (process.env.STORAGE_EMULATOR_BINARY_PATH || existsSync(jar)) return { available: true };
  if (process.env.AICHAT_STORAGE_EMULATOR === "1") return { available: true };
  return {
    available: false,
    reason: `its rules runtime (${jar}) is a download this machine does not have; set AICHAT_STORAGE_EMULATOR=1 on a machine with internet access`,
  };
}

const DEBIAN_PUBSUB_EMULATOR =
  "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator";

/**
 * Scheduled functions load in the Functions emulator only beside a Pub/Sub emulator, which
 * firebase-tools otherwise downloads. Debian's gcloud package ships it: point firebase-tools at
 * it where it exists. Returns the variables to add to the emulators' environment.
 */
export function pubsubEmulatorEnv() {
  if (process.env.PUBSUB_EMULATOR_BINARY_PATH || !existsSync(DEBIAN_PUBSUB_EMULATOR)) return {};
  return { PUBSUB_EMULATOR_BINARY_PATH: DEBIAN_PUBSUB_EMULATOR };
}

/**
 * Whether a Pub/Sub emulator can start without a download: a binary named by
 * PUBSUB_EMULATOR_BINARY_PATH, Debian's package (google-cloud-cli-pubsub-emulator), or one
 * firebase-tools downloaded before. Without it the stack runs without scheduled functions
 * rather than failing offline.
 */
export function pubsubEmulatorAvailability() {
  if (process.env.PUBSUB_EMULATOR_BINARY_PATH || existsSync(DEBIAN_PUBSUB_EMULATOR)) {
    return { available: true };
  }
  const cacheDir =
    process.env.FIREBASE_EMULATORS_PATH || join(homedir(), ".cache", "firebase", "emulators");
  const downloaded = existsSync(cacheDir)
    ? readdirSync(cacheDir).some((name) => name.startsWith("pubsub-emulator"))
    : false;
  if (downloaded) return { available: true };
  return {
    available: false,
    reason: `no Pub/Sub emulator on this machine (install Debian's google-cloud-cli-pubsub-emulator, which provides ${DEBIAN_PUBSUB_EMULATOR})`,
  };
}

/** The emulators whose ports firebase.json sets, the Pub/Sub emulator with them. */
function emulatorKeys() {
  return [...EMULATOR_KEYS, "pubsub"];
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The local Stripe stand-in of `npm start` (the port stripe-mock also uses). */
const STRIPE_STANDIN_PORT = 12111;

const EMULATOR_KEYS = [
  "auth",
  "firestore",
  "functions",
  "storage",
  "hosting",
  "eventarc",
  "hub",
  "logging",
];

/** Free ports for every emulator, so a test run never collides with `npm start`. */
export async function allocatePorts() {
  const ports = {};
  for (const key of [...emulatorKeys(), "firestoreWebsocket", "fakeOpenai", "fakeStripe"]) {
    ports[key] = await freePort();
  }
  return ports;
}

export function standardPorts() {
  const config = JSON.parse(readFileSync(join(ROOT, "firebase.json"), "utf8"));
  const ports = {};
  for (const key of emulatorKeys()) ports[key] = config.emulators[key].port;
  ports.firestoreWebsocket = config.emulators.firestore.websocketPort;
  ports.stripeStandIn = STRIPE_STANDIN_PORT;
  return ports;
}

export const WEB_DIST = join(ROOT, "web", "dist");
/** Where the app finds the emulators of a local run (read by web/src/config.ts). */
export const LOCAL_STACK_FILE = "local-stack.json";

/**
 * Writes a copy of firebase.json beside it (paths in it are relative) with this run's ports
 * and its own Hosting folder: a copy of the built app plus local-stack.json, which tells the
 * app where this run's emulators are. The Content Security Policy of the copy also allows
 * those emulators' origins; the deployed policy (firebase.json) allows only Google's.
 */
export function writeRunConfig(ports, projectId = PROJECT_ID) {
  removeStaleRuns();
  const config = JSON.parse(readFileSync(join(ROOT, "firebase.json"), "utf8"));
  for (const key of emulatorKeys()) config.emulators[key].port = ports[key];
  config.emulators.firestore.websocketPort = ports.firestoreWebsocket;
  const name = `.firebase-run-${process.pid}`;
  const hostingDir = join(ROOT, `${name}-web`);
  config.hosting.public = `${name}-web`;
  delete config.hosting.predeploy;
  const local = ["auth", "firestore", "functions", "storage"]
    .map((key) => `http://127.0.0.1:${ports[key]}`)
    .join(" ");
  for (const rule of config.hosting.headers) {
    for (const header of rule.headers) {
      if (header.key !== "Content-Security-Policy") continue;
      header.value = header.value
        .split(";")
        .map((directive) => directive.trim())
        .map((directive) =>
          /^(connect-src|img-src|media-src) /.test(directive) ? `${directive} ${local}` : directive,
        )
        .join("; ");
    }
  }
  prepareHostingDir(hostingDir, ports, projectId);
  const file = join(ROOT, `${name}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return {
    file,
    appUrl: `http://127.0.0.1:${ports.hosting}`,
    remove: () => {
      rmSync(file, { force: true });
      rmSync(hostingDir, { recursive: true, force: true });
    },
  };
}

function prepareHostingDir(dir, ports, projectId) {
  rmSync(dir, { recursive: true, force: true });
  if (existsSync(join(WEB_DIST, "index.html"))) {
    cpSync(WEB_DIST, dir, { recursive: true });
  } else {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "index.html"),
      "<!doctype html><title>Not built</title><p>The web app is not built: run <code>npm run build</code>.</p>\n",
    );
  }
  const host = "127.0.0.1";
  const localStack = {
    projectId,
    emulators: {
      auth: { host, port: ports.auth },
      firestore: { host, port: ports.firestore },
      functions: { host, port: ports.functions },
      storage: { host, port: ports.storage },
    },
  };
  writeFileSync(join(dir, LOCAL_STACK_FILE), JSON.stringify(localStack, null, 2) + "\n");
}

/** Run files of runs that ended without cleaning up (killed), so they do not pile up. */
function removeStaleRuns() {
  for (const entry of readdirSync(ROOT)) {
    const match = entry.match(/^\.firebase-run-(\d+)(-web|\.json)$/);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    rmSync(join(ROOT, entry), { recursive: true, force: true });
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** The variables our scripts, tests and seeds use to find the emulators. */
export function emulatorEnv(ports, projectId = PROJECT_ID) {
  return {
    GCLOUD_PROJECT: projectId,
    FIREBASE_PROJECT_ID: projectId,
    FIRESTORE_EMULATOR_HOST: `127.0.0.1:${ports.firestore}`,
    FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${ports.auth}`,
    FUNCTIONS_EMULATOR_ORIGIN: `http://127.0.0.1:${ports.functions}`,
    AICHAT_STORAGE_PORT: String(ports.storage),
  };
}

/** Builds the functions (so the emulator loads the current source) and the web app. */
export function buildAll() {
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit", cwd: ROOT });
}
