// Scheduled functions run locally: the Pub/Sub emulator is part of the stack, so the Functions
// emulator loads them as they deploy, and the tests run each one as Cloud Scheduler does.
import { beforeEach, describe, expect, it } from "vitest";
import { Timestamp } from "../../functions/src/shared/firebase";
import { db } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { clearFirestore } from "../helpers/emulator-data";
import { fireScheduled } from "../helpers/scheduled";

beforeEach(async () => {
  await clearFirestore();
});

// Scheduled functions load only beside a Pub/Sub emulator (emulators/exec.mjs says why one
// did not start).
const pubsubMissing = process.env.AICHAT_PUBSUB_SKIP_REASON ?? "";
if (pubsubMissing) console.log(`Scheduled-function tests skipped: ${pubsubMissing}`);

describe.skipIf(pubsubMissing !== "")("scheduled functions in the emulator", () => {
  it("rollupStats rolls up the shards that changed recently", async () => {
    await createCharacter("sched-luna");
    await db()
      .doc("characters/sched-luna/statShards/0")
      .set({ conversations: 1, messages: 4, lastActiveAtMs: Date.now() - 1000 });
    await db()
      .doc("characters/sched-luna/statShards/1")
      .set({ followers: 2, followersChangedAtMs: Date.now() - 1000 });
    await fireScheduled("rollupStats");
    const stats = (await db().doc("characters/sched-luna").get()).get("stats");
    expect(stats).toMatchObject({ conversations: 1, messages: 4, followers: 2 });
  }, 90_000);

  it("notifyPremiumExpiry tells an account whose premium ends within a day", async () => {
    const untilMs = Date.now() + 3 * 3_600_000;
    await db()
      .doc("users/sched-user")
      .set({
        uid: "sched-user",
        email: "sched@example.test",
        displayName: "S",
        preferences: {},
        role: "user",
        deactivated: false,
        premiumUntil: Timestamp.fromMillis(untilMs),
      });
    await fireScheduled("notifyPremiumExpiry");
    const notification = await db()
      .doc(`users/sched-user/notifications/premium_expiring_${untilMs}`)
      .get();
    expect(notification.get("type")).toBe("premium_expiring");
  }, 90_000);

  it("sweepReplies runs", async () => {
    await expect(fireScheduled("sweepReplies")).resolves.toBeUndefined();
  }, 90_000);
});
