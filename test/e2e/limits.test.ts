import { signInWithEmailAndPassword } from "firebase/auth";
import { doc, setDoc } from "firebase/firestore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callError, db, signUpAdmin } from "../helpers/admin";
import { setUsage, usedFree } from "../helpers/usage";
import { sendText, waitForFinalReply } from "../helpers/chat";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, newClientApp, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { fakeStripeControl } from "../doubles/fake-stripe";
import { RATE_LIMITS, type RateBucket } from "../../functions/src/limits/policy";

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});

async function exemptFromRateLimit(uid: string) {
  const admin = await signUpAdmin();
  await admin.call("setRateLimitExempt", { uid, exempt: true });
  await admin.close();
}

/** The same account signed in on several devices at once. */
async function devices(email: string, password: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const app = newClientApp();
      const credential = await signInWithEmailAndPassword(app.auth, email, password);
      return Object.assign(app, { user: credential.user });
    }),
  );
}

describe("free tier under concurrency", () => {
  it("gives exactly 30 replies to 50 concurrent text messages, ten rounds in a row", async () => {
    const tallies: string[] = [];
    for (let round = 1; round <= 10; round++) {
      const owner = await signUp(`burst${round}`);
      await exemptFromRateLimit(owner.user.uid);
      const phones = await devices(owner.email, owner.password, 5);
      const sent = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          sendText(phones[i % phones.length] ?? owner, "luna", `burst ${round}.${i} [[words:2]]`),
        ),
      );
      const replies = await Promise.all(
        sent.map(({ conversationId, messageId }) =>
          waitForFinalReply(owner, conversationId, messageId, 90_000),
        ),
      );
      const statuses = replies.map((reply) => String(reply.get("status")));
      const complete = statuses.filter((status) => status === "complete").length;
      const limited = replies.filter((reply) => reply.get("status") === "limit_reached");
      tallies.push(`${complete}/${limited.length}`);
      expect(complete).toBe(30);
      expect(limited).toHaveLength(20);
      expect(limited[0]?.get("error")).toMatchObject({
        code: "limit_reached",
        upgrade: { priceCents: 700, currency: "usd", days: 15, callable: "createCheckoutSession" },
      });
      expect(await usedFree(owner.user.uid, "luna")).toBe(30);
      // Each round's apps are closed before the next, so ten rounds hold no more open
      // connections than one.
      await Promise.all([...phones, owner].map((phone) => phone.close()));
    }
    console.log(
      `50 concurrent messages, 10 rounds: complete/limit_reached = ${tallies.join(", ")}`,
    );
  }, 600_000);
});

describe("rate limit", () => {
  it("trips at the 11th message in a minute with a retry time", async () => {
    const client = await signUp("fast");
    const statuses: string[] = [];
    for (let i = 1; i <= 11; i++) {
      const { conversationId, messageId } = await sendText(
        client,
        "luna",
        `quick ${i} [[words:2]]`,
      );
      const reply = await waitForFinalReply(client, conversationId, messageId);
      statuses.push(String(reply.get("status")));
      if (i === 11) {
        expect(reply.get("error").code).toBe("rate_limited");
        const retryAt = reply.get("error").retryAt.toMillis();
        expect(retryAt).toBeGreaterThan(Date.now());
        expect(retryAt).toBeLessThanOrEqual(Date.now() + 60_000);
      }
    }
    expect(statuses).toEqual([...Array<string>(10).fill("complete"), "rate_limited"]);
    // A rate-limited message costs no quota.
    expect(await usedFree(client.user.uid, "luna")).toBe(10);
  }, 120_000);

  it("limits auth callables and reports the retry time", async () => {
    const client = await signUp("namer");
    for (let i = 0; i < 5; i++)
      await client.call("claimUsername", { username: `name_${i}` }).catch(() => undefined);
    const error = await callError(client.call("claimUsername", { username: "one_more" }));
    expect(error.code).toBe("functions/resource-exhausted");
    expect(error.message).toMatch(/try again in \d+ s/);
  });
});

