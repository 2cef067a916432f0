// Premium priority: free users' replies wait in the reply queue (Cloud Tasks, through the
// emulator's task queue), premium replies never do. This file runs in the second emulator
// run of `npm test` (`npm run test:queue`), whose functions have REPLY_PRIORITY=true.
import { onSnapshot } from "firebase/firestore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyTaskSchema, type ReplyTask } from "../../functions/src/chat/queue";
import { dispatchReply } from "../../functions/src/chat/dispatch";
import { onMessageCreated } from "../../functions/src/chat/on-message";
import { readSettings } from "../../functions/src/config";
import { Timestamp } from "../../functions/src/shared/firebase";
import { fakeOpenAIControl } from "../doubles/fake-openai";
import { db } from "../helpers/admin";
import {
  conversationIdFor,
  replyRef,
  sendText,
  sendTextAs,
  waitForFinalReply,
} from "../helpers/chat";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp, type ClientApp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { usedFree } from "../helpers/usage";
import { waitForDoc } from "../helpers/wait-for";
import type { User } from "firebase/auth";

const queueOn = process.env.REPLY_PRIORITY === "true";
if (!queueOn) {
  console.log(
    "test/e2e/queue.test.ts skipped in this run: it needs REPLY_PRIORITY=true in the functions, which `npm run test:queue` (part of npm test) sets",
  );
}

const openAi = fakeOpenAIControl(process.env.OPENAI_BASE_URL ?? "");
type Client = ClientApp & { user: User };

beforeEach(async () => {
  if (!queueOn) return;
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});

function adminReply(conversationId: string, messageId: string) {
  return db().doc(`conversations/${conversationId}/messages/${messageId}_reply`);
}

async function completions(text: string) {
  return (await openAi.requests(text)).filter((r) => r.path === "/v1/chat/completions");
}

/** Every status a listener saw, in order, until the reply ended. */
async function statusesOf(client: Client, conversationId: string, messageId: string) {
  const seen: string[] = [];
  const stop = onSnapshot(replyRef(client, conversationId, messageId), (s) => {
    const status = String(s.get("status") ?? "");
    if (status && seen.at(-1) !== status) seen.push(status);
  });
  const reply = await waitForFinalReply(client, conversationId, messageId, 60_000);
  stop();
  return { seen, reply };
}

async function makePremium(uid: string) {
  await db()
    .doc(`users/${uid}`)
    .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 86_400_000) });
}

/**
 * A message delivered here, in this process, with the queue captured instead of Cloud
 * Tasks: the stored copy lacks `userId`, so the emulator's own trigger ignores it.
 */
async function queuedHere(client: Client, text: string) {
  const conversationId = conversationIdFor(client.user.uid, "luna");
  const messageId = `m${Date.now()}`;
  const data = {
    role: "user",
    type: "text",
    text,
    characterId: "luna",
    createdAt: Timestamp.now(),
  };
  await db().doc(`conversations/${conversationId}/messages/${messageId}`).set(data);
  const tasks: ReplyTask[] = [];
  await onMessageCreated(
    { convId: conversationId, messageId, data: { ...data, userId: client.user.uid } },
    { enqueue: (task) => Promise.resolve(void tasks.push(replyTaskSchema.parse(task))) },
  );
  return { conversationId, messageId, task: tasks[0] };
}

