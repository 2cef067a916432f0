// Admins: a Character Card PNG imported and published in the admin screens appears in another
// person's character browser without a reload; a card whose fields carry script and
// event-handler markup is imported and shown, and nothing in it runs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { characterToCardPng } from "../../functions/src/characters/cards";
import { characterInputSchema } from "../../functions/src/contract/characters";
import { db } from "../helpers/admin";
import { Timestamp } from "../../functions/src/shared/firebase";
import { openApp, screenshot, signInAs } from "./harness";
import {
  browserForFile,
  eventually,
  existingPerson,
  lastReply,
  send,
  waitForFinalReply,
} from "./fixtures";

const ADMIN = { email: "admin@aichat.test", password: "admin-password" };
const files = mkdtempSync(join(tmpdir(), "aichat-cards-"));
const browser = browserForFile();

/** Imports a card file through the admin screen and opens the imported draft's editor. */
async function importThroughAdmin(
  page: import("playwright-core").Page,
  file: string,
  name: string,
) {
  await page.getByRole("link", { name: "Admin" }).click();
  await page.getByRole("heading", { name: "Characters", level: 1 }).waitFor();
  await page.getByLabel("Import a card (PNG or JSON)").setInputFiles(file);
  const notice = page.getByRole("status").filter({ hasText: "as a draft" });
  await notice.waitFor();
  expect(await notice.innerText()).toContain(name);
  await notice.getByRole("link", { name: "Review and publish it" }).click();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await eventually(() => page.getByText("Published", { exact: true }).count()).toBeGreaterThan(0);
}

