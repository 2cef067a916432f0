#!/usr/bin/env node
// Runs before `npm start` and `npm test`: when node_modules is missing or does not match the
// lockfiles, installs exactly what CI installs (`npm ci`), saying so in one line. Uses Node's
// standard library only, so it works on a fresh clone.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./stack.mjs";

/** Each package folder npm installs from a lockfile, with the lockfile it comes from. */
const INSTALLS = [ROOT, join(ROOT, "functions")];

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Why `dir`'s node_modules does not match its package-lock.json, or null when it does. npm
 * writes node_modules/.package-lock.json (the "hidden lockfile") after every install; every
 * package the lockfile pins must be there at the same version, except optional ones (other
 * platforms' binaries) and peer-only ones.
 */
export function installProblem(dir) {
  const name = relative(ROOT, dir) || "the root";
  const lock = readJson(join(dir, "package-lock.json"));
  if (!lock) return `${name} has no readable package-lock.json`;
  const hidden = readJson(join(dir, "node_modules", ".package-lock.json"));
  if (!hidden) return `${name === "the root" ? "" : `${name}/`}node_modules is missing`;
  const installed = hidden.packages ?? {};
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === "" || !path.includes("node_modules/")) continue;
    const found = installed[path];
    if (!found) {
      if (entry.optional || entry.devOptional || entry.peer) continue;
      return `${path.slice(path.lastIndexOf("node_modules/") + 13)} is not installed in ${name}`;
    }
    if (entry.version && found.version !== entry.version) {
      return `${path.slice(path.lastIndexOf("node_modules/") + 13)} is ${found.version} in ${name}, the lockfile pins ${entry.version}`;
    }
  }
  return null;
}

/** Installs with `npm ci` (as .ci/run does) when anything is missing or stale. */
export function ensureInstalled() {
  const problem = INSTALLS.map(installProblem).find((reason) => reason !== null);
  if (!problem) return false;
  console.log(`Installing dependencies with npm ci (${problem})...`);
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) {
    console.error("npm ci failed (see above); fix it, or run `npm ci` yourself to see its log.");
    process.exit(result.status ?? 1);
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureInstalled();
  if (!existsSync(join(ROOT, "node_modules", ".bin", "firebase"))) {
    console.error("node_modules/.bin/firebase is missing after installing; run `npm ci`.");
    process.exit(1);
  }
}
