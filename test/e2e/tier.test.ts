// What a user can get from the free tier and from the server's work, whatever they do:
// regenerate, stop, retry, flood, or act after being refused or deactivated.
import { onSnapshot } from "firebase/firestore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Timestamp } from "../../functions/src/shared/firebase";
import { onMessageCreated } from "../../functions/src/chat/on-message";
import { sweepStaleReplies } from "../../functions/src/chat/sweep";
import { readSettings } from "../../functions/src/config";
import { counts, installCounters, resetCounts } from "../../bench/firestore-ops";
import { fakeOpenAIControl } from "../doubles/fake-openai";
import { FLAGGED_OUTPUT_TOKEN } from "../doubles/fake-openai";
import { adminAuth, callError, db } from "../helpers/admin";
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
import { testSettings } from "../helpers/settings";
import { messageHits, setMessageHits, setUsage, usedFree } from "../helpers/usage";
import { waitForDoc } from "../helpers/wait-for";
import type { User } from "firebase/auth";

const openAi = fakeOpenAIControl(process.env.OPENAI_BASE_URL ?? "");

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});

type Client = ClientApp & { user: User };

async function completions(text: string) {
  return (await openAi.requests(text)).filter((r) => r.path === "/v1/chat/completions");
}

function adminReply(conversationId: string, messageId: string) {
  return db()
    .collection("conversations")
    .doc(conversationId)
    .collection("messages")
    .doc(`${messageId}_reply`);
}

async function messageEvent(conversationId: string, messageId: string) {
  const snapshot = await db()
    .collection("conversations")
    .doc(conversationId)
    .collection("messages")
    .doc(messageId)
    .get();
  return { convId: conversationId, messageId, data: snapshot.data() };
}

/** Starts a regeneration and waits until its new take is running (text cleared). */
async function regenerateInBackground(client: Client, conversationId: string, messageId: string) {
  const call = client.call<{ status: string }>("regenerateReply", { conversationId, messageId });
  await waitForDoc(
    replyRef(client, conversationId, messageId),
    (s) => s.get("status") === "generating" && (s.get("versions") ?? []).length > 0,
    20_000,
  );
  // Wrapped, so awaiting this function does not wait for the call itself.
  return { finished: call };
}

/** A message whose reply the user stops before its first word: its unit comes back. */
async function stoppedBeforeText(client: Client) {
  // The first word comes after 1.5 s (under the tests' 2 s provider timeout, so the
  // regenerated take of the same text completes).
  const text = `slowly [[first:1500]] [[words:6]] ${Date.now()}`;
  const { messageId, conversationId } = await sendText(client, "luna", text);
  await waitForDoc(
    replyRef(client, conversationId, messageId),
    (s) => s.get("status") === "generating",
  );
  // The stop request stopReply writes for a live take, written directly: a callable's cold
  // start on a busy machine can take longer than the 1.5 s before the first word.
  await adminReply(conversationId, messageId).update({ stopRequested: true });
  const stopped = await waitForFinalReply(client, conversationId, messageId);
  return { text, messageId, conversationId, stopped };
}

describe("the free unit belongs to the message", () => {
  it("stopping a regenerated take before its first text does not give back the delivered reply's unit", async () => {
    const client = await signUp("stopregen");
    // The regenerated take waits for its first word: time to stop it before any text.
    const text = `tell me [[first-again:1900]] [[words:6]] ${Date.now()}`;
    const { messageId, conversationId } = await sendText(client, "luna", text);
    const original = await waitForFinalReply(client, conversationId, messageId);
    expect(original.get("status")).toBe("complete");
    expect(await usedFree(client.user.uid, "luna")).toBe(1);

    const regenerating = await regenerateInBackground(client, conversationId, messageId);
    // The stop request stopReply writes for a live take (the Functions emulator runs one
    // callable at a time, so the callable itself would wait for regenerateReply to end).
    await adminReply(conversationId, messageId).update({ stopRequested: true });
    await expect(regenerating.finished).resolves.toEqual({ status: "stopped" });
    expect(await usedFree(client.user.uid, "luna")).toBe(1);

    // Swiping back to the delivered original does not make it free either.
    await client.call("selectReplyVersion", { conversationId, messageId, version: 0 });
    const picked = await adminReply(conversationId, messageId).get();
    expect(picked.get("text")).toBe(original.get("text"));
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  }, 60_000);

  it("a reply stopped before any text is refunded, and regenerating it to completion charges it again", async () => {
    const client = await signUp("stopfirst");
    const { messageId, conversationId, stopped } = await stoppedBeforeText(client);
    expect(stopped.get("status")).toBe("stopped");
    expect(stopped.get("text")).toBe("");
    expect(await usedFree(client.user.uid, "luna")).toBe(0);

    await expect(client.call("regenerateReply", { conversationId, messageId })).resolves.toEqual({
      status: "complete",
    });
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  }, 60_000);

  it("a refunded message at the free limit cannot be regenerated", async () => {
    const client = await signUp("atlimit");
    const { text, messageId, conversationId } = await stoppedBeforeText(client);
    await setUsage(client.user.uid, "luna", { text: 30 });
    const before = (await completions(text)).length;
    const error = await callError(client.call("regenerateReply", { conversationId, messageId }));
    expect(error.code).toBe("functions/resource-exhausted");
    expect(error.message).toMatch(/free messages/);
    expect((await completions(text)).length).toBe(before);
    expect(await usedFree(client.user.uid, "luna")).toBe(30);
  }, 60_000);
});

