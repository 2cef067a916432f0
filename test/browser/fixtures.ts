// What the browser scenarios share: a fresh stack with the seed data, a browser per file,
// and unique people signing up through the app.
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { runSeeds } from "../../functions/src/seed/run";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";
import { uniqueEmail } from "../helpers/client";
import { adminAuth, db } from "../helpers/admin";
import { appUrl, launchBrowser } from "./harness";

const seedsDir = fileURLToPath(new URL("../../seeds", import.meta.url));

/** Empties Auth and Firestore and loads the seeds, as `npm start` does. */
export async function freshStack(): Promise<void> {
  await clearFirestore();
  await clearAuth();
  await runSeeds(seedsDir);
}

export async function withBrowser(): Promise<Browser> {
  return launchBrowser();
}

/**
 * A file's browser on a fresh stack: before the file's tests, the stack is reset and seeded
 * (then `prepare` runs) and a browser starts; after them it closes. Skipped entirely when
 * `when` is false. Returns the browser, for use inside tests.
 */
export function browserForFile(
  options: { when?: boolean; prepare?: () => Promise<void> } = {},
): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (options.when === false) return;
    await freshStack();
    await options.prepare?.();
    browser = await withBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser has not started (see browserForFile)");
    return browser;
  };
}

/**
 * expect.poll with the patience a busy emulator stack needs (a function's first call starts
 * a worker): what a person would see, eventually.
 */
export function eventually<T>(read: () => Promise<T> | T, timeoutMs = 90_000) {
  return expect.poll(read, { timeout: timeoutMs, interval: 100 });
}

let people = 0;

/** Signs a new person up through the app and claims a username; returns their email. */
export async function signUpThroughApp(
  page: Page,
  name = "Robin",
): Promise<{ email: string; username: string }> {
  const email = uniqueEmail("browser");
  const username = `person_${Date.now().toString(36)}_${++people}`;
  await page.goto(appUrl("/signup"));
  await page.getByLabel("Display name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("browser-password");
  await page.getByRole("button", { name: "Create account" }).click();
  // The profile is written by a trigger: seconds on a busy machine, longer on a cold emulator.
  await page.getByRole("heading", { name: "Choose a username" }).waitFor({ timeout: 120_000 });
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByRole("button", { name: "Claim username" }).click();
  await page.getByRole("heading", { name: "Characters", level: 1 }).waitFor({ timeout: 120_000 });
  return { email, username };
}

/** The status and visible text length of the last reply bubble. */
export async function lastReply(page: Page): Promise<{ status: string | null; text: string }> {
  const reply = page.getByTestId("reply").last();
  return {
    status: await reply.getAttribute("data-status"),
    text: (await reply.getByTestId("reply-text").count())
      ? await reply.getByTestId("reply-text").innerText()
      : "",
  };
}

/** Sends a message through the composer. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: /^Message / });
  await box.fill(text);
  await box.press("Enter");
}

/** Waits until the number of replies reaches `count` and the last one has a final status. */
export async function waitForFinalReply(
  page: Page,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  await expect
    .poll(
      async () => {
        const replies = page.getByTestId("reply");
        if ((await replies.count()) < count) return "missing";
        return (await replies.last().getAttribute("aria-busy")) === "false" ? "final" : "busy";
      },
      { timeout: timeoutMs, interval: 100 },
    )
    .toBe("final");
}

/**
 * A person who already has an account and a username (made with the Admin SDK, as a seed
 * would), for scenarios that start signed in. The profile is the trigger's, as for anyone.
 */
export async function existingPerson(
  name = "Sam",
): Promise<{ uid: string; email: string; password: string; username: string }> {
  const email = uniqueEmail("person");
  const password = "browser-password";
  const username = `sam_${Date.now().toString(36)}_${++people}`;
  const user = await adminAuth().createUser({ email, password, displayName: name });
  const profile = db().collection("users").doc(user.uid);
  const deadline = Date.now() + 120_000;
  while (!(await profile.get()).exists) {
    if (Date.now() > deadline)
      throw new Error(`no profile for ${email}: is onUserCreated running?`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await db().collection("usernames").doc(username.toLowerCase()).set({ uid: user.uid, username });
  await profile.update({ username });
  return { uid: user.uid, email, password, username };
}
