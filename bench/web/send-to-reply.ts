// Press Send -> first visible reply text, in headless Chromium against the running app: a
// demo account signs in through the form, opens a character's chat and sends message after
// message. Each turn is timed inside the page (performance.now()): the click on Send is
// caught by a capturing listener, and a MutationObserver notes when the new reply's text
// element first holds text and when the reply reaches its final status.
import type { Browser, Page } from "playwright-core";

export interface Account {
  email: string;
  password: string;
}

export interface TurnTiming {
  firstTextMs: number;
  completeMs: number;
  status: string;
  text: string;
}

interface PageRecord {
  clickedAt: number | null;
  firstTextAt: number | null;
  finalAt: number | null;
  status: string | null;
  text: string;
}

declare global {
  interface Window {
    webBenchTurn?: PageRecord;
  }
}

/**
 * Runs in the page: arms the click listener and the observer for one turn. No named inner
 * functions: tsx would wrap them in a helper that does not exist in the page.
 */
function armTurn(repliesBefore: number): void {
  const record: PageRecord = {
    clickedAt: null,
    firstTextAt: null,
    finalAt: null,
    status: null,
    text: "",
  };
  window.webBenchTurn = record;
  const clicks = new AbortController();
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (!target?.closest('form[aria-label="Send a message"] button[type="submit"]')) return;
      record.clickedAt = performance.now();
      clicks.abort();
    },
    { capture: true, signal: clicks.signal },
  );
  const observer = new MutationObserver(() => {
    const replies = document.querySelectorAll('[data-testid="reply"]');
    if (replies.length <= repliesBefore) return;
    const reply = replies[replies.length - 1];
    const now = performance.now();
    const text = reply.querySelector('[data-testid="reply-text"]')?.textContent?.trim() ?? "";
    if (text !== "" && record.firstTextAt === null) record.firstTextAt = now;
    record.status = reply.getAttribute("data-status");
    if (reply.getAttribute("aria-busy") === "false") {
      record.finalAt = now;
      record.text = text;
      observer.disconnect();
    }
  });
  observer.observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["data-status", "aria-busy"],
  });
}

export async function openChat(
  browser: Browser,
  appUrl: string,
  account: Account,
  characterName: string,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: "en-US",
  });
  context.setDefaultTimeout(120_000);
  const page = await context.newPage();
  await page.goto(`${appUrl}/signin`);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Characters", level: 1 }).waitFor();
  await page
    .getByRole("link", { name: new RegExp(characterName) })
    .first()
    .click();
  await page.getByRole("heading", { name: characterName, level: 1 }).waitFor();
  await page
    .getByRole("link", { name: new RegExp(`Chat with ${characterName.split(" ")[0]}`) })
    .click();
  await page.getByRole("textbox", { name: /^Message / }).waitFor();
  // The greeting is the first reply; wait for it so the count below is the conversation's.
  await page.getByTestId("reply").first().waitFor();
  return page;
}

export async function timeTurn(page: Page, text: string): Promise<TurnTiming> {
  await page.getByRole("textbox", { name: /^Message / }).fill(text);
  const repliesBefore = await page.getByTestId("reply").count();
  await page.evaluate(armTurn, repliesBefore);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.waitForFunction(() => window.webBenchTurn?.finalAt != null, null, {
    timeout: 120_000,
    polling: 100,
  });
  const record = await page.evaluate(() => window.webBenchTurn!);
  if (record.clickedAt === null) throw new Error("the click on Send was not seen in the page");
  if (record.firstTextAt === null || record.finalAt === null || record.status !== "complete") {
    throw new Error(`a reply ended ${record.status ?? "unseen"}: "${record.text.slice(0, 200)}"`);
  }
  return {
    firstTextMs: record.firstTextAt - record.clickedAt,
    completeMs: record.finalAt - record.clickedAt,
    status: record.status,
    text: record.text,
  };
}
