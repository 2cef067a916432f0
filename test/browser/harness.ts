// Headless Chromium (Debian's /usr/bin/chromium, no browser download) driven by
// playwright-core against the app the Hosting emulator serves in this `npm test` run. Every
// page records console errors, page errors and dialogs so a test can assert there were none,
// and screenshots go to test/out/browser/ (git-ignored).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { onTestFailed } from "vitest";

export { CHROMIUM, launchBrowser } from "./chromium";

export const SCREENSHOTS = join(process.cwd(), "test", "out", "browser");

export const VIEWPORTS = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export function appUrl(path = "/"): string {
  const origin = process.env.AICHAT_APP_URL;
  if (!origin) throw new Error("AICHAT_APP_URL is not set: run the browser tests with `npm test`.");
  return `${origin}${path}`;
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Console messages of type error, uncaught page errors and failed requests, as text. */
  problems: string[];
  /** The text of every alert/confirm/prompt dialog that opened (each is dismissed). */
  dialogs: string[];
}

let pagesOpened = 0;

/** A new, isolated browser context (its own storage: a separate signed-in person). */
export async function openApp(
  browser: Browser,
  viewport: ViewportName = "desktop",
  path = "/",
): Promise<AppPage> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], locale: "en-US" });
  // A first call to a function starts its emulator worker: seconds on a busy machine.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // What the page showed when a test failed, and what it logged.
  const number = ++pagesOpened;
  onTestFailed(async ({ task }) => {
    const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
    await screenshot(page, `failed-${name}-${viewport}-page${number}`).catch(() => undefined);
    console.log(`problems on the failed page: ${JSON.stringify(problems)}`);
  });
  await page.goto(appUrl(path));
  return { page, context, problems, dialogs };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Signs in through the sign-in form and waits for the character browser. */
export async function signInAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto(appUrl("/signin"));
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Characters", level: 1 }).waitFor();
}
