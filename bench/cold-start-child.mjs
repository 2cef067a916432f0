// One cold start, in a fresh Node process (bench/cold-start.ts starts one per sample): require
// a build's index.js as the Functions runtime does, then call one export the way its trigger
// would, and print what it took as one JSON line. Plain JavaScript run by node itself, so no
// TypeScript loader hooks sit in front of require() and distort the figures.
//
// argv[2]: JSON job { lib, export, kind, input }
//   lib     the build's functions/lib directory
//   kind    "callable" | "https" | "firestore-created" | "storage" | "floor"
//   input   what that kind needs (see below)
import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const job = JSON.parse(process.argv[2]);
const require = createRequire(join(job.lib, "index.js"));

/** Packages whose load time matters, as they appear in require.cache. */
const HEAVY =
  /node_modules\/(gpt-tokenizer|openai|stripe|sharp|zod|@google-cloud\/storage|@google-cloud\/firestore|google-gax|@grpc\/grpc-js|png-chunks-extract|music-metadata)\//;
function heavyLoaded() {
  const found = new Set();
  for (const path of Object.keys(require.cache)) {
    const match = HEAVY.exec(path);
    if (match) found.add(match[1]);
  }
  // gpt-tokenizer's encodings, by name: which ones a function loads is the point.
  for (const path of Object.keys(require.cache)) {
    const encoding = /gpt-tokenizer\/cjs\/bpeRanks\/(\w+)\.js$/.exec(path);
    if (encoding) found.add(`gpt-tokenizer:${encoding[1]}`);
  }
  return [...found].sort();
}

/** An Express-like request and a response that resolves when the handler answers. */
function httpExchange({ method, path, headers = {}, body }) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const rawBody = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const req = {
    method,
    path,
    url: path,
    headers: lower,
    rawBody,
    body: body === undefined ? {} : JSON.parse(body),
    query: {},
    get: (name) => lower[name.toLowerCase()],
    header: (name) => lower[name.toLowerCase()],
  };
  let settle;
  const answered = new Promise((resolve) => (settle = resolve));
  const res = {
    statusCode: 200,
    headers: {},
    status(code) {
      this.statusCode = code;
      return this;
    },
    set(name, value) {
      this.headers[name.toLowerCase()] = value;
      return this;
    },
    setHeader(name, value) {
      this.headers[name.toLowerCase()] = value;
    },
    json(value) {
      settle({ status: this.statusCode, body: value });
      return this;
    },
    send(value) {
      settle({ status: this.statusCode, body: value });
      return this;
    },
    end() {
      settle({ status: this.statusCode, body: null });
      return this;
    },
  };
  return { req, res, answered };
}

async function firstCall(fn) {
  const input = job.input ?? {};
  switch (job.kind) {
    case "callable": {
      const result = await fn.run({
        data: input.data,
        auth: { uid: input.uid, token: { uid: input.uid } },
        rawRequest: { headers: {} },
        acceptsStreaming: false,
      });
      return JSON.stringify(result);
    }
    case "https": {
      const { req, res, answered } = httpExchange(input);
      await fn(req, res);
      const { status, body } = await answered;
      return `${status} ${JSON.stringify(body)}`;
    }
    case "firestore-created": {
      // What the trigger's event carries: the new document's fields, timestamps as Timestamps.
      const { Timestamp } = require("firebase-admin/firestore");
      const data = { ...input.data, createdAt: Timestamp.fromMillis(input.createdAtMs) };
      await fn.run({ params: input.params, data: { data: () => data } });
      return "handled";
    }
    case "storage": {
      const outcome = await fn.run({ data: input.object });
      return String(outcome);
    }
    default:
      throw new Error(`unknown kind ${job.kind}`);
  }
}

/** Nothing of ours: the trigger builder and the Admin SDK's first Firestore read. */
async function floor() {
  const started = performance.now();
  require("firebase-functions/v2/https");
  const { initializeApp } = require("firebase-admin/app");
  const { getFirestore } = require("firebase-admin/firestore");
  const loadMs = performance.now() - started;
  const called = performance.now();
  await getFirestore(initializeApp()).collection("coldStartFloor").doc("probe").get();
  return { loadMs, firstCallMs: performance.now() - called, outcome: "read" };
}

async function main() {
  if (job.kind === "floor") return { ...(await floor()), loaded: heavyLoaded() };
  const started = performance.now();
  const index = require(join(job.lib, "index.js"));
  const loadMs = performance.now() - started;
  const loadedAtLoad = heavyLoaded();
  const fn = index[job.export];
  if (typeof fn !== "function") throw new Error(`${job.export} is not exported by ${job.lib}`);
  const called = performance.now();
  const outcome = await firstCall(fn);
  const firstCallMs = performance.now() - called;
  return { loadMs, firstCallMs, outcome, loadedAtLoad, loaded: heavyLoaded() };
}

main().then(
  (result) => {
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