describe("regenerating passes the checks a new message passes", () => {
  async function answered(prefix: string) {
    const client = await signUp(prefix);
    const text = `hello [[words:4]] ${prefix} ${Date.now()}`;
    const sent = await sendText(client, "luna", text);
    await waitForFinalReply(client, sent.conversationId, sent.messageId);
    return { client, text, ...sent };
  }

  it("after the character is unpublished", async () => {
    const { client, text, conversationId, messageId } = await answered("unpub");
    await db().collection("characters").doc("luna").update({ published: false });
    const error = await callError(client.call("regenerateReply", { conversationId, messageId }));
    expect(error.code).toBe("functions/failed-precondition");
    expect(error.message).toMatch(/not available/);
    expect(await completions(text)).toHaveLength(1);
  });

  it("after premium ends, for a premium-only character", async () => {
    await createCharacter("vip", { name: "Vip", premiumOnly: true });
    const client = await signUp("expired");
    await db()
      .collection("users")
      .doc(client.user.uid)
      .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 86_400_000) });
    const text = `hi vip [[words:4]] ${Date.now()}`;
    const { conversationId, messageId } = await sendText(client, "vip", text);
    expect((await waitForFinalReply(client, conversationId, messageId)).get("status")).toBe(
      "complete",
    );
    await db()
      .collection("users")
      .doc(client.user.uid)
      .update({ premiumUntil: Timestamp.fromMillis(Date.now() - 1000) });
    for (let i = 0; i < 3; i++) {
      const error = await callError(client.call("regenerateReply", { conversationId, messageId }));
      expect(error.code).toBe("functions/permission-denied");
    }
    expect(await completions(text)).toHaveLength(1);
  });

  it("when the account is deactivated", async () => {
    const { client, text, conversationId, messageId } = await answered("deact");
    await client.call("deactivateAccount", {});
    const error = await callError(client.call("regenerateReply", { conversationId, messageId }));
    expect(error.code).toBe("functions/failed-precondition");
    expect(await completions(text)).toHaveLength(1);
  });

  it("and counts toward the per-minute limit", async () => {
    const { client, conversationId, messageId } = await answered("regenflood");
    // The first message used one slot of the ten; nine regenerations fill the minute.
    for (let i = 0; i < 9; i++) await client.call("regenerateReply", { conversationId, messageId });
    const error = await callError(client.call("regenerateReply", { conversationId, messageId }));
    expect(error.code).toBe("functions/resource-exhausted");
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  }, 60_000);
});

