// The web app's bundle as built (web/dist): every JS, CSS and HTML file, raw and gzipped,
// and whether index.html loads it at first paint (the admin screen is a lazy chunk).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

/** gzip at its highest level, as a static host that precompresses would serve it. */
export const GZIP_LEVEL = 9;

export interface BundleFile {
  file: string;
  kind: "js" | "css" | "html";
  rawBytes: number;
  gzipBytes: number;
  /** Referenced by index.html (a script or stylesheet the first page load fetches). */
  initial: boolean;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

export function measureBundle(dist: string): BundleFile[] {
  const indexHtml = readFileSync(join(dist, "index.html"), "utf8");
  const referenced = new Set(
    [...indexHtml.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((match) => match[1]),
  );
  const files: BundleFile[] = [];
  for (const path of filesUnder(dist)) {
    const kind = /\.(js|css|html)$/.exec(path)?.[1];
    if (kind !== "js" && kind !== "css" && kind !== "html") continue;
    const file = relative(dist, path);
    const bytes = readFileSync(path);
    files.push({
      file,
      kind,
      rawBytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: GZIP_LEVEL }).length,
      initial: kind === "html" || referenced.has(file),
    });
  }
  return files.sort((a, b) => b.rawBytes - a.rawBytes);
}
