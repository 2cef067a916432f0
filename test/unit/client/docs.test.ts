// docs/client.md is the library's reference: every helper and every error code is in it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as admin from "../../../client/src/admin";
import * as contract from "../../../functions/src/contract/index";
import * as library from "../../../client/src/index";

const docs = readFileSync(join(import.meta.dirname, "../../../docs/client.md"), "utf8");

describe("docs/client.md", () => {
  it("lists every error code an app can meet", () => {
    const missing = library.APP_ERROR_CODES.filter((code) => !docs.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it("describes every helper of both entry points", () => {
    const contractNames = new Set(Object.keys(contract));
    const helpers = [...Object.entries(library), ...Object.entries(admin)]
      .filter(([name, value]) => typeof value === "function" && !contractNames.has(name))
      .map(([name]) => name)
      .filter((name) => !["AppError", "StoredDataError"].includes(name));
    expect(helpers.length).toBeGreaterThan(50);
    const missing = helpers.filter(
      (name) => !docs.includes(`${name}(`) && !docs.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});
