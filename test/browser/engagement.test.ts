// Notifications, follows and announcements as a person sees them: a reply that finishes
// after they left the chat turns the bell's badge to 1 and waits in the list, opening it
// leads back to the conversation and clears the badge; Follow becomes Following and stays
// so after a reload; an admin's announcement reaches the list and "Mark all read" clears it.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appUrl, openApp, screenshot, signInAs } from "./harness";
import {
  browserForFile,
  eventually,
  existingPerson,
  lastReply,
  send,
  waitForFinalReply,
} from "./fixtures";

const LUNA = "luna-stargazer";
const browser = browserForFile();

/** The number on the bell, or 0 when it shows none. */
async function badge(page: Page): Promise<number> {
  const shown = page.getByTestId("unread-badge");
  return (await shown.count()) ? Number(await shown.innerText()) : 0;
}

describe("notifications", () => {
  it(
    "a reply that finishes after the person left the chat shows as 1 unread; opening it leads to the conversation and clears the badge",
    { timeout: 300_000 },
    async () => {
      const person = await existingPerson("Ari");
      const { page, problems, dialogs } = await openApp(browser(), "desktop", "/signin");
      await signInAs(page, person.email, person.password);
      await page.goto(appUrl(`/chat/${LUNA}`));
      await eventually(() => page.getByTestId("reply").count()).toBe(1);
      expect(await badge(page)).toBe(0);

      // The chat reports itself on screen when it opens; a reply still counts as watched
      // until 45 s after that report (the server's window), so this one streams a word a
      // second for about 50 s, as a long answer from a busy model might.
      await send(page, "Tell me everything about the comet [[pace:1000]] [[words:50]]");
      await eventually(async () => (await page.getByTestId("reply").count()) === 2, 60_000).toBe(
        true,
      );
      expect((await lastReply(page)).status).not.toBe("complete");
      // The person goes elsewhere while Luna is still answering.
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Characters" })
        .click();
      await page.getByRole("heading", { name: "Characters", level: 1 }).waitFor();

      await eventually(() => badge(page), 150_000).toBe(1);
      expect(
        await page.getByRole("link", { name: "Notifications, 1 unread" }).count(),
        "the bell says how many are unread",
      ).toBe(1);
      await page.getByRole("link", { name: "Notifications, 1 unread" }).click();
      await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
      const item = page.getByTestId("notification");
      await eventually(() => item.count()).toBe(1);
      expect(await item.getAttribute("data-type")).toBe("reply_ready");
      const text = await item.innerText();
      expect(text).toContain("Luna Stargazer replied");
      expect(text).toContain("Reply");
      await screenshot(page, "notifications-unread-desktop");

      await item.getByRole("link", { name: /Open the conversation/ }).click();
      await page.getByRole("heading", { name: "Luna Stargazer", level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/chat/${LUNA}`);
      await waitForFinalReply(page, 2);
      expect((await lastReply(page)).text.split(/\s+/)).toHaveLength(50);
      await eventually(() => badge(page)).toBe(0);
      await eventually(() =>
        page.getByRole("link", { name: "Notifications", exact: true }).count(),
      ).toBe(1);

      // While the chat is on screen, a reply that finishes is seen here: no notification.
      await send(page, "And what about tomorrow? [[words:6]]");
      await waitForFinalReply(page, 3);
      await page.waitForTimeout(3000);
      expect(await badge(page)).toBe(0);

      // Back in the list it shows as read.
      await page.getByRole("link", { name: "Notifications", exact: true }).click();
      await eventually(() =>
        page.getByTestId("notification").first().getAttribute("class"),
      ).not.toMatch(/unread/);
      expect(problems).toEqual([]);
      expect(dialogs).toEqual([]);
    },
  );

  it(
    "an admin's announcement reaches a person's list with its delivery shown; Mark all read clears the badge",
    { timeout: 240_000 },
    async () => {
      const person = await existingPerson("Bea");
      const reader = await openApp(browser(), "desktop", "/signin");
      await signInAs(reader.page, person.email, person.password);
      expect(await badge(reader.page)).toBe(0);

      const admin = await openApp(browser(), "desktop", "/signin");
      await signInAs(admin.page, "admin@aichat.test", "admin-password");
      await admin.page.goto(appUrl("/admin/announcements"));
      await admin.page.getByRole("heading", { name: "Announcements", level: 1 }).waitFor();
      await admin.page.getByLabel("Everyone").check();
      await admin.page.getByLabel("Title", { exact: true }).fill("New characters this week");
      await admin.page
        .getByLabel("Message", { exact: true })
        .fill("Meet Captain Brine and Willow, and tell us what you think.");
      await admin.page.getByRole("button", { name: "Send announcement" }).click();
      const status = admin.page.getByTestId("delivery-status");
      await eventually(() => status.innerText(), 120_000).toMatch(
        /^Delivered to \d+ (person|people)$/,
      );
      // Every active account: the seeded people, the admin and this person at least.
      const delivered = Number(/\d+/.exec(await status.innerText())?.[0]);
      expect(delivered).toBeGreaterThanOrEqual(2);
      await screenshot(admin.page, "admin-announcements-desktop");

      await eventually(() => badge(reader.page), 60_000).toBe(1);
      await reader.page.getByRole("link", { name: "Notifications, 1 unread" }).click();
      const item = reader.page.getByTestId("notification");
      await eventually(() => item.count()).toBe(1);
      expect(await item.getAttribute("data-type")).toBe("announcement");
      expect(await item.innerText()).toContain("New characters this week");
      expect(await item.innerText()).toContain("Meet Captain Brine and Willow");
      await reader.page.getByRole("button", { name: "Mark all read" }).click();
      await eventually(() => badge(reader.page)).toBe(0);
      await eventually(() => item.getAttribute("class")).not.toMatch(/unread/);
      expect(await reader.page.getByRole("button", { name: "Mark all read" }).isDisabled()).toBe(
        true,
      );
      expect(reader.problems).toEqual([]);
      expect(admin.problems).toEqual([]);
    },
  );
});

describe("follows", () => {
  it(
    "Follow becomes Following, counts the follower, and stays after a reload",
    {
      timeout: 180_000,
    },
    async () => {
      const person = await existingPerson("Cy");
      const { page, problems } = await openApp(browser(), "desktop", "/signin");
      await signInAs(page, person.email, person.password);
      await page.goto(appUrl(`/characters/${LUNA}`));
      await page.getByRole("heading", { name: "Luna Stargazer", level: 1 }).waitFor();
      const count = page.getByTestId("follower-count");
      await eventually(() => count.innerText()).toBe("0 followers");

      await page.getByRole("button", { name: "Follow", exact: true }).click();
      await page.getByRole("button", { name: "Following", exact: true }).waitFor();
      // The first follow in a minute refreshes the character's stats at once.
      await eventually(() => count.innerText(), 60_000).toBe("1 follower");

      await page.reload();
      await page.getByRole("heading", { name: "Luna Stargazer", level: 1 }).waitFor();
      await page.getByRole("button", { name: "Following", exact: true }).waitFor();
      expect(await page.getByRole("button", { name: "Follow", exact: true }).count()).toBe(0);

      await page.getByRole("button", { name: "Following", exact: true }).click();
      await page.getByRole("button", { name: "Follow", exact: true }).waitFor();
      expect(problems).toEqual([]);
    },
  );
});
