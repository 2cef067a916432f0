// The `match` blocks of a rules file, as full paths: nested blocks joined, the service's root
// (`/databases/{database}/documents`, `/b/{bucket}/o`) left out. Pure: reads text only.

/** The source with comments removed and string literals emptied (their braces are not blocks). */
function codeOnly(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? "";
    const next = source[i + 1] ?? "";
    if (char === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      out += "\n";
    } else if (char === "/" && next === "*") {
      i = source.indexOf("*/", i + 2);
      if (i === -1) break;
      i++;
    } else if (char === "'" || char === '"') {
      const quote = char;
      for (i++; i < source.length && source[i] !== quote; i++) if (source[i] === "\\") i++;
      out += quote + quote;
    } else {
      out += char;
    }
  }
  return out;
}

const ROOTS = new Set(["/databases/{database}/documents", "/b/{bucket}/o"]);

export function rulesMatchPaths(source: string): string[] {
  const stack: (string | null)[] = [];
  const paths: string[] = [];
  for (const token of codeOnly(source).matchAll(/match\s+(\S+)\s*\{|\{|\}/g)) {
    if (token[0] === "}") {
      stack.pop();
      continue;
    }
    const path = token[1];
    if (path === undefined) {
      stack.push(null);
      continue;
    }
    stack.push(ROOTS.has(path) ? "" : path);
    const full = stack.filter((part): part is string => part !== null).join("");
    if (full !== "") paths.push(full);
  }
  return paths;
}
