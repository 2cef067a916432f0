// Free and premium: premium gallery items are locked for a free user; a free user who has
// used their free messages sees the upgrade prompt, buys premium through the local checkout
// (the Stripe double's hosted page, which delivers the signed webhook) and keeps chatting.
import { describe, expect, it } from "vitest";
import { db } from "../helpers/admin";
import { setUsage } from "../helpers/usage";
import { openApp, screenshot, signInAs } from "./harness";
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

describe("free and premium", () => {
  it(
    "shows a free user premium gallery items locked behind an upgrade prompt",
    { timeout: 240_000 },
    async () => {
      const person = await existingPerson();
      const { page, problems } = await openApp(browser(), "desktop", "/signin");
      await signInAs(page, person.email, person.password);
      await page.goto(`${new URL(page.url()).origin}/characters/${LUNA}`);
      const gallery = page.getByRole("list", { name: "Luna Stargazer's gallery" });
      await eventually(() => gallery.getByRole("figure").count()).toBe(3);
      const locked = page.getByTestId("locked-gallery-item");
      expect(await locked.count()).toBe(1);
      await eventually(() => locked.first().innerText()).toMatch(/Premium only/);
      expect(
        await locked.getByRole("link", { name: "Upgrade to see it" }).getAttribute("href"),
      ).toBe("/premium");
      // The premium item's caption never reached this browser.
      expect(await page.getByText("notebook twelve", { exact: false }).count()).toBe(0);
      await page.getByRole("heading", { name: "Gallery" }).scrollIntoViewIfNeeded();
      await screenshot(page, "gallery-locked-desktop");
      expect(problems).toEqual([]);
    },
  );

  it(
    "hits the free limit, buys premium through the local checkout and keeps chatting",
    { timeout: 300_000 },
    async () => {
      const person = await existingPerson();
      // One free message left with Luna (the server's counter, arranged as the trigger keeps it).
      await setUsage(person.uid, LUNA, { text: 29 });
      const { page, problems, dialogs } = await openApp(browser(), "desktop", "/signin");
      await signInAs(page, person.email, person.password);
      const origin = new URL(page.url()).origin;
      await page.goto(`${origin}/chat/${LUNA}`);
      await eventually(() => page.getByTestId("usage").innerText()).toBe("1 free message left");
      await eventually(() => page.getByTestId("reply").count()).toBe(1);

      await send(page, "One last question [[words:6]]");
      await waitForFinalReply(page, 2);
      expect((await lastReply(page)).status).toBe("complete");
      await eventually(() => page.getByTestId("usage").innerText()).toBe("0 free messages left");
      const banner = page.getByTestId("limit-banner");
      await banner.waitFor();
      expect(await banner.innerText()).toMatch(/used all your free messages/);
      expect(await page.getByRole("textbox", { name: /^Message / }).isDisabled()).toBe(true);
      await screenshot(page, "chat-limit-desktop");

      await banner.getByRole("link", { name: "Upgrade to premium" }).click();
      await page.getByRole("heading", { name: "Premium", level: 1 }).waitFor();
      await page.getByRole("button", { name: /Go premium for \$7\.00/ }).click({ timeout: 60_000 });
      // The local stand-in's hosted checkout page, clearly labelled.
      await page.getByRole("button", { name: "Pay $7.00" }).waitFor({ timeout: 60_000 });
      expect(await page.getByText("Local Stripe stand-in.").count()).toBe(1);
      await screenshot(page, "checkout-standin-desktop");
      await page.getByRole("button", { name: "Pay $7.00" }).click();
      await page.waitForURL(/\/premium\/success\?session_id=cs_/, { timeout: 60_000 });
      await page.getByTestId("premium-active").waitFor({ timeout: 60_000 });
      await eventually(() => page.getByRole("status").allInnerTexts()).toContain(
        "Payment received.",
      );
      await screenshot(page, "checkout-success-desktop");
      const profile = await db().doc(`users/${person.uid}`).get();
      expect(profile.get("premiumUntil").toMillis()).toBeGreaterThan(Date.now() + 14 * 86_400_000);

      // Premium: unlimited, and the conversation goes on.
      await page.goto(`${origin}/chat/${LUNA}`);
      await eventually(() => page.getByTestId("usage").innerText()).toBe("Premium: unlimited");
      expect(await page.getByTestId("limit-banner").count()).toBe(0);
      await send(page, "I am back [[words:5]]");
      await waitForFinalReply(page, 3);
      expect((await lastReply(page)).status).toBe("complete");

      // The payment is in the history.
      await page.goto(`${origin}/premium`);
      await eventually(() => page.getByRole("table").innerText()).toMatch(/\$7\.00\s+paid/);
      await screenshot(page, "premium-desktop");
      expect(dialogs).toEqual([]);
      expect(problems).toEqual([]);
    },
  );
});
