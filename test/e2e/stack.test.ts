// The local stack as a newcomer meets it: health, seeded data, a callable.
import { collection, doc, getDoc, getDocs, query, where } from "firebase/firestore";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSeeds } from "../../functions/src/seed/run";
import { closeAllClientApps, newClientApp, signIn } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";
import { functionUrl } from "../helpers/env";
import { sendText, waitForFinalReply } from "../helpers/chat";

const seedsDir = fileURLToPath(new URL("../../seeds", import.meta.url));

beforeAll(async () => {
  await clearFirestore();
  await clearAuth();
});
afterAll(async () => {
  await closeAllClientApps();
});

describe("health", () => {
  it("reports every dependency, with live and ready variants", async () => {
    const detailed = await fetch(functionUrl("health"));
    expect(detailed.status).toBe(200);
    const report = (await detailed.json()) as {
      status: string;
      checks: { name: string; status: string }[];
    };
    expect(report.checks.map((check) => check.name)).toEqual([
      "firestore",
      "auth",
      "openai",
      "stripe",
      "storage",
    ]);
    expect(report.checks.find((check) => check.name === "firestore")?.status).toBe("ok");
    expect(report.checks.find((check) => check.name === "auth")?.status).toBe("ok");
    const live = await fetch(functionUrl("health", "/live"));
    expect(await live.json()).toMatchObject({ status: "ok", variant: "live", checks: [] });
    const ready = await fetch(functionUrl("health", "/ready"));
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: unknown[] }).checks).toHaveLength(2);
    expect((await fetch(functionUrl("health"), { method: "POST" })).status).toBe(405);
  });
});

describe("seed data", () => {
  it("seeds idempotently: a second run changes nothing", async () => {
    const first = await runSeeds(seedsDir);
    expect(first.changed).toBeGreaterThan(0);
    const second = await runSeeds(seedsDir);
    expect(second.changed).toBe(0);
    expect(second.characters).toMatch(/^0 created, 0 updated/);
  });

  it("seeded characters are readable by a signed-in demo user and not by an anonymous client", async () => {
    const demo = await signIn("demo@aichat.test", "demo-password");
    const published = await getDocs(
      query(collection(demo.db, "characters"), where("published", "==", true)),
    );
    expect(published.size).toBeGreaterThanOrEqual(8);
    const names = new Set(published.docs.map((character) => character.get("name")));
    expect(names.size).toBe(published.size);
    const firstId = published.docs[0]?.id ?? "missing";
    await expect(
      getDoc(doc(demo.db, "characters", firstId, "private", "ai")),
    ).rejects.toMatchObject({
      code: "permission-denied",
    });
    const anonymous = newClientApp();
    await expect(
      getDocs(query(collection(anonymous.db, "characters"), where("published", "==", true))),
    ).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("every seeded published character answers the demo user", async () => {
    const demo = await signIn("demo@aichat.test", "demo-password");
    const published = await getDocs(
      query(
        collection(demo.db, "characters"),
        where("published", "==", true),
        where("premiumOnly", "==", false),
      ),
    );
    expect(published.size).toBeGreaterThan(0);
    for (const character of published.docs) {
      const { conversationId, messageId } = await sendText(
        demo,
        character.id,
        "Hello! [[words:4]]",
      );
      const reply = await waitForFinalReply(demo, conversationId, messageId);
      expect(reply.get("status"), character.id).toBe("complete");
    }
  });

  it("seeded galleries: free and premium-only items for at least three characters, premium ones hidden from free users", async () => {
    const demo = await signIn("demo@aichat.test", "demo-password");
    const premium = await signIn("premium@aichat.test", "premium-password");
    const published = await getDocs(
      query(
        collection(premium.db, "characters"),
        where("published", "==", true),
        where("premiumOnly", "==", false),
      ),
    );
    let withBoth = 0;
    for (const character of published.docs) {
      const all = await getDocs(collection(premium.db, "characters", character.id, "gallery"));
      const premiumItems = all.docs.filter((item) => item.get("premiumOnly") === true);
      const free = await getDocs(
        query(
          collection(demo.db, "characters", character.id, "gallery"),
          where("premiumOnly", "==", false),
        ),
      );
      expect(free.size, character.id).toBe(all.size - premiumItems.length);
      expect(character.get("galleryCounts"), character.id).toEqual({
        free: free.size,
        premium: premiumItems.length,
      });
      if (premiumItems.length > 0 && free.size > 0) withBoth += 1;
      for (const item of premiumItems) {
        await expect(
          getDoc(doc(demo.db, "characters", character.id, "gallery", item.id)),
        ).rejects.toMatchObject({ code: "permission-denied" });
      }
    }
    expect(withBoth).toBeGreaterThanOrEqual(3);
  });

  it("demo accounts have their roles and a callable answers them", async () => {
    const admin = await signIn("admin@aichat.test", "admin-password");
    expect((await admin.user.getIdTokenResult()).claims.admin).toBe(true);
    const premium = await signIn("premium@aichat.test", "premium-password");
    const usage = await premium.call<{ premium: boolean }>("getUsage", {});
    expect(usage.premium).toBe(true);
    const regular = await signIn("demo@aichat.test", "demo-password");
    expect(await regular.call("checkUsername", { username: "demo_user" })).toEqual({
      available: false,
      reason: "username is taken",
    });
  });
});
