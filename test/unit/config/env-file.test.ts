// Every setting has its value in functions/.env: the Functions emulator stops and asks on
// the terminal for any param without one, so a missing line would hang `npm start` and
// `npm test`. Secrets are the exception: they never go in a committed file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { declaredParams } from "../../../functions/node_modules/firebase-functions/lib/params/index.js";
import "../../../functions/src/config";

const envFile = readFileSync(new URL("../../../functions/.env", import.meta.url), "utf8");
const defined = new Set(
  envFile
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#") && line.includes("="))
    .map((line) => line.slice(0, line.indexOf("="))),
);

describe("functions/.env", () => {
  const params = declaredParams.map((param) => ({
    name: param.name,
    secret: param.constructor.name === "SecretParam",
  }));

  it("declares settings (sanity: the config module registered them)", () => {
    expect(params.length).toBeGreaterThan(10);
  });

  it.each(params.filter((param) => !param.secret).map((param) => [param.name]))(
    "has a value for %s",
    (name) => {
      expect(defined.has(name)).toBe(true);
    },
  );

  it("holds no secret", () => {
    for (const param of params.filter((each) => each.secret))
      expect(defined.has(param.name)).toBe(false);
  });
});
