// One turn, one key: every log line the reply pipeline writes for a turn (claim, moderation,
// model call, retries, finalize, refund) carries the same replyId and conversationId, so an
// operator pulls a whole turn from Cloud Logging with one filter.
import { withFunctionTriggersDisabled } from "@firebase/rules-unit-testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UNPATCHED_CONSOLE } from "../../functions/node_modules/firebase-functions/lib/logger/common.js";
import { onMessageCreated } from "../../functions/src/chat/on-message";
import { conversationId as conversationIdOf } from "../../functions/src/contract/chat";
import { searchKeywords } from "../../functions/src/contract/search";
import { Timestamp } from "../../functions/src/shared/firebase";
import { db } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await closeAllClientApps();
});

/**
 * The structured lines firebase-functions' logger writes (one JSON object per line). It
 * writes through the console methods it kept when it loaded, so those are the ones watched.
 */
function captureLogLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const keep = (...args: unknown[]) => {
    if (typeof args[0] !== "string") return;
    try {
      const parsed: unknown = JSON.parse(args[0]);
      if (parsed && typeof parsed === "object") lines.push(parsed as Record<string, unknown>);
    } catch {
      // not a structured line
    }
  };
  for (const method of ["debug", "info", "log", "warn", "error"] as const) {
    vi.spyOn(UNPATCHED_CONSOLE, method).mockImplementation(keep);
  }
  return lines;
}

/** Writes the user's message and runs the reply handler for it, as its trigger would. */
async function turn(uid: string, text: string) {
  const convId = conversationIdOf(uid, "luna");
  const message = db().collection("conversations").doc(convId).collection("messages").doc();
  const data = {
    role: "user",
    type: "text",
    text,
    keywords: searchKeywords(text),
    characterId: "luna",
    userId: uid,
    createdAt: Timestamp.now(),
  };
  await message.set(data);
  const result = await onMessageCreated({ convId, messageId: message.id, data });
  return { convId, messageId: message.id, result };
}

describe("a turn's log lines", () => {
  it("all carry the turn's replyId and conversationId, through retries and refunds", async () => {
    const client = await signUp("logged");
    const uid = client.user.uid;
    await withFunctionTriggersDisabled(async () => {
      const lines = captureLogLines();
      // A provider that refuses the first call (a retry), then a flagged input (a refund).
      const retried = await turn(uid, `retried [[fail:429x1]] [[words:5]] ${Date.now()}`);
      const flagged = await turn(uid, `flagged [[flag]] ${Date.now()}`);
      vi.restoreAllMocks();

      for (const { convId, messageId } of [retried, flagged]) {
        const own = lines.filter((line) => line.messageId === messageId);
        expect(own.length, `log lines of ${messageId}`).toBeGreaterThanOrEqual(2);
        for (const line of own) {
          expect(line, String(line.message)).toMatchObject({
            replyId: `${messageId}_reply`,
            conversationId: convId,
          });
        }
        // No line about the turn leaves the keys out.
        const mentioning = lines.filter((line) => JSON.stringify(line).includes(messageId));
        expect(mentioning).toHaveLength(own.length);
      }
      const retriedLines = lines.filter((line) => line.messageId === retried.messageId);
      expect(retriedLines.map((line) => line.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/retry/i)]),
      );
      expect(
        lines.filter((line) => line.messageId === flagged.messageId).map((line) => line.status),
      ).toContain("blocked");
    });
  });
});
