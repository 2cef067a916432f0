// The client library's chat helpers end to end: the real functions, rules and triggers in the
// emulators, the OpenAI double answering. What a chat screen shows is what is asserted.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AppError,
  conversationWith,
  deleteConversation,
  markRead,
  openConversation,
  regenerateReply,
  replyError,
  searchMessages,
  selectReplyVersion,
  sendMessage,
  stopReply,
  waitForReply,
  watchConversation,
  watchMessages,
  watchReply,
  watchUsage,
  type CharacterUsage,
  type ConversationDoc,
  type Message,
  type Reply,
} from "../../client/src/index";
import { db, waitUntil } from "../helpers/admin";
import { setUsage } from "../helpers/usage";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { checkReplyError } from "../helpers/error-codes";

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna", greeting: "Hello there, traveller!" });
});
afterEach(async () => {
  await closeAllClientApps();
});

/** Resolves with the first value `watch` delivers that `done` accepts. */
function first<T>(
  watch: (onChange: (value: T) => void) => () => void,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`nothing matching after ${timeoutMs} ms`));
    }, timeoutMs);
    // Listeners never call back synchronously, so `stop` is set before the first value.
    const stop = watch((value) => {
      if (!done(value)) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}

async function finalReply(
  client: Parameters<typeof waitForReply>[0],
  sent: Parameters<typeof waitForReply>[1],
) {
  const reply = await waitForReply(client, sent);
  checkReplyError(reply);
  return reply;
}

describe("chatting with the client library", () => {
  it("opens with the greeting, streams a reply that grows, and completes with usage", async () => {
    const client = await signUp("reader");
    const chat = await openConversation(client, "luna");
    expect(chat).toMatchObject({ characterId: "luna", created: true });
    expect(chat.conversationId).toBe(conversationWith(client, "luna").conversationId);

    // The greeting is the message `greeting`, there before the user writes anything.
    const opening = await first<Message[]>(
      (onChange) => watchMessages(client, chat, onChange),
      (messages) => messages.length > 0,
    );
    expect(opening).toHaveLength(1);
    expect(opening[0]).toMatchObject({
      id: "greeting",
      role: "assistant",
      greeting: true,
      status: "complete",
      text: "Hello there, traveller!",
    });

    const sent = await sendMessage(client, chat, {
      type: "text",
      text: `Tell me about the stars [[pace:300]] [[words:30]] ${Date.now()}`,
    });
    expect(sent.replyId).toBe(`${sent.messageId}_reply`);
    const partialLengths = new Set<number>();
    const reply = await waitForReply(client, sent, (update) => {
      if (update.status === "generating" && update.text.length > 0)
        partialLengths.add(update.text.length);
    });
    expect(reply.status).toBe("complete");
    expect(reply.text.split(/\s+/)).toHaveLength(30);
    // The text grew: at least two different partial lengths were seen before the end.
    expect(partialLengths.size).toBeGreaterThanOrEqual(2);
    expect(Math.max(...partialLengths)).toBeLessThan(reply.text.length);
    expect(reply.usage?.completionTokens).toBeGreaterThan(0);
    expect(reply.costUsd).toBeGreaterThan(0);
    expect(replyError(reply)).toBeNull();

    // Greeting, message, reply, in that order, each typed by role.
    const messages = await first<Message[]>(
      (onChange) => watchMessages(client, chat, onChange),
      (all) => all.length === 3 && all[2]?.role === "assistant" && all[2].status === "complete",
    );
    expect(messages.map((message) => message.id)).toEqual([
      "greeting",
      sent.messageId,
      sent.replyId,
    ]);
    expect(messages[1]?.role).toBe("user");

    const unread = await first<ConversationDoc | null>(
      (onChange) => watchConversation(client, chat, onChange),
      (conversation) => conversation?.unread === 1,
    );
    expect(unread?.lastMessage?.role).toBe("assistant");
    await markRead(client, chat);
    const read = await first<ConversationDoc | null>(
      (onChange) => watchConversation(client, chat, onChange),
      (conversation) => conversation?.unread === 0,
    );
    expect(read?.lastReadAt).not.toBeNull();
  }, 120_000);

  it("stops a reply: stopReply answers stopping, and the reply reaches stopped with its text", async () => {
    const client = await signUp("stopper");
    const chat = conversationWith(client, "luna");
    const sent = await sendMessage(client, chat, {
      type: "text",
      text: `a long story [[pace:400]] [[words:80]] ${Date.now()}`,
    });
    await first<Reply | null>(
      (onChange) => watchReply(client, sent, onChange),
      (reply) => (reply?.text.length ?? 0) > 0,
    );
    await expect(stopReply(client, sent)).resolves.toBe("stopping");
    const reply = await finalReply(client, sent);
    expect(reply.status).toBe("stopped");
    const words = reply.text.split(/\s+/).filter(Boolean).length;
    expect(words).toBeGreaterThan(0);
    expect(words).toBeLessThan(80);
  }, 120_000);

  it("regenerates, keeps the first take in versions, and swaps back with selectReplyVersion", async () => {
    const client = await signUp("swiper");
    const chat = await openConversation(client, "luna");
    const sent = await sendMessage(client, chat, {
      type: "text",
      text: `first take [[words:6]] ${Date.now()}`,
    });
    const firstTake = await finalReply(client, sent);
    await expect(regenerateReply(client, sent)).resolves.toBe("complete");
    const second = await first<Reply | null>(
      (onChange) => watchReply(client, sent, onChange),
      (reply) => reply?.versions.length === 1 && reply.status === "complete",
    );
    expect(second?.versions[0]).toMatchObject({ text: firstTake.text, status: "complete" });
    expect(second?.versions[0]?.atMs).toEqual(expect.any(Number));
    const secondText = second?.text;

    // `version` is an index into versions; the current text takes its place.
    await selectReplyVersion(client, sent, 0);
    const swapped = await first<Reply | null>(
      (onChange) => watchReply(client, sent, onChange),
      (reply) => reply?.text === firstTake.text,
    );
    expect(swapped?.versions[0]?.text).toBe(secondText);
    await selectReplyVersion(client, sent, 0);
    await first<Reply | null>(
      (onChange) => watchReply(client, sent, onChange),
      (reply) => reply?.text === secondText,
    );

    const error = await selectReplyVersion(client, sent, 5).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "version_not_found", status: "invalid-argument" });
  }, 120_000);

  it("finds messages, refuses a malformed message before writing, and deletes", async () => {
    const client = await signUp("finder");
    const chat = conversationWith(client, "luna");
    const sent = await sendMessage(client, chat, {
      type: "text",
      text: "The lighthouse keeper sings [[words:3]]",
    });
    await finalReply(client, sent);
    const found = await searchMessages(client, chat, "lighthouse keeper");
    expect(found.map((result) => result.messageId)).toEqual([sent.messageId]);

    const empty = await sendMessage(client, chat, { type: "text", text: "" }).catch(
      (caught: unknown) => caught,
    );
    expect(empty).toMatchObject({ code: "invalid_input", field: "text", source: "client" });

    await deleteConversation(client, chat);
    expect((await db().doc(`conversations/${chat.conversationId}`).get()).get("deleted")).toBe(
      true,
    );
    await deleteConversation(client, chat, { hard: true });
    expect((await db().doc(`conversations/${chat.conversationId}`).get()).exists).toBe(false);
    const gone = await searchMessages(client, chat, "lighthouse").catch(
      (caught: unknown) => caught,
    );
    expect(gone).toMatchObject({ code: "conversation_not_found", status: "not-found" });
  }, 120_000);

  it("watches the free messages left, and shows the limit with its upgrade offer", async () => {
    const client = await signUp("counter");
    // Rate limit aside, so the test can use up the tier quickly.
    await db().doc(`users/${client.user.uid}`).update({ rateLimitExempt: true });
    const chat = conversationWith(client, "luna");
    // A watcher that stays open through the whole test: it must follow every change.
    const seen: CharacterUsage[] = [];
    const watchErrors: unknown[] = [];
    const stop = watchUsage(
      client,
      "luna",
      (usage) => seen.push(usage),
      (error) => watchErrors.push(error),
    );
    await first<CharacterUsage>(
      (onChange) => watchUsage(client, "luna", onChange),
      (usage) => usage.remaining.text === 30,
    );
    const sent = await sendMessage(client, chat, { type: "text", text: "hi [[words:2]]" });
    await finalReply(client, sent);
    const after = await first<CharacterUsage>(
      (onChange) => watchUsage(client, "luna", onChange),
      (usage) => usage.remaining.text === 29,
    );
    expect(after).toMatchObject({
      premium: false,
      limits: { text: 30, audio: 5, media: 5 },
      used: { text: 1, audio: 0, media: 0 },
    });

    // The last free message is used: the next reply is the limit, with the upgrade offer.
    await setUsage(client.user.uid, "luna", { text: 30 });
    const limited = await finalReply(
      client,
      await sendMessage(client, chat, { type: "text", text: "one more" }),
    );
    expect(limited.status).toBe("limit_reached");
    const error = replyError(limited);
    expect(error).toMatchObject({
      code: "limit_reached",
      source: "reply",
      upgrade: { priceCents: 700, currency: "usd", days: 15, callable: "createCheckoutSession" },
    });
    expect(error?.message).toMatch(/30 free text messages/);
    // Its first report waits for getUsage (a callable that may start a cold worker), so it
    // may come after the reply; it reaches the limit without a reload.
    await waitUntil(
      () => Promise.resolve(seen.at(-1)?.remaining.text === 0 || watchErrors.length > 0),
      45_000,
      "the open usage watcher to show no free messages left",
    );
    stop();
    expect(watchErrors).toEqual([]);
    expect(seen.at(-1)?.remaining.text).toBe(0);
  }, 120_000);
});
