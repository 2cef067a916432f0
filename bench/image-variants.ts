// Benchmark: makeVariants against the straightforward method (every variant decoded and
// resized from the original on its own, all four at once, as Firebase's Resize Images
// extension does). Each image x method runs in its own child processes so that a child's
// peak RSS belongs to that method alone; children of the two methods take turns, so noise
// from other work on the machine falls on both. Every case runs twice: on all cores, and
// pinned to one core with `taskset`, which is closer to a function with 1 vCPU or less
// (Cloud Functions gives 1 vCPU at 2 GiB, 0.583 at 1 GiB).
//
// The makeVariants children also time its two stages one at a time after each timed run:
// the single decode and each variant's encode. From those it prints a lower bound for any
// method that makes the same four files: the 1200 px variant needs a decode and then its own WebP encode, both
// single-threaded (libjpeg, libwebp), so no method finishes before decode + that encode, and
// none before all the work divided by the cores. Dividing the straightforward method's time
// by that bound gives the best speed-up any method could reach on that machine.
// Run: npx tsx bench/image-variants.ts
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "../functions/node_modules/sharp/lib/index.js";
import {
  decodeIntermediate,
  encodeVariant,
  makeVariants,
  type RawImage,
} from "../functions/src/media/variants";
import { VARIANT_SPECS } from "../functions/src/media/variant-specs";

const METHODS = ["straightforward", "makeVariants"] as const;
type Method = (typeof METHODS)[number];

const IMAGES = [
  { label: "12 MP", make: () => photoLikeJpeg(4000, 3000) },
  { label: "24 MP", make: () => photoLikeJpeg(6000, 4000) },
  // The largest image accepted by default; one colour, so it is quick to build.
  { label: "100 MP solid", make: () => solidJpeg(10_000, 10_000) },
];
const WARM_UPS = 1;
/** Timed runs per child. */
const RUNS = 5;
/** Children per case and method, alternating between the methods. */
const ROUNDS = 3;

interface ChildResult {
  wallMs: number[];
  cpuMs: number[];
  peakRssMb: number;
  /** Peak RSS after loading modules and the file, before any image work. */
  idleRssMb: number;
  /** makeVariants children only. */
  stages?: StageTimes;
}

/** CPU milliseconds of the one decode, and of each variant's encode, per timed run. */
interface StageTimes {
  decodeMs: number[];
  encodeMs: number[][];
}

async function straightforward(original: Buffer): Promise<Buffer[]> {
  return Promise.all(
    VARIANT_SPECS.map((spec) =>
      sharp(original)
        .rotate()
        .resize(spec.width, spec.height, { fit: spec.fit, withoutEnlargement: true })
        .webp({ quality: spec.quality })
        .toBuffer(),
    ),
  );
}

async function runChild(method: Method, file: string): Promise<ChildResult> {
  const original = readFileSync(file);
  const idleRssMb = maxRssMb();
  const once = async () => {
    if (method === "makeVariants") await makeVariants(original);
    else await straightforward(original);
  };
  for (let i = 0; i < WARM_UPS; i++) await once();
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const stages: StageTimes = { decodeMs: [], encodeMs: VARIANT_SPECS.map(() => []) };
  for (let i = 0; i < RUNS; i++) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    await once();
    wallMs.push(performance.now() - start);
    cpuMs.push(cpuMsSince(cpuBefore));
    // Right after each run, so that whatever else the machine does falls on both alike.
    if (method === "makeVariants") await timeStages(original, stages);
  }
  const result: ChildResult = { wallMs, cpuMs, peakRssMb: maxRssMb(), idleRssMb };
  if (method === "makeVariants") result.stages = stages;
  return result;
}

/**
 * CPU time, not wall time: each stage runs on one thread, so its CPU time is what it takes
 * when nothing else wants the core.
 */
async function timeStages(original: Buffer, into: StageTimes): Promise<void> {
  const { autoOrient } = await sharp(original).metadata();
  const decodeStart = process.cpuUsage();
  const image: RawImage = await decodeIntermediate(original, Number.MAX_SAFE_INTEGER, autoOrient);
  into.decodeMs.push(cpuMsSince(decodeStart));
  for (const [at, spec] of VARIANT_SPECS.entries()) {
    const encodeStart = process.cpuUsage();
    await encodeVariant(image, spec);
    into.encodeMs[at]?.push(cpuMsSince(encodeStart));
  }
}

/** User + system CPU milliseconds of this process since `before`. */
function cpuMsSince(before: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000;
}

/** No method making the same files can be faster than this on `cores` cores. */
function lowerBoundMs(children: StageTimes[], cores: number): number {
  const decodeMs = median(children.flatMap((child) => child.decodeMs));
  const encodeMs = VARIANT_SPECS.map((_, at) =>
    median(children.flatMap((child) => child.encodeMs[at] ?? [])),
  );
  const allWork = decodeMs + encodeMs.reduce((sum, ms) => sum + ms, 0);
  return Math.max(decodeMs + Math.max(...encodeMs), allWork / cores);
}

