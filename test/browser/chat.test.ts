// A new person signs up, claims a name, opens a character and chats: the reply grows while
// it is written, one reply is stopped, another regenerated and swiped back to.
import { describe, expect, it } from "vitest";
import { openApp, screenshot } from "./harness";
import {
  browserForFile,
  eventually,
  lastReply,
  send,
  signUpThroughApp,
  waitForFinalReply,
} from "./fixtures";

const browser = browserForFile();

describe("a new person chats with a character", () => {
  it(
    "signs up, claims a name, watches a reply grow, stops one, regenerates one and swipes back",
    { timeout: 300_000 },
    async () => {
      const { page, problems, dialogs } = await openApp(browser(), "desktop", "/signin");
      await signUpThroughApp(page, "Robin");

      await page.getByRole("link", { name: /Luna Stargazer/ }).click();
      await page.getByRole("heading", { name: "Luna Stargazer", level: 1 }).waitFor();
      await page.getByRole("link", { name: /Chat with Luna/ }).click();
      await page.getByRole("heading", { name: "Luna Stargazer", level: 1 }).waitFor();
      // The greeting is there before the first message.
      await eventually(() => page.getByTestId("reply").count()).toBe(1);
      await eventually(async () => (await lastReply(page)).text).toMatch(/visitor|meteor|clouds/i);
      await eventually(() => page.getByTestId("usage").innerText()).toBe("30 free messages left");

      // 24 words, one every 250 ms: the reply document is updated about once a second.
      await send(page, "Tell me about the stars tonight [[pace:250]] [[words:24]]");
      const partial = new Set<number>();
      let final = "";
      const deadline = Date.now() + 60_000;
      let sawTyping = false;
      while (Date.now() < deadline) {
        const replies = await page.getByTestId("reply").count();
        const { status, text } = await lastReply(page);
        if (replies >= 2 && status === "generating") {
          sawTyping ||=
            (await page.getByRole("status", { name: /Luna Stargazer is typing/ }).count()) > 0;
          if (text.length > 0) partial.add(text.length);
        }
        if (replies >= 2 && status === "complete") {
          final = text;
          break;
        }
        await page.waitForTimeout(40);
      }
      expect(final.split(/\s+/)).toHaveLength(24);
      const growing = [...partial].filter((length) => length < final.length);
      expect(
        growing.length,
        `partial lengths seen: ${[...partial].join(", ")}`,
      ).toBeGreaterThanOrEqual(2);
      expect(sawTyping).toBe(true);
      await eventually(() => page.getByTestId("usage").innerText()).toBe("29 free messages left");
      // The character has read the message.
      await eventually(() => page.getByTestId("user-message").last().innerText()).toMatch(/Read/);
      await screenshot(page, "chat-desktop");

      // Stop: a slow 80-word reply stopped once it has begun.
      await send(page, "Tell me a very long story [[pace:200]] [[words:80]]");
      await eventually(async () => {
        const replies = await page.getByTestId("reply").count();
        const { text } = await lastReply(page);
        return replies >= 3 && text.length > 0;
      }, 30_000).toBe(true);
      await page.getByTestId("reply").last().getByRole("button", { name: /Stop/ }).click();
      await eventually(async () => (await lastReply(page)).status).toBe("stopped");
      const stopped = (await lastReply(page)).text;
      expect(stopped.split(/\s+/).length).toBeLessThan(80);
      expect(
        await page.getByTestId("reply").last().getByText("stopped", { exact: true }).count(),
      ).toBe(1);

      // Regenerate: the alternative differs (the double numbers its takes), then swipe back.
      await send(page, "Which planet is brightest? [[takes]] [[words:10]]");
      await waitForFinalReply(page, 4);
      const first = (await lastReply(page)).text;
      expect(first).toMatch(/^Take 1\./);
      await page.getByRole("button", { name: "↻ Regenerate" }).click();
      await eventually(async () => (await lastReply(page)).text).toMatch(/^Take 2\./);
      await waitForFinalReply(page, 4);
      const position = page.getByTestId("reply").last().getByTestId("alternative-position");
      await eventually(() => position.innerText()).toBe("2 / 2");
      await page.getByRole("button", { name: "Previous alternative" }).click();
      await eventually(async () => (await lastReply(page)).text).toBe(first);
      await eventually(() => position.innerText()).toBe("1 / 2");
      await page.getByRole("button", { name: "Next alternative" }).click();
      await eventually(async () => (await lastReply(page)).text).toMatch(/^Take 2\./);

      // Search finds an earlier message.
      await page.getByRole("button", { name: "Search messages" }).click();
      await page
        .getByRole("searchbox", { name: "Search this conversation" })
        .fill("planet brightest");
      await page.getByRole("search").getByRole("button", { name: "Search" }).click();
      await eventually(
        () => page.getByRole("list", { name: "Search results" }).innerText(),
        15_000,
      ).toMatch(/brightest/);
      await screenshot(page, "chat-search-desktop");

      expect(dialogs).toEqual([]);
      expect(problems).toEqual([]);
    },
  );
});
