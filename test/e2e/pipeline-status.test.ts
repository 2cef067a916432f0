// The admin view of the live reply pipeline: replies in flight per status, recent failures
// and the reply generating longest, counted over every conversation.
import { Timestamp } from "../../functions/src/shared/firebase";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  IN_FLIGHT_STATUSES,
  type ReplyPipelineStatusOutput,
} from "../../functions/src/contract/pipeline";
import { callError, db, signUpAdmin } from "../helpers/admin";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";

beforeEach(async () => {
  await clearFirestore();
  await clearAuth();
});
afterEach(async () => {
  await closeAllClientApps();
});

/**
 * Reply documents written straight into `messages` collections outside `conversations/`,
 * so no reply trigger picks them up; the collection-group counts see them all the same.
 */
async function reply(path: string, status: string, createdAgoMs: number, updatedAgoMs = 0) {
  const now = Date.now();
  await db()
    .doc(path)
    .set({
      role: "assistant",
      replyTo:
        path
          .split("/")
          .at(-1)
          ?.replace(/_reply$/, "") ?? "",
      status,
      text: "",
      createdAt: Timestamp.fromMillis(now - createdAgoMs),
      updatedAt: Timestamp.fromMillis(now - updatedAgoMs),
    });
}

describe("replyPipelineStatus", () => {
  it("counts replies in flight, failures of the last hour, and names the oldest generating one", async () => {
    await reply("pipelineCases/a/messages/m1_reply", "generating", 5_000);
    await reply("pipelineCases/b/messages/m2_reply", "generating", 65_000);
    await reply("pipelineCases/b/messages/m3_reply", "queued", 1_000);
    await reply("pipelineCases/c/messages/m4_reply", "failed", 600_000, 600_000);
    await reply("pipelineCases/c/messages/m5_reply", "failed", 7_200_000, 7_200_000);
    await reply("pipelineCases/c/messages/m6_reply", "complete", 1_000);
    const admin = await signUpAdmin();
    const status = await admin.call<ReplyPipelineStatusOutput>("replyPipelineStatus", {});
    expect(Object.keys(status.inFlight).sort()).toEqual([...IN_FLIGHT_STATUSES].sort());
    expect(status.inFlight.generating).toBe(2);
    expect(status.inFlight.queued).toBe(1);
    expect(status.failedRecently).toBe(1);
    expect(status.oldestGenerating).toMatchObject({ conversationId: "b", messageId: "m2" });
    expect(status.oldestGenerating?.ageMs).toBeGreaterThanOrEqual(60_000);
  });

  it("answers an idle pipeline with zeros and no oldest reply", async () => {
    const admin = await signUpAdmin();
    const status = await admin.call<ReplyPipelineStatusOutput>("replyPipelineStatus", {});
    expect(Object.values(status.inFlight).every((count) => count === 0)).toBe(true);
    expect(status.failedRecently).toBe(0);
    expect(status.oldestGenerating).toBeNull();
  });

  it("is for admins only", async () => {
    const user = await signUp("pipeline");
    expect(await callError(user.call("replyPipelineStatus", {}))).toMatchObject({
      code: "functions/permission-denied",
    });
  });
});