function maxRssMb(): number {
  // maxRSS is in kilobytes on Linux.
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * A photo-like test image: smooth gradients and waves with sensor-like noise, so the JPEG
 * has a realistic size instead of compressing to almost nothing.
 */
async function photoLikeJpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * 24;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      const wave = Math.sin(x / 97) * Math.cos(y / 61) * 60;
      pixels[at] = clamp((x / width) * 200 + wave + noise());
      pixels[at + 1] = clamp((y / height) * 180 - wave + noise());
      pixels[at + 2] = clamp(120 + Math.sin((x + y) / 143) * 90 + noise());
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function solidJpeg(width: number, height: number): Promise<Buffer> {
  const background = { r: 40, g: 110, b: 190 };
  const image = sharp({ create: { width, height, channels: 3, background } });
  return image.jpeg({ quality: 90 }).toBuffer();
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const upper = sorted[Math.floor(middle)] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

function isChildResult(value: unknown): value is ChildResult {
  if (typeof value !== "object" || value === null) return false;
  const fields = Object.fromEntries(Object.entries(value));
  return (
    Array.isArray(fields.wallMs) &&
    Array.isArray(fields.cpuMs) &&
    typeof fields.peakRssMb === "number" &&
    typeof fields.idleRssMb === "number"
  );
}

function measureInChild(method: Method, file: string, oneCore: boolean): Promise<ChildResult> {
  const script = process.argv[1] ?? "";
  const node = [process.execPath, ...process.execArgv, script, "--child", method, file];
  const [command = "", ...args] = oneCore ? ["taskset", "-c", "0", ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (message) => {
      if (isChildResult(message)) resolve(message);
      else reject(new Error(`unexpected message from ${method} child`));
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`${method} child exited with ${code}`));
    });
  });
}

function summarise(children: ChildResult[]) {
  return {
    wallMs: median(children.flatMap((c) => c.wallMs)),
    cpuMs: median(children.flatMap((c) => c.cpuMs)),
    peakRssMb: Math.max(...children.map((c) => c.peakRssMb)),
    idleRssMb: children.map((c) => c.idleRssMb),
  };
}

async function main(): Promise<void> {
  const canPin = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  const coreSettings = canPin ? [false, true] : [false];
  const dir = mkdtempSync(join(tmpdir(), "image-variants-bench-"));
  try {
    const rows: string[][] = [];
    const boundRows: string[][] = [];
    const idleRssMb: number[] = [];
    for (const image of IMAGES) {
      const file = join(dir, `${rows.length}.jpg`);
      const jpeg = await image.make();
      writeFileSync(file, jpeg);
      const label = `${image.label} (${(jpeg.length / 1e6).toFixed(1)} MB JPEG)`;
      for (const oneCore of coreSettings) {
        const children: Record<Method, ChildResult[]> = { straightforward: [], makeVariants: [] };
        for (let round = 0; round < ROUNDS; round++) {
          for (const method of METHODS) {
            children[method].push(await measureInChild(method, file, oneCore));
          }
        }
        const baseline = summarise(children.straightforward);
        const cores = oneCore ? 1 : availableParallelism();
        const stages = children.makeVariants.flatMap((child) => child.stages ?? []);
        const bound = lowerBoundMs(stages, cores);
        const pipeline = summarise(children.makeVariants);
        boundRows.push([
          image.label,
          String(cores),
          baseline.wallMs.toFixed(0),
          bound.toFixed(0),
          `${(baseline.wallMs / bound).toFixed(2)}x`,
          pipeline.wallMs.toFixed(0),
          `${(baseline.wallMs / pipeline.wallMs).toFixed(2)}x`,
        ]);
        for (const method of METHODS) {
          const result = summarise(children[method]);
          idleRssMb.push(...result.idleRssMb);
          rows.push([
            label,
            oneCore ? "1" : String(availableParallelism()),
            method,
            result.wallMs.toFixed(0),
            `${(baseline.wallMs / result.wallMs).toFixed(2)}x`,
            result.cpuMs.toFixed(0),
            `${(baseline.cpuMs / result.cpuMs).toFixed(2)}x`,
            result.peakRssMb.toFixed(0),
          ]);
        }
      }
    }
    const header = ["image", "cores", "method", "median ms", "speed-up", "CPU ms", "CPU speed-up"];
    header.push("peak RSS MB");
    printTable(header, rows);
    console.log(
      `\nMedians of ${ROUNDS * RUNS} timed runs` +
        ` (${ROUNDS} children x ${RUNS}, each after ${WARM_UPS} warm-up);` +
        ` node ${process.version}, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips},` +
        ` sharp.concurrency() ${sharp.concurrency()}.` +
        `\nCPU ms = user + system time per run. Peak RSS is the child's whole process, highest` +
        ` of its children; before any image work a child already peaks at` +
        ` ${Math.min(...idleRssMb).toFixed(0)}-${Math.max(...idleRssMb).toFixed(0)} MB` +
        ` (node, tsx, sharp, the JPEG read).`,
    );
    console.log("\nLower bound for any method that makes the same four files:");
    printTable(
      [
        "image",
        "cores",
        "straightforward ms",
        "lower bound ms",
        "best possible speed-up",
        "makeVariants ms",
        "makeVariants speed-up",
      ],
      boundRows,
    );
    console.log(
      "Lower bound = max(decode + longest encode, (decode + every encode) / cores), from the" +
        " median CPU time of makeVariants' stages, each run on its own after each timed run.",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? "").length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const row of rows) console.log(line(row));
}

const [flag, method, file] = process.argv.slice(2);
if (flag === "--child") {
  const chosen = METHODS.find((m) => m === method);
  if (chosen === undefined || file === undefined) throw new Error(`bad child arguments: ${method}`);
  void runChild(chosen, file).then((result) => process.send?.(result));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
