// Faults the product must survive with exactly one correct final state per message.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { sweepStaleReplies } from "../../functions/src/chat/sweep";
import { db } from "../helpers/admin";
import { usedFree } from "../helpers/usage";
import { replyRef, sendText, waitForFinalReply } from "../helpers/chat";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { waitForDoc } from "../helpers/wait-for";

const survived: string[] = [];

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});
afterAll(() => {
  console.log(
    `fault cases ending in exactly one correct final state: ${survived.length} (${survived.join(", ")})`,
  );
});

async function replyDocs(conversationId: string, messageId: string) {
  const all = await db()
    .collection("conversations")
    .doc(conversationId)
    .collection("messages")
    .where("replyTo", "==", messageId)
    .get();
  return all.docs;
}

describe("provider and runtime faults", () => {
  it("a stream dropped mid-reply is retried from scratch; after bounded attempts the reply fails cleanly", async () => {
    const client = await signUp("dropped");
    const { conversationId, messageId } = await sendText(
      client,
      "luna",
      `tell me [[drop]] ${Date.now()}`,
    );
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("failed");
    expect(reply.get("error").code).toBe("reply_unreachable");
    expect(await replyDocs(conversationId, messageId)).toHaveLength(1);
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
    survived.push("stream dropped");
  });

  it("a worker that dies mid-reply loses its lease; the sweeper retakes the reply and completes it once", async () => {
    const client = await signUp("orphan");
    const { conversationId, messageId } = await sendText(
      client,
      "luna",
      `a long tale [[pace:250]] [[words:24]] ${Date.now()}`,
    );
    const ref = db()
      .collection("conversations")
      .doc(conversationId)
      .collection("messages")
      .doc(`${messageId}_reply`);
    await waitForDoc(
      replyRef(client, conversationId, messageId),
      (s) => String(s.get("text") ?? "").length > 0,
      20_000,
    );
    // As if the worker's instance had been killed: its lease is no longer its own and has run out.
    await ref.update({ lease: { owner: "dead-worker", expiresAtMs: Date.now() - 1 } });
    const swept = await sweepStaleReplies(Date.now());
    expect(swept.retaken).toBe(1);
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("complete");
    expect(reply.get("attempt")).toBe(2);
    expect(String(reply.get("text")).split(/\s+/)).toHaveLength(24);
    // The first worker noticed it lost the lease and wrote nothing after the retake.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const settled = await ref.get();
    expect(settled.get("status")).toBe("complete");
    expect(settled.get("text")).toBe(reply.get("text"));
    expect(await replyDocs(conversationId, messageId)).toHaveLength(1);
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
    survived.push("worker killed mid-reply");
  }, 60_000);

  it("a reply whose every try died ends failed, and its quota unit comes back", async () => {
    const client = await signUp("cursed");
    const { conversationId, messageId } = await sendText(
      client,
      "luna",
      `short [[words:3]] ${Date.now()}`,
    );
    await waitForFinalReply(client, conversationId, messageId);
    const ref = db()
      .collection("conversations")
      .doc(conversationId)
      .collection("messages")
      .doc(`${messageId}_reply`);
    // As if the first take had never delivered: three tries, each worker killed.
    await ref.update({
      status: "generating",
      text: "",
      answered: false,
      unit: { charged: true, deliveredSinceCharge: false },
      attempt: 3,
      lease: { owner: "dead-worker", expiresAtMs: Date.now() - 1 },
    });
    const swept = await sweepStaleReplies(Date.now());
    expect(swept.failed).toBe(1);
    const reply = await ref.get();
    expect(reply.get("status")).toBe("failed");
    expect(await replyDocs(conversationId, messageId)).toHaveLength(1);
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
    survived.push("every take died");
  });
});