describe("rate limits on calls that cost money", () => {
  it("verifying a checkout, opening the portal and signing URLs stop at their limits", async () => {
    const client = await signUp("hasty");
    const uid = client.user.uid;
    const stripe = fakeStripeControl(`http://127.0.0.1:${process.env.FAKE_STRIPE_PORT ?? ""}`);
    const sessionId = `cs_test_limited_${Date.now()}`;
    const calls: [RateBucket, string, unknown][] = [
      ["checkoutVerify", "verifyCheckoutSession", { sessionId }],
      ["portal", "createPortalSession", { returnUrl: "http://localhost:5173/account" }],
      ["signedUrl", "getSignedUrl", { path: `user-content/${uid}/a.jpg` }],
    ];
    for (const [bucket, name, input] of calls) {
      // A window already full of calls made just now, as a client hammering it would leave.
      const rule = RATE_LIMITS[bucket];
      const now = Date.now();
      await db()
        .doc(`users/${uid}/rateLimits/${bucket}`)
        .set({ hits: Array.from({ length: rule.limit }, (_, i) => now - i * 10) });
      const error = await callError(client.call(name, input));
      expect(error, name).toMatchObject({
        code: "functions/resource-exhausted",
        reason: "rate_limited",
        message: expect.stringMatching(/try again in \d+ s/),
      });
    }
    // Refused before Stripe was asked anything.
    const asked = (await stripe.state()).requests.filter((request) =>
      request.path.includes(sessionId),
    );
    expect(asked).toEqual([]);
  }, 60_000);
});

describe("premium and the quota", () => {
  it("buying premium lifts the limit on the next message; expiry brings it back", async () => {
    const client = await signUp("upgrader");
    await setUsage(client.user.uid, "luna", { text: 30 });
    const first = await sendText(client, "luna", "before premium [[words:2]]");
    expect(
      (await waitForFinalReply(client, first.conversationId, first.messageId)).get("status"),
    ).toBe("limit_reached");

    const admin = await signUpAdmin();
    await admin.call("setPremium", {
      uid: client.user.uid,
      premiumUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const second = await sendText(client, "luna", "with premium [[words:2]]");
    expect(
      (await waitForFinalReply(client, second.conversationId, second.messageId)).get("status"),
    ).toBe("complete");
    const usage = await client.call<{ premium: boolean; limits: unknown }>("getUsage", {});
    expect(usage).toMatchObject({ premium: true, limits: null });

    await admin.call("setPremium", {
      uid: client.user.uid,
      premiumUntil: new Date(Date.now() - 1000).toISOString(),
    });
    const third = await sendText(client, "luna", "after expiry [[words:2]]");
    expect(
      (await waitForFinalReply(client, third.conversationId, third.messageId)).get("status"),
    ).toBe("limit_reached");
  }, 60_000);

  it("reports used and remaining per character", async () => {
    const client = await signUp("counter");
    const { conversationId, messageId } = await sendText(client, "luna", "count me [[words:2]]");
    await waitForFinalReply(client, conversationId, messageId);
    const usage = await client.call("getUsage", { characterId: "luna" });
    expect(usage).toEqual({
      premium: false,
      premiumUntil: null,
      limits: { text: 30, audio: 5, media: 5 },
      freeTier: { text: 30, audio: 5, media: 5 },
      characters: [
        {
          characterId: "luna",
          used: { text: 1, audio: 0, media: 0 },
          remaining: { text: 29, audio: 5, media: 5 },
        },
      ],
    });
  });
});

describe("forging usage", () => {
  it("a client cannot write or reset its usage, and deleting the conversation resets nothing", async () => {
    const client = await signUp("forger");
    for (const data of [{ characters: { luna: { text: 0 } } }, { hits: [] }]) {
      await expect(
        setDoc(doc(client.db, "users", client.user.uid, "quota", "messages"), data),
      ).rejects.toMatchObject({ code: "permission-denied" });
    }
    const { conversationId, messageId } = await sendText(client, "luna", "one [[words:2]]");
    await waitForFinalReply(client, conversationId, messageId);
    await client.call("deleteConversation", { conversationId, hard: true });
    const again = await sendText(client, "luna", "two [[words:2]]");
    await waitForFinalReply(client, again.conversationId, again.messageId);
    expect(await usedFree(client.user.uid, "luna")).toBe(2);
    await expect(
      setDoc(
        doc(client.db, "users", client.user.uid),
        { premiumUntil: new Date(2099, 1, 1) },
        { merge: true },
      ),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await expect(
      setDoc(doc(client.db, "users", client.user.uid), { rateLimitExempt: true }, { merge: true }),
    ).rejects.toMatchObject({ code: "permission-denied" });
  });
});