describe("a worker keeps its reply while it streams", () => {
  async function pendingTake(client: Client, text: string) {
    // A reply held by a worker that died: the trigger's own delivery leaves it alone (the
    // lease is live when the message arrives), then the lease is made to run out.
    const conversationId = conversationIdFor(client.user.uid, "luna");
    const messageId = `m${Date.now()}`;
    await adminReply(conversationId, messageId).set({
      role: "assistant",
      replyTo: messageId,
      userId: client.user.uid,
      characterId: "luna",
      status: "generating",
      text: "",
      attempt: 1,
      lease: { owner: "dead-worker", expiresAtMs: Date.now() + 60_000 },
      unit: { charged: false, deliveredSinceCharge: false },
    });
    await sendTextAs(client, "luna", messageId, text);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the trigger's delivery skips
    await adminReply(conversationId, messageId).update({
      "lease.expiresAtMs": Date.now() - 1,
    });
    return { conversationId, messageId };
  }

  async function streamWhileSweeping(renewEveryMs: number) {
    const client = await signUp("longstream");
    const text = `a very long story [[pace:400]] [[words:30]] ${Date.now()}`;
    await client.call("startConversation", { characterId: "luna" });
    const { conversationId, messageId } = await pendingTake(client, text);
    let retaken = 0;
    let sweeping = true;
    const sweeper = (async () => {
      // Begins once this worker has claimed the expired take.
      await new Promise((resolve) => setTimeout(resolve, 500));
      while (sweeping) {
        retaken += (await sweepStaleReplies(Date.now())).retaken;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    const result = await onMessageCreated(await messageEvent(conversationId, messageId), {
      timing: { leaseMs: 4000, renewEveryMs },
    });
    sweeping = false;
    await sweeper;
    return { client, text, conversationId, messageId, retaken, result };
  }

  it("renews its lease, so a reply streaming for longer than the lease is never retaken", async () => {
    // A 12 s stream under a 4 s lease renewed every half second.
    const run = await streamWhileSweeping(500);
    expect(run.result).toMatchObject({ status: "complete", committed: true });
    expect(run.retaken).toBe(0);
    expect(await completions(run.text)).toHaveLength(1);
    const reply = await adminReply(run.conversationId, run.messageId).get();
    expect(reply.get("status")).toBe("complete");
    expect(String(reply.get("text")).split(/\s+/)).toHaveLength(30);
  }, 60_000);

  it("without renewal the same stream is retaken, and the first worker stops and writes nothing more", async () => {
    const run = await streamWhileSweeping(60_000);
    expect(run.retaken).toBeGreaterThan(0);
    expect(run.result).toMatchObject({ status: "lease_lost", committed: false });
    const reply = await waitForFinalReply(run.client, run.conversationId, run.messageId, 40_000);
    expect(reply.get("status")).toBe("complete");
  }, 90_000);
});

describe("refused work is bounded and cheap", () => {
  it("a free user at the limit gets ten refusals a minute, then rate limits, and no model call", async () => {
    const client = await signUp("flood");
    await setUsage(client.user.uid, "luna", { text: 30 });
    const marker = `flood-${Date.now()}`;
    const sent = [];
    for (let i = 0; i < 15; i++) sent.push(await sendText(client, "luna", `${marker} ${i}`));
    const statuses = [];
    for (const { conversationId, messageId } of sent) {
      statuses.push(
        String((await waitForFinalReply(client, conversationId, messageId)).get("status")),
      );
    }
    expect(statuses.filter((s) => s === "limit_reached")).toHaveLength(10);
    expect(statuses.filter((s) => s === "rate_limited")).toHaveLength(5);
    expect(await completions(marker)).toHaveLength(0);
    expect(await messageHits(client.user.uid)).toHaveLength(10);
  }, 60_000);

  it("a premium user has a per-minute limit of their own", async () => {
    const client = await signUp("premiumflood");
    await db()
      .collection("users")
      .doc(client.user.uid)
      .update({ premiumUntil: Timestamp.fromMillis(Date.now() + 86_400_000) });
    const limit = readSettings().premiumMessagesPerMinute;
    const now = Date.now();
    await setMessageHits(
      client.user.uid,
      Array.from({ length: limit }, (_, i) => now - 1000 - i),
    );
    const { conversationId, messageId } = await sendText(client, "luna", `one more ${now}`);
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("rate_limited");
    expect(reply.get("error").retryAt).toBeDefined();
  });

  it("a refusal costs a constant number of reads and writes, and no model call", async () => {
    const client = await signUp("cheap");
    await client.call("startConversation", { characterId: "luna" });
    await setUsage(client.user.uid, "luna", { text: 30 });
    const conversationId = conversationIdFor(client.user.uid, "luna");
    installCounters();
    const marker = `cheap-${Date.now()}`;
    const costs: { status: string; reads: number; writes: number }[] = [];
    for (let i = 0; i < 14; i++) {
      // Delivered here, in this process, where the operations are counted: the stored copy
      // lacks `userId`, so the emulator's own delivery ignores it.
      const messageId = `m${i}`;
      const data = { role: "user", type: "text", text: `${marker} ${i}`, characterId: "luna" };
      await db()
        .collection("conversations")
        .doc(conversationId)
        .collection("messages")
        .doc(messageId)
        .set(data);
      resetCounts();
      await onMessageCreated({
        convId: conversationId,
        messageId,
        data: { ...data, userId: client.user.uid, createdAt: Timestamp.now() },
      });
      const cost = { ...counts };
      const status = String((await adminReply(conversationId, messageId).get()).get("status"));
      costs.push({ status, ...cost });
    }
    // Ten refused for the quota, then the per-minute limit refuses the rest; each kind of
    // refusal always costs the same: the claim's reads, and the reply, the conversation,
    // the message's keywords and (for a counted one) the meter.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    const of = (status: string) => costs.filter((c) => c.status === status);
    expect(of("limit_reached")).toHaveLength(10);
    expect(of("rate_limited")).toHaveLength(4);
    expect(median(of("limit_reached").map((c) => c.reads))).toBe(5);
    expect(median(of("limit_reached").map((c) => c.writes))).toBe(4);
    expect(median(of("rate_limited").map((c) => c.reads))).toBe(5);
    expect(median(of("rate_limited").map((c) => c.writes))).toBe(3);
    // A transaction the emulator aborts under load runs again, reading once more.
    for (const cost of costs) expect(cost.reads).toBeLessThanOrEqual(10);
    expect(await completions(marker)).toHaveLength(0);
  }, 60_000);
});

describe("moderated streaming", () => {
  it("no listener ever sees text that output moderation blocks", async () => {
    const client = await signUp("flagged");
    const text = `go on [[flag-output-at:30]] [[pace:60]] [[words:60]] ${Date.now()}`;
    const { conversationId, messageId } = await sendText(client, "luna", text);
    const seen: string[] = [];
    const stop = onSnapshot(replyRef(client, conversationId, messageId), (s) =>
      seen.push(String(s.get("text") ?? "")),
    );
    const reply = await waitForFinalReply(client, conversationId, messageId, 40_000);
    stop();
    expect(reply.get("status")).toBe("blocked");
    expect(reply.get("error").code).toBe("reply_blocked");
    expect(reply.get("text")).toBe("");
    expect(seen.some((t) => t.length > 0)).toBe(true); // clean text before the flag was shown
    expect(seen.filter((t) => t.includes(FLAGGED_OUTPUT_TOKEN))).toEqual([]);
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
    expect(await messageHits(client.user.uid)).toHaveLength(1);
  }, 60_000);

  it("a flagged input aborts the generation: nothing is kept and nothing charged", async () => {
    const client = await signUp("rude");
    const text = `something nasty [[flag]] [[pace:200]] [[words:40]] ${Date.now()}`;
    const { conversationId, messageId } = await sendText(client, "luna", text);
    const seen: string[] = [];
    const stop = onSnapshot(replyRef(client, conversationId, messageId), (s) =>
      seen.push(String(s.get("text") ?? "")),
    );
    const reply = await waitForFinalReply(client, conversationId, messageId);
    stop();
    expect(reply.get("status")).toBe("blocked");
    expect(reply.get("error").code).toBe("message_blocked");
    expect(seen.every((t) => t === "")).toBe(true);
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
  });
});

describe("statistics count what they mean", () => {
  it("starting, hard-deleting and starting again counts one conversation, and starts are rate-limited", async () => {
    const client = await signUp("restart");
    const conversationId = conversationIdFor(client.user.uid, "luna");
    for (let round = 0; round < 5; round++) {
      await client.call("startConversation", { characterId: "luna" });
      await client.call("deleteConversation", { conversationId, hard: true });
    }
    const shards = await db().collection("characters").doc("luna").collection("statShards").get();
    const conversations = shards.docs.reduce((sum, s) => sum + (s.get("conversations") ?? 0), 0);
    expect(conversations).toBe(1);
    for (let i = 5; i < 10; i++) await client.call("startConversation", { characterId: "luna" });
    const error = await callError(client.call("startConversation", { characterId: "luna" }));
    expect(error.code).toBe("functions/resource-exhausted");
  }, 60_000);

  it("a regenerated message counts once in the character's messages", async () => {
    const client = await signUp("regencount");
    const { conversationId, messageId } = await sendText(client, "luna", "hi [[words:3]]");
    await waitForFinalReply(client, conversationId, messageId);
    for (let i = 0; i < 3; i++) await client.call("regenerateReply", { conversationId, messageId });
    const shards = await db().collection("characters").doc("luna").collection("statShards").get();
    expect(shards.docs.reduce((sum, s) => sum + (s.get("messages") ?? 0), 0)).toBe(1);
    const conversation = await db().collection("conversations").doc(conversationId).get();
    expect(conversation.get("counts")).toEqual({
      user: { text: 1, audio: 0, media: 0 },
      assistant: 2,
    });
  }, 60_000);
});

describe("a deactivated account acts on nothing", () => {
  it("refuses startConversation, regenerateReply, stopReply and deleteConversation", async () => {
    const client = await signUp("inactive");
    const { conversationId, messageId } = await sendText(client, "luna", "hi [[words:3]]");
    await waitForFinalReply(client, conversationId, messageId);
    await client.call("deactivateAccount", {});
    for (const [name, data] of [
      ["startConversation", { characterId: "luna" }],
      ["regenerateReply", { conversationId, messageId }],
      ["stopReply", { conversationId, messageId }],
      ["deleteConversation", { conversationId, hard: true }],
    ] as const) {
      const error = await callError(client.call(name, data));
      expect(error.code, name).toBe("functions/failed-precondition");
    }
    expect((await db().collection("conversations").doc(conversationId).get()).exists).toBe(true);
    await client.call("reactivateAccount", {});
    await expect(client.call("startConversation", { characterId: "luna" })).resolves.toMatchObject({
      created: false,
    });
  });
});

describe("private AI settings stay private", () => {
  it("a reply carries neither the character's private model nor the knowledge entries that fired", async () => {
    await createCharacter(
      "sage",
      { name: "Sage" },
      {
        model: "gpt-4.1-mini",
        knowledgeBase: [
          { id: "secret-lore", keys: ["dragon"], content: "Dragons sleep under the hill." },
        ],
      },
    );
    const client = await signUp("curious");
    const { conversationId, messageId } = await sendText(client, "sage", "tell me of the dragon");
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("complete");
    const visible = JSON.stringify(reply.data());
    expect(visible).not.toContain("gpt-4.1-mini");
    expect(visible).not.toContain("secret-lore");
    expect(reply.get("model")).toBeUndefined();
    expect(reply.get("prompt")).toBeUndefined();
    // Admins find them where only functions and admins read.
    const context = await db().doc(`conversations/${conversationId}/context/window`).get();
    const turn = (context.get("turns") as { id: string; diagnostics?: unknown }[]).find(
      (t) => t.id === `${messageId}_reply`,
    );
    expect(turn?.diagnostics).toMatchObject({ model: "gpt-4.1-mini", knowledge: ["secret-lore"] });
  });
});

describe("reply documents the server did not write", () => {
  it("the claim never overwrites a document it cannot read", async () => {
    const client = await signUp("forged");
    const conversationId = conversationIdFor(client.user.uid, "luna");
    const messageId = `m${Date.now()}`;
    await adminReply(conversationId, messageId).set({ something: "else", planted: true });
    const text = `hello [[words:3]] ${Date.now()}`;
    await sendTextAs(client, "luna", messageId, text);
    await onMessageCreated(await messageEvent(conversationId, messageId));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await adminReply(conversationId, messageId).get()).data()).toEqual({
      something: "else",
      planted: true,
    });
    expect(await completions(text)).toHaveLength(0);
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
  });
});

describe("free replies can require a verified email", () => {
  it("refuses an unverified account's message when the setting is on, and answers once verified", async () => {
    const client = await signUp("unverified");
    const settings = testSettings({ ...readSettings(), requireVerifiedEmail: true });
    const conversationId = conversationIdFor(client.user.uid, "luna");
    // The message as the trigger receives it; the stored copy lacks `userId`, so the
    // emulator's own delivery ignores it and only this call (with the setting on) answers.
    const deliver = async (messageId: string, text: string) => {
      const data = {
        role: "user",
        type: "text",
        text,
        characterId: "luna",
        createdAt: Timestamp.now(),
      };
      await db()
        .collection("conversations")
        .doc(conversationId)
        .collection("messages")
        .doc(messageId)
        .set(data);
      return onMessageCreated(
        { convId: conversationId, messageId, data: { ...data, userId: client.user.uid } },
        { settings },
      );
    };
    await deliver("first", "hello [[words:3]]");
    const refused = await adminReply(conversationId, "first").get();
    expect(refused.get("status")).toBe("failed");
    expect(refused.get("error").code).toBe("email_unverified");
    await adminAuth().updateUser(client.user.uid, { emailVerified: true });
    const answered = await deliver("second", "hello again [[words:3]]");
    expect(answered?.status).toBe("complete");
  });
});
