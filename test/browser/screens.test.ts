// Every main screen at desktop and phone width: it renders without console errors, nothing
// overflows sideways at phone width, every form control has a label, and a screenshot is
// saved under test/out/browser/ for people to look at.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openApp, screenshot, signInAs, VIEWPORTS, type ViewportName } from "./harness";
import { browserForFile, eventually, send, waitForFinalReply } from "./fixtures";
import { writeNotification } from "../../functions/src/notifications/deliver";
import {
  announcementNotification,
  galleryNotification,
  replyNotification,
} from "../../functions/src/notifications/model";
import { adminAuth, db } from "../helpers/admin";

const browser = browserForFile({ prepare: () => notificationsFor("premium@aichat.test") });

/** Three notifications as the functions write them, so the list has something to show. */
async function notificationsFor(email: string): Promise<void> {
  const { uid } = await adminAuth().getUserByEmail(email);
  const batch = db().batch();
  const news = [
    announcementNotification({
      announcementId: "screens-welcome",
      audience: "all",
      title: "New characters this week",
      body: "Meet Captain Brine and Willow, and tell us what you think.",
    }),
    galleryNotification({
      characterId: "ember-the-dragon",
      characterName: "Ember",
      itemId: "screens-item",
      mediaType: "image",
      premiumOnly: false,
      caption: "Fresh cinnamon rolls from the dragon's oven",
    }),
    replyNotification({
      firstAnswer: true,
      viewingAtMs: null,
      nowMs: Date.now(),
      conversationId: `${uid}_luna-stargazer`,
      characterId: "luna-stargazer",
      characterName: "Luna Stargazer",
      messageId: "screens-message",
      type: "text",
      text: "The comet comes back tonight. Meet me on the roof and bring the blanket!",
    }),
  ];
  for (const notification of news) if (notification) writeNotification(batch, uid, notification);
  await batch.commit();
}

interface Screen {
  name: string;
  path: string;
  /** What shows that the screen has loaded. */
  ready: (page: Page) => Promise<unknown>;
}

const heading = (name: string) => (page: Page) =>
  page.getByRole("heading", { name, level: 1 }).waitFor();

const PERSON_SCREENS: Screen[] = [
  {
    name: "characters",
    path: "/",
    ready: (page) => page.getByRole("link", { name: /Luna Stargazer/ }).waitFor(),
  },
  {
    name: "character",
    path: "/characters/ember-the-dragon",
    ready: async (page) => {
      await page.getByRole("list", { name: "Ember's gallery" }).waitFor();
      await page.getByRole("button", { name: /^Follow(ing)?$/ }).waitFor();
      // The card's {{user}} reads as the person's display name, as the character is told.
      await page.getByText("Premium Demo is a new apprentice at Marigold's Bakery").waitFor();
    },
  },
  {
    name: "chat",
    path: "/chat/ember-the-dragon",
    // A message and its reply, so the chat (and the admin's usage charts) have something.
    ready: async (page) => {
      await eventually(() => page.getByTestId("reply").count()).toBeGreaterThan(0);
      const before = await page.getByTestId("reply").count();
      await send(page, "Hello Ember! What are you baking today? *peeks at the oven*");
      await waitForFinalReply(page, before + 1, 120_000);
    },
  },
  {
    // After the chat: the premium person follows Ember and has an announcement (below).
    name: "notifications",
    path: "/notifications",
    ready: (page) => page.getByTestId("notification").first().waitFor(),
  },
  {
    name: "premium",
    path: "/premium",
    ready: (page) => page.getByRole("table").or(page.getByText("No payments yet.")).waitFor(),
  },
  {
    name: "account",
    path: "/account",
    // The app's heartbeat since sign-in shows as the person's own online dot.
    ready: async (page) => {
      await heading("Account")(page);
      await page.getByTestId("presence").filter({ hasText: "Online" }).waitFor();
    },
  },
];

const ADMIN_SCREENS: Screen[] = [
  {
    name: "admin-characters",
    path: "/admin",
    ready: (page) => page.getByRole("table", { name: "All characters" }).waitFor(),
  },
  {
    name: "admin-editor",
    path: "/admin/characters/luna-stargazer",
    ready: async (page) => {
      await page.getByRole("heading", { name: "Gallery" }).waitFor();
      await eventually(() => page.getByLabel("Name", { exact: true }).inputValue()).toBe(
        "Luna Stargazer",
      );
    },
  },
  {
    name: "admin-usage",
    path: "/admin/usage",
    ready: (page) => page.getByRole("heading", { name: "Cost per day" }).waitFor(),
  },
  {
    name: "admin-pipeline",
    path: "/admin/pipeline",
    ready: (page) => page.getByTestId("pipeline-generating").waitFor(),
  },
  {
    name: "admin-announcements",
    path: "/admin/announcements",
    ready: heading("Announcements"),
  },
];

async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
      found.push(
        `page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`,
      );
    for (const control of Array.from(document.querySelectorAll("input, textarea, select"))) {
      const element = control as HTMLInputElement;
      if (element.type === "hidden") continue;
      const labelled =
        (element.labels?.length ?? 0) > 0 ||
        element.hasAttribute("aria-label") ||
        element.hasAttribute("aria-labelledby");
      if (!labelled)
        found.push(`unlabelled ${element.tagName.toLowerCase()} ${element.id || element.name}`);
    }
    for (const button of Array.from(document.querySelectorAll("button, a[href]"))) {
      const name = (button.getAttribute("aria-label") ?? button.textContent ?? "").trim();
      if (!name)
        found.push(
          `${button.tagName.toLowerCase()} without a name: ${button.outerHTML.slice(0, 80)}`,
        );
    }
    return found;
  });
}

async function visit(page: Page, origin: string, screens: Screen[], viewport: ViewportName) {
  for (const screen of screens) {
    await page.goto(`${origin}${screen.path}`);
    await screen.ready(page);
    await page.waitForTimeout(300);
    expect(await layoutProblems(page), `${screen.name} at ${viewport}`).toEqual([]);
    await screenshot(page, `${screen.name}-${viewport}`);
  }
}

describe("every main screen", () => {
  for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`renders cleanly at ${viewport} width`, { timeout: 300_000 }, async () => {
      const signedOut = await openApp(browser(), viewport, "/signin");
      await signedOut.page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
      expect(await layoutProblems(signedOut.page)).toEqual([]);
      await screenshot(signedOut.page, `signin-${viewport}`);
      await signedOut.page.goto(signedOut.page.url().replace("/signin", "/signup"));
      await signedOut.page.getByRole("heading", { name: "Create an account" }).waitFor();
      await screenshot(signedOut.page, `signup-${viewport}`);
      // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
      await signedOut.page.keyboard.press("Tab");
      expect(await signedOut.page.evaluate(() => document.activeElement?.textContent)).toBe(
        "Skip to content",
      );

      const premium = await openApp(browser(), viewport, "/signin");
      await signInAs(premium.page, "premium@aichat.test", "premium-password");
      const origin = new URL(premium.page.url()).origin;
      await visit(premium.page, origin, PERSON_SCREENS, viewport);

      const admin = await openApp(browser(), viewport, "/signin");
      await signInAs(admin.page, "admin@aichat.test", "admin-password");
      await visit(admin.page, origin, ADMIN_SCREENS, viewport);

      expect(signedOut.problems).toEqual([]);
      expect(premium.problems).toEqual([]);
      expect(admin.problems).toEqual([]);
    });
  }
});
