// The contract is what apps bundle and what every error passes through, so it must stay
// pure, and the functions must make their app-facing errors only through it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../../functions/src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1] ?? "");
}

describe("the contract", () => {
  const files = sourceFiles(join(SRC, "contract"));

  it("imports nothing but zod and its own modules, so apps can bundle it", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      for (const source of importsOf(file)) {
        expect(
          source === "zod" || /^\.\/[a-z-]+\.js$/.test(source),
          `${relative(SRC, file)} imports ${source}`,
        ).toBe(true);
      }
    }
  });
});

describe("errors that reach apps", () => {
  const files = sourceFiles(SRC);

  it("are HttpsErrors made only by callableError() from the reasons in contract/errors.ts", () => {
    const makers = files.filter((file) =>
      /\bnew HttpsError\(|\bHttpsError\(/.test(readFileSync(file, "utf8")),
    );
    expect(makers.map((file) => relative(SRC, file))).toEqual(["shared/callable.ts"]);
    const callable = readFileSync(join(SRC, "shared/callable.ts"), "utf8");
    expect(callable).toContain("const listed = CALLABLE_ERRORS[reason];");
  });

  it("reach reply documents only as ReplyError values from contract/errors.ts", () => {
    // The two writers of a reply's `error`: the claim (refusals, from the take decision's
    // ReplyErrorCode) and the finalizer.
    const take = readFileSync(join(SRC, "chat/core/take.ts"), "utf8");
    expect(take).toMatch(/action: "refuse";\s*code: ReplyErrorCode;/);
    const claim = readFileSync(join(SRC, "chat/claim.ts"), "utf8");
    expect(claim).toMatch(/replyError\(decision\.code/);
    const finalize = readFileSync(join(SRC, "chat/finalize.ts"), "utf8");
    expect(finalize).toMatch(/\berror\?: ReplyError;/);
    // Nothing else in the functions writes an `error` object with a code of its own.
    const literalCodes = files.filter(
      (file) =>
        !file.includes(`${join("src", "contract")}`) &&
        /\berror:\s*\{\s*code:\s*["'`]/.test(readFileSync(file, "utf8")),
    );
    expect(literalCodes).toEqual([]);
  });
});
