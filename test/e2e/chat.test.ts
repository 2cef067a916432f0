import {
  collection,
  doc,
  getDoc,
  getDocs,
  orderBy,
  query,
  serverTimestamp,
  updateDoc,
} from "firebase/firestore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { onMessageCreated } from "../../functions/src/chat/on-message";
import { fakeOpenAIControl } from "../doubles/fake-openai";
import { callError, db } from "../helpers/admin";
import { usedFree } from "../helpers/usage";
import { conversationIdFor, replyRef, sendText, waitForFinalReply } from "../helpers/chat";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { waitForDoc } from "../helpers/wait-for";

const openAi = fakeOpenAIControl(process.env.OPENAI_BASE_URL ?? "");

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});

async function chatCompletionsFor(text: string) {
  return (await openAi.requests(text)).filter((request) => request.path === "/v1/chat/completions");
}

describe("the reply loop", () => {
  it("streams a reply that listeners see grow, then completes with usage and cost", async () => {
    const client = await signUp("chatter");
    const text = `Tell me about the stars [[pace:250]] [[words:24]] ${Date.now()}`;
    const { messageId, conversationId } = await sendText(client, "luna", text);
    const partial = await waitForDoc(
      replyRef(client, conversationId, messageId),
      (s) => s.get("status") === "generating" && String(s.get("text") ?? "").length > 0,
      20_000,
    );
    expect(String(partial.get("text")).length).toBeGreaterThan(0);
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("complete");
    expect(String(reply.get("text")).split(/\s+/).length).toBe(24);
    expect(String(reply.get("text")).length).toBeGreaterThan(String(partial.get("text")).length);
    expect(reply.get("usage")).toMatchObject({
      promptTokens: expect.any(Number),
      completionTokens: expect.any(Number),
    });
    // The model is a private AI setting: it is not on the reply a user reads.
    expect(reply.get("model")).toBeUndefined();
    expect(reply.get("costUsd")).toBeGreaterThan(0);
    expect(reply.get("latencyMs").total).toBeGreaterThan(0);

    // The character's greeting opens the conversation, then the message, then the reply.
    const messages = await getDocs(
      query(
        collection(client.db, "conversations", conversationId, "messages"),
        orderBy("createdAt"),
      ),
    );
    expect(messages.docs.map((m) => m.id)).toEqual(["greeting", messageId, `${messageId}_reply`]);
    const conversation = await getDoc(doc(client.db, "conversations", conversationId));
    expect(conversation.get("counts")).toEqual({
      user: { text: 1, audio: 0, media: 0 },
      assistant: 2,
    });
    expect(conversation.get("unread")).toBe(1);
    expect(conversation.get("lastMessage").role).toBe("assistant");

    // The prompt had one real system message first and the user's message last.
    const [request] = await chatCompletionsFor(text);
    const body = request?.body as { messages: { role: string; content: string }[] };
    expect(body.messages[0]?.role).toBe("system");
    expect(body.messages[0]?.content).toContain("Luna");
    expect(body.messages.at(-1)).toEqual({ role: "user", content: text });

    // Marking read is the only change the client may make to the conversation.
    await updateDoc(doc(client.db, "conversations", conversationId), {
      lastReadAt: serverTimestamp(),
      unread: 0,
    });
    await expect(
      updateDoc(doc(client.db, "conversations", conversationId), { costUsd: 0 }),
    ).rejects.toMatchObject({
      code: "permission-denied",
    });
  });

  it("answers a duplicate delivery of the same message with one reply and one model call", async () => {
    const client = await signUp("dup");
    const text = `Only once please [[pace:50]] ${Date.now()}`;
    const { messageId, conversationId } = await sendText(client, "luna", text);
    const event = {
      convId: conversationId,
      messageId,
      data: (
        await db()
          .collection("conversations")
          .doc(conversationId)
          .collection("messages")
          .doc(messageId)
          .get()
      ).data(),
    };
    // Four more deliveries race the emulator's own.
    await Promise.all([1, 2, 3, 4].map(() => onMessageCreated(event)));
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("complete");
    await onMessageCreated(event); // and one long after
    expect(await chatCompletionsFor(text)).toHaveLength(1);
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  });

  it("blocks flagged input with a friendly message and no quota used", async () => {
    const client = await signUp("rude");
    const text = `something nasty [[flag]] ${Date.now()}`;
    const { messageId, conversationId } = await sendText(client, "luna", text);
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("blocked");
    expect(reply.get("error").code).toBe("message_blocked");
    expect(reply.get("error").message).toMatch(/guidelines/);
    expect(reply.get("text")).toBe("");
    expect(await usedFree(client.user.uid, "luna")).toBe(0);
  });

  it("asks the model while the input is being moderated, and shows text only once it passed", async () => {
    const client = await signUp("eager");
    const text = `quick one [[words:5]] ${Date.now()}`;
    const { messageId, conversationId } = await sendText(client, "luna", text);
    await waitForFinalReply(client, conversationId, messageId);
    const requests = await openAi.requests(text);
    const moderation = requests.find((r) => r.path === "/v1/moderations");
    const completion = requests.find((r) => r.path === "/v1/chat/completions");
    // Both requests left before either answer was needed: the model did not wait.
    expect(moderation && completion).toBeTruthy();
    expect(Math.abs((completion?.atMs ?? 0) - (moderation?.atMs ?? 0))).toBeLessThan(200);
  });

  it("blocks a flagged reply after generation", async () => {
    const client = await signUp("tempt");
    const { messageId, conversationId } = await sendText(
      client,
      "luna",
      `say it [[flag-output]] ${Date.now()}`,
    );
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("blocked");
    expect(reply.get("error").code).toBe("reply_blocked");
    expect(reply.get("text")).toBe("");
  });

  it("retries 429 and 500 with backoff, then succeeds", async () => {
    const client = await signUp("retry");
    const text = `be patient [[fail:429x2]] ${Date.now()}`;
    const { messageId, conversationId } = await sendText(client, "luna", text);
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("complete");
    expect(reply.get("attempts")).toBe(3);
    expect(await chatCompletionsFor(text)).toHaveLength(3);
  });

  for (const [marker, code] of [
    ["[[fail:500]]", "reply_service_error"],
    ["[[fail:429]]", "reply_busy"],
    ["[[hang]]", "reply_timeout"],
  ] as const) {
    it(`fails cleanly after bounded retries on ${marker}, refunding the quota`, async () => {
      const client = await signUp("unlucky");
      const text = `hello ${marker} ${Date.now()}`;
      const { messageId, conversationId } = await sendText(client, "luna", text);
      const reply = await waitForFinalReply(client, conversationId, messageId, 40_000);
      expect(reply.get("status")).toBe("failed");
      expect(reply.get("error").code).toBe(code);
      expect(reply.get("error").message).not.toMatch(/429|500|openai/i);
      expect(await chatCompletionsFor(text)).toHaveLength(3);
      expect(await usedFree(client.user.uid, "luna")).toBe(0);
    }, 60_000);
  }

  it("stop keeps the partial text with status stopped", async () => {
    const client = await signUp("stopper");
    const { messageId, conversationId } = await sendText(
      client,
      "luna",
      `long story [[pace:400]] [[words:80]] ${Date.now()}`,
    );
    await waitForDoc(
      replyRef(client, conversationId, messageId),
      (s) => String(s.get("text") ?? "").length > 0,
      20_000,
    );
    await client.call("stopReply", { conversationId, messageId });
    const reply = await waitForFinalReply(client, conversationId, messageId);
    expect(reply.get("status")).toBe("stopped");
    const words = String(reply.get("text")).split(/\s+/).filter(Boolean).length;
    expect(words).toBeGreaterThan(0);
    expect(words).toBeLessThan(80);
    // Text was delivered, so the unit stays used.
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  });

  it("regenerate keeps the previous version as an alternative the user can pick", async () => {
    const client = await signUp("picky");
    const { messageId, conversationId } = await sendText(
      client,
      "luna",
      `first take [[words:5]] ${Date.now()}`,
    );
    const first = await waitForFinalReply(client, conversationId, messageId);
    await expect(client.call("regenerateReply", { conversationId, messageId })).resolves.toEqual({
      status: "complete",
    });
    const second = await getDoc(replyRef(client, conversationId, messageId));
    expect(second.get("versions")).toHaveLength(1);
    expect(second.get("versions")[0]).toEqual({
      text: first.get("text"),
      status: "complete",
      atMs: expect.any(Number),
    });
    // No second unit of quota for a regeneration.
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
    await client.call("selectReplyVersion", { conversationId, messageId, version: 0 });
    const picked = await getDoc(replyRef(client, conversationId, messageId));
    expect(picked.get("text")).toBe(first.get("text"));
    const context = await db().doc(`conversations/${conversationId}/context/window`).get();
    const turn = (context.get("turns") as { id: string; text: string }[]).find(
      (t) => t.id === `${messageId}_reply`,
    );
    expect(turn?.text).toBe(first.get("text"));
  });

  it("refuses messages that break the rules: wrong owner, server fields, bad shapes", async () => {
    const client = await signUp("forger");
    const other = await signUp("victim");
    const attempts: [string, Record<string, unknown>][] = [
      ["someone else's conversation", { userId: other.user.uid }],
      ["server field status", { status: "complete" }],
      ["keywords that are not a list", { keywords: "x" }],
      ["assistant role", { role: "assistant" }],
      ["empty text", { text: "" }],
      ["over 5000 characters", { text: "x".repeat(5001) }],
      ["unknown type", { type: "video" }],
      ["unknown character", { characterId: "nobody" }],
    ];
    for (const [what, extra] of attempts) {
      await expect(sendText(client, "luna", "hello", extra), what).rejects.toMatchObject({
        code: "permission-denied",
      });
    }
    // A second conversation id for the same character is refused too.
    const { addDoc } = await import("firebase/firestore");
    await expect(
      addDoc(collection(client.db, "conversations", `${client.user.uid}_luna_2`, "messages"), {
        role: "user",
        type: "text",
        text: "hi",
        characterId: "luna",
        userId: client.user.uid,
        createdAt: serverTimestamp(),
      }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    expect(conversationIdFor(client.user.uid, "luna")).toBe(`${client.user.uid}_luna`);
  });

  it("keeps the keywords a client sends only when they are the message's own", async () => {
    const client = await signUp("indexer");
    const honest = await sendText(client, "luna", "Lanterns glow [[words:3]]", {
      keywords: ["lanterns", "glow", "words"],
    });
    const forged = await sendText(client, "luna", "Quiet harbour [[words:3]]", {
      keywords: ["lanterns"],
    });
    for (const sent of [honest, forged])
      await waitForFinalReply(client, sent.conversationId, sent.messageId);
    const stored = async (id: string) =>
      (await db().doc(`conversations/${honest.conversationId}/messages/${id}`).get()).get(
        "keywords",
      );
    expect(await stored(honest.messageId)).toEqual(["lanterns", "glow", "words"]);
    expect([...(await stored(forged.messageId))].sort()).toEqual(["harbour", "quiet", "words"]);
  });

  it("searches a conversation's messages by keywords", async () => {
    const client = await signUp("searcher");
    const a = await sendText(client, "luna", `The lighthouse keeper sings [[words:3]]`);
    await waitForFinalReply(client, a.conversationId, a.messageId);
    const b = await sendText(client, "luna", `Nothing about towers here [[words:3]]`);
    await waitForFinalReply(client, b.conversationId, b.messageId);
    const found = await client.call<{ results: { messageId: string }[] }>("searchMessages", {
      conversationId: a.conversationId,
      query: "Lighthouse keeper",
    });
    expect(found.results.map((r) => r.messageId)).toEqual([a.messageId]);
    const error = await callError(
      client.call("searchMessages", { conversationId: "someone_else", query: "x" }),
    );
    expect(error.code).toBe("functions/not-found");
  });

  it("soft delete hides the conversation and keeps the data; hard delete removes it", async () => {
    const client = await signUp("cleaner");
    const { messageId, conversationId } = await sendText(client, "luna", "hi [[words:3]]");
    await waitForFinalReply(client, conversationId, messageId);
    await client.call("deleteConversation", { conversationId });
    expect((await db().collection("conversations").doc(conversationId).get()).get("deleted")).toBe(
      true,
    );
    expect(
      (await db().collection("conversations").doc(conversationId).collection("messages").get())
        .size,
    ).toBe(3);
    await client.call("deleteConversation", { conversationId, hard: true });
    expect((await db().collection("conversations").doc(conversationId).get()).exists).toBe(false);
    expect(
      (await db().collection("conversations").doc(conversationId).collection("messages").get())
        .size,
    ).toBe(0);
    // Usage is not reset by deleting the conversation.
    expect(await usedFree(client.user.uid, "luna")).toBe(1);
  });
});