describe.skipIf(!queueOn)("the reply queue", () => {
  it("a free user's reply waits in the queue, then streams; a premium reply never waits", async () => {
    const free = await signUp("freeq");
    const text = `hello there [[pace:100]] [[words:12]] ${Date.now()}`;
    const sent = await sendText(free, "luna", text);
    const freeRun = await statusesOf(free, sent.conversationId, sent.messageId);
    expect(freeRun.seen[0]).toBe("queued");
    expect(freeRun.seen).toContain("generating");
    expect(freeRun.reply.get("status")).toBe("complete");
    expect(await usedFree(free.user.uid, "luna")).toBe(1);
    expect(await completions(text)).toHaveLength(1);

    const premium = await signUp("premiumq");
    await makePremium(premium.user.uid);
    const premiumText = `hello premium [[words:6]] ${Date.now()}`;
    const premiumSent = await sendText(premium, "luna", premiumText);
    const premiumRun = await statusesOf(premium, premiumSent.conversationId, premiumSent.messageId);
    expect(premiumRun.seen).not.toContain("queued");
    expect(premiumRun.reply.get("status")).toBe("complete");
  }, 90_000);

  it("a queued reply says so, with an estimate of the wait", async () => {
    const client = await signUp("waiting");
    const { conversationId, messageId, task } = await queuedHere(client, "wait for me [[words:3]]");
    const queued = await adminReply(conversationId, messageId).get();
    expect(queued.get("status")).toBe("queued");
    expect(queued.get("queue")).toMatchObject({
      enqueuedAtMs: expect.any(Number),
      deferrals: 0,
      taskId: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    });
    expect(queued.get("queue")).toHaveProperty("estimatedWaitMs");
    expect(task).toBeDefined();
  });

  it("a task delivered twice answers once", async () => {
    const client = await signUp("twice");
    const text = `only once [[words:4]] ${Date.now()}`;
    const { conversationId, messageId, task } = await queuedHere(client, text);
    if (!task) throw new Error("nothing was queued");
    const first = await dispatchReply({ data: task, retryCount: 0 });
    expect(first?.status).toBe("complete");
    await expect(dispatchReply({ data: task, retryCount: 1 })).resolves.toBeNull();
    expect(await completions(text)).toHaveLength(1);
    expect((await adminReply(conversationId, messageId).get()).get("status")).toBe("complete");
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  });

  it("stopping a reply while it waits ends it at once, gives its unit back, and the task does nothing", async () => {
    const client = await signUp("stopq");
    const text = `never mind [[words:4]] ${Date.now()}`;
    const { conversationId, messageId, task } = await queuedHere(client, text);
    // The stored message as a client writes it (an update: no trigger runs for it).
    await db()
      .doc(`conversations/${conversationId}/messages/${messageId}`)
      .update({ userId: client.user.uid });
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
    await expect(client.call("stopReply", { conversationId, messageId })).resolves.toEqual({
      status: "stopped",
    });
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
    await expect(dispatchReply({ data: task, retryCount: 0 })).resolves.toBeNull();
    expect(await completions(text)).toHaveLength(0);
  });

  it("when the provider answers 429, the take goes back to the queue and is answered later", async () => {
    const client = await signUp("busyq");
    const text = `at capacity [[fail:429x1]] [[words:4]] ${Date.now()}`;
    const { conversationId, messageId, task } = await queuedHere(client, text);
    await expect(dispatchReply({ data: task, retryCount: 0 })).rejects.toThrow(/capacity/);
    const deferred = await adminReply(conversationId, messageId).get();
    expect(deferred.get("status")).toBe("queued");
    expect(deferred.get("queue").deferrals).toBe(1);
    expect(deferred.get("text")).toBe("");
    // The queue's retry: the provider has room again.
    await expect(dispatchReply({ data: task, retryCount: 1 })).resolves.toMatchObject({
      status: "complete",
    });
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  });

  it("the queue's last delivery ends a take the provider keeps refusing as a failed reply, refunded", async () => {
    const client = await signUp("lastq");
    const text = `never room [[fail:429]] [[words:4]] ${Date.now()}`;
    const { conversationId, messageId, task } = await queuedHere(client, text);
    const last = readSettings().replyQueueMaxAttempts - 1;
    await expect(dispatchReply({ data: task, retryCount: last })).resolves.toMatchObject({
      status: "failed",
    });
    const reply = await adminReply(conversationId, messageId).get();
    expect(reply.get("status")).toBe("failed");
    expect(reply.get("error").code).toBe("reply_busy");
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
  });

  it("a free user's regeneration waits in the queue too", async () => {
    const client = await signUp("regenq");
    const sent = await sendText(client, "luna", `hi [[words:3]] ${Date.now()}`);
    await waitForFinalReply(client, sent.conversationId, sent.messageId, 60_000);
    await expect(
      client.call("regenerateReply", {
        conversationId: sent.conversationId,
        messageId: sent.messageId,
      }),
    ).resolves.toEqual({ status: "queued" });
    // The new take, not the cached first one: it has the first text among its versions.
    const regenerated = await waitForDoc(
      replyRef(client, sent.conversationId, sent.messageId),
      (s) => s.get("status") === "complete" && (s.get("versions") ?? []).length === 1,
      60_000,
    );
    expect(regenerated.get("text")).not.toBe("");
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  }, 90_000);

  it("a message written while the take waits creates no second task and no second reply", async () => {
    const client = await signUp("dupq");
    const conversationId = conversationIdFor(client.user.uid, "luna");
    const messageId = `m${Date.now()}`;
    const text = `hello once [[words:3]] ${Date.now()}`;
    await sendTextAs(client, "luna", messageId, text);
    const reply = await waitForFinalReply(client, conversationId, messageId, 60_000);
    expect(reply.get("status")).toBe("complete");
    // A redelivery of the trigger after the take ran changes nothing.
    const stored = await db().doc(`conversations/${conversationId}/messages/${messageId}`).get();
    await onMessageCreated({ convId: conversationId, messageId, data: stored.data() });
    expect(await completions(text)).toHaveLength(1);
  }, 90_000);
});
