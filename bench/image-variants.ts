// Benchmark: makeVariants against the straightforward method (every variant decoded and
// resized from the original on its own, all four at once, as Firebase's Resize Images
// extension does). Each image x method runs in its own child process so that the child's
// peak RSS belongs to that method alone. Run: npx tsx bench/image-variants.ts
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "../functions/node_modules/sharp";
import { makeVariants } from "../functions/src/media/variants";
import { VARIANT_SPECS } from "../functions/src/media/variant-specs";

const METHODS = ["straightforward", "makeVariants"] as const;
type Method = (typeof METHODS)[number];

const IMAGES = [
  { label: "12 MP", width: 4000, height: 3000 },
  { label: "24 MP", width: 6000, height: 4000 },
];
const WARM_UPS = 1;
const RUNS = 5;

interface ChildResult {
  medianMs: number;
  peakRssMb: number;
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
  const once = async () => {
    if (method === "makeVariants") await makeVariants(original);
    else await straightforward(original);
  };
  for (let i = 0; i < WARM_UPS; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN,
    // maxRSS is in kilobytes on Linux.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * A photo-like test image: smooth gradients and soft shapes with sensor-like noise, so the
 * JPEG has a realistic size instead of compressing to almost nothing.
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
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function measureInChild(method: Method, file: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const script = process.argv[1] ?? "";
    const child = fork(script, ["--child", method, file], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (message: ChildResult) => resolve(message));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`${method} child exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "image-variants-bench-"));
  try {
    const rows: string[][] = [];
    for (const image of IMAGES) {
      const file = join(dir, `${image.width}x${image.height}.jpg`);
      const jpeg = await photoLikeJpeg(image.width, image.height);
      writeFileSync(file, jpeg);
      const results = new Map<Method, ChildResult>();
      for (const method of METHODS) results.set(method, await measureInChild(method, file));
      const baseline = results.get("straightforward")?.medianMs ?? Number.NaN;
      const label = `${image.label} (${(jpeg.length / 1e6).toFixed(1)} MB JPEG)`;
      for (const [method, result] of results) {
        rows.push([
          label,
          method,
          result.medianMs.toFixed(0),
          result.peakRssMb.toFixed(0),
          `${(baseline / result.medianMs).toFixed(2)}x`,
        ]);
      }
    }
    printTable(["image", "method", "median ms", "peak RSS MB", "speed-up"], rows);
    console.log(`\n${RUNS} timed runs after ${WARM_UPS} warm-up per child; node ${process.version}.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? "").length)));
  const line = (row: string[]) => `| ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(" | ")} |`;
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