describe("admin character screens", () => {
  it(
    "imports a card PNG and publishes it; another person's browser shows it without a reload",
    { timeout: 300_000 },
    async () => {
      const card = characterInputSchema.parse({
        profile: {
          name: "Orla Lighthouse",
          tagline: "Keeper of the last lighthouse on the northern cape.",
          description: "Orla has kept the light burning for **forty** years.",
          greeting: "*The lamp turns.* Oh! A visitor on a night like this?",
          tags: ["sea", "cozy"],
          personality: { traits: ["warmth", "trust"], tone: "warm" },
        },
        ai: {},
      });
      const pngPath = join(files, "orla.png");
      writeFileSync(pngPath, characterToCardPng(card));

      const person = await existingPerson("Kim");
      const viewer = await openApp(browser(), "desktop", "/signin");
      await signInAs(viewer.page, person.email, person.password);
      await viewer.page.getByRole("link", { name: /Luna Stargazer/ }).waitFor();
      // Marks this page load: a reload or navigation would lose it.
      await viewer.page.evaluate(() => Object.assign(window, { __sameLoad: true }));
      expect(await viewer.page.getByRole("link", { name: /Orla Lighthouse/ }).count()).toBe(0);

      const admin = await openApp(browser(), "desktop", "/signin");
      await signInAs(admin.page, ADMIN.email, ADMIN.password);
      await importThroughAdmin(admin.page, pngPath, "Orla Lighthouse");
      await screenshot(admin.page, "admin-editor-desktop");

      await viewer.page.getByRole("link", { name: /Orla Lighthouse/ }).waitFor();
      expect(
        await viewer.page.evaluate(() => (window as { __sameLoad?: boolean }).__sameLoad),
      ).toBe(true);
      const stored = await db()
        .collection("characters")
        .where("name", "==", "Orla Lighthouse")
        .get();
      expect(stored.docs[0]?.get("published")).toBe(true);

      await admin.page.getByRole("link", { name: "Characters", exact: true }).first().click();
      await admin.page.getByRole("link", { name: "Admin" }).click();
      await admin.page.getByRole("table", { name: "All characters" }).waitFor();
      await screenshot(admin.page, "admin-characters-desktop");
      expect(admin.problems).toEqual([]);
      expect(viewer.problems).toEqual([]);
    },
  );

  it(
    "imports a card carrying script and event-handler markup, and nothing in it runs",
    { timeout: 300_000 },
    async () => {
      const hostile = {
        spec: "chara_card_v2",
        spec_version: "2.0",
        data: {
          name: `Mallory <img src=x onerror="window.__pwned='name'">`,
          description: `<script>window.__pwned='description'</script> **Bold claim** [click me](javascript:window.__pwned='link') <iframe src="javascript:window.__pwned='iframe'"></iframe>`,
          personality: `<style>body{display:none}</style> sly`,
          scenario: `<img src=x onerror="window.__pwned='scenario'"> a dark alley`,
          first_mes: `*waves* <svg onload="window.__pwned='greeting'"></svg> Hello <b onmouseover="window.__pwned='hover'">friend</b>`,
          mes_example: "",
          creator_notes: `<a href="javascript:window.__pwned='notes'">notes</a>`,
          system_prompt: "",
          post_history_instructions: "",
          alternate_greetings: [],
          tags: ["mystery"],
          creator: `<script>window.__pwned='creator'</script>`,
          character_version: "1",
          extensions: { aichat: { tagline: `<img src=x onerror="window.__pwned='tagline'">` } },
        },
      };
      const jsonPath = join(files, "mallory.json");
      writeFileSync(jsonPath, JSON.stringify(hostile));
      const admin = await openApp(browser(), "desktop", "/signin");
      await signInAs(admin.page, ADMIN.email, ADMIN.password);
      await importThroughAdmin(admin.page, jsonPath, "Mallory");
      const stored = (
        await db().collection("characters").where("tags", "array-contains", "mystery").get()
      ).docs.find((doc) => String(doc.get("name")).startsWith("Mallory"));
      expect(stored).toBeDefined();
      const id = stored?.id ?? "";
      // A hostile gallery caption too.
      await db()
        .doc(`characters/${id}/gallery/alley`)
        .set({
          type: "image",
          storagePath: `characters/${id}/gallery/alley/image.png`,
          caption: `<img src=x onerror="window.__pwned='caption'"> the alley`,
          tags: [],
          premiumOnly: false,
          variants: {},
          viewCount: 0,
          viewCountRefreshedAtMs: null,
          createdAt: Timestamp.now(),
        });

      const person = await existingPerson("Lee");
      const { page, problems, dialogs } = await openApp(browser(), "desktop", "/signin");
      await signInAs(page, person.email, person.password);
      const origin = new URL(page.url()).origin;
      const documentResponse = await page.goto(`${origin}/characters/${id}`);
      const policy = documentResponse?.headers()["content-security-policy"] ?? "";
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain("unsafe-inline");
      expect(policy).toContain("object-src 'none'");
      // The name is shown as text, markup and all.
      await page.getByRole("heading", { name: /Mallory <img src=x onerror=/, level: 1 }).waitFor();
      await page.getByText(/<img src=x onerror="window.__pwned='caption'"> the alley/).waitFor();
      await screenshot(page, "hostile-character-desktop");

      await page.getByRole("link", { name: /Chat with Mallory/ }).click();
      await eventually(() => page.getByTestId("reply").count()).toBe(1);
      await eventually(async () => (await lastReply(page)).text).toContain("<svg onload=");
      await send(page, `<img src=x onerror="window.__pwned='message'"> hi [[words:12]]`);
      await waitForFinalReply(page, 2, 120_000);
      await eventually(() => page.getByTestId("user-message").last().innerText()).toContain(
        "<img src=x onerror=",
      );
      await screenshot(page, "hostile-chat-desktop");

      const injected = await page.evaluate(() => ({
        pwned: (window as { __pwned?: unknown }).__pwned ?? null,
        elements: document.querySelectorAll(
          "#root script, #root iframe, #root object, #root embed, #root style, #root img[src='x'], #root svg[onload], [onerror], [onload], [onmouseover]",
        ).length,
        javascriptLinks: document.querySelectorAll("a[href^='javascript:' i]").length,
        scripts: Array.from(document.scripts).map((script) =>
          script.src.replace(location.origin, ""),
        ),
      }));
      expect(injected.pwned).toBeNull();
      expect(injected.elements).toBe(0);
      expect(injected.javascriptLinks).toBe(0);
      // Only the app's own module.
      expect(injected.scripts).toHaveLength(1);
      expect(injected.scripts[0]).toMatch(/^\/assets\/index-[\w-]+\.js$/);
      // Hovering the greeting's bold word runs nothing either.
      await page.getByText("friend", { exact: false }).first().hover();
      expect(
        await page.evaluate(() => (window as { __pwned?: unknown }).__pwned ?? null),
      ).toBeNull();
      expect(dialogs).toEqual([]);
      expect(problems).toEqual([]);
      expect(admin.problems).toEqual([]);
    },
  );
});
