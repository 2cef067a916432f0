// The queued state in the chat: with premium priority on (REPLY_PRIORITY=true, which
// `npm run test:queue` sets for its emulator run), a free person's reply waits its turn and
// the chat says so in words, without the typing dots, before the reply streams.
import { describe, expect, it } from "vitest";
import { appUrl, openApp, screenshot, signInAs } from "./harness";
import { browserForFile, eventually, existingPerson, send, waitForFinalReply } from "./fixtures";

// emulators/exec.mjs hands the functions' params (AICHAT_PARAMS included) to this process.
const queueOn = process.env.REPLY_PRIORITY === "true";
if (!queueOn) {
  console.log(
    "test/browser/queued.test.ts skipped in this run: it needs REPLY_PRIORITY=true in the functions, which `npm run test:queue` (part of npm test) sets",
  );
}

const LUNA = "luna-stargazer";
const browser = browserForFile({ when: queueOn });

/** What the last reply bubble showed, each time it changed (recorded in the page). */
interface Seen {
  status: string | null;
  queued: string | null;
  typing: boolean;
  textLength: number;
}

describe("a free person's reply waiting its turn", () => {
  it.skipIf(!queueOn)(
    "shows the queued wording, not the typing dots, before the reply streams",
    { timeout: 240_000 },
    async () => {
      const person = await existingPerson("Dee");
      const { page, problems } = await openApp(browser(), "desktop", "/signin");
      await signInAs(page, person.email, person.password);
      await page.goto(appUrl(`/chat/${LUNA}`));
      await eventually(() => page.getByTestId("reply").count()).toBe(1);

      // The queued moment can be short: the page records every state of the newest reply.
      await page.evaluate(() => {
        const seen: Seen[] = [];
        (window as unknown as { seenReplies: Seen[] }).seenReplies = seen;
        // Inline callbacks only: the function is sent to the page as its source text.
        new MutationObserver(() => {
          const replies = document.querySelectorAll('[data-testid="reply"]');
          if (replies.length < 2) return;
          const reply = replies[replies.length - 1];
          const state: Seen = {
            status: reply.getAttribute("data-status"),
            queued: reply.querySelector('[data-testid="queued"]')?.textContent ?? null,
            typing: reply.querySelector(".typing") !== null,
            textLength: reply.querySelector('[data-testid="reply-text"]')?.textContent?.length ?? 0,
          };
          const last = seen.at(-1);
          if (JSON.stringify(last) !== JSON.stringify(state)) seen.push(state);
        }).observe(document.body, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      });

      await send(page, "Are you there? [[first:1500]] [[words:8]]");
      await page
        .getByTestId("queued")
        .waitFor({ timeout: 30_000 })
        .then(() => screenshot(page, "chat-queued-desktop"))
        .catch(() => undefined);
      await waitForFinalReply(page, 2, 120_000);
      const seen = await page.evaluate(
        () => (window as unknown as { seenReplies: Seen[] }).seenReplies,
      );
      const firstQueued = seen.findIndex((state) => state.status === "queued");
      const firstText = seen.findIndex((state) => state.textLength > 0);
      expect(firstQueued, JSON.stringify(seen)).toBeGreaterThanOrEqual(0);
      expect(firstText).toBeGreaterThan(firstQueued);
      const queued = seen[firstQueued];
      expect(queued.queued).toMatch(
        /^Luna Stargazer will answer (soon|in about \d+ (s|min))Free replies wait their turn; premium replies don't\.$/,
      );
      expect(queued.typing).toBe(false);
      expect(queued.textLength).toBe(0);
      // Once it is generating the dots take over and the queued words are gone.
      expect(seen.some((state) => state.status === "generating" && state.typing)).toBe(true);
      expect(seen.every((state) => state.status === "queued" || state.queued === null)).toBe(true);
      expect(seen.at(-1)?.status).toBe("complete");
      expect(problems).toEqual([]);
    },
  );
});
