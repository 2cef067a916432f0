import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { fileURLToPath } from "node:url";
import { runSeeds } from "../../functions/src/seed/run";
import { launchBrowser, openApp, screenshot } from "./harness";

const seedsDir = fileURLToPath(new URL("../../seeds", import.meta.url));
let browser: Browser;
beforeAll(async () => {
  await runSeeds(seedsDir);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("smoke", () => {
  it("signs in as the demo user and shows characters", async () => {
    const { page, problems } = await openApp(browser);
    await page.getByRole("button", { name: /Sign in as Demo user/ }).click();
    await page.getByRole("heading", { name: "Characters", level: 1 }).waitFor();
    await page.getByRole("link", { name: /Luna Stargazer/ }).waitFor();
    await screenshot(page, "smoke-browser");
    expect(problems).toEqual([]);
  });
});
