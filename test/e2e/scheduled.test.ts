// Scheduled functions run locally: the Pub/Sub emulator is part of the stack, so the Functions
// emulator loads them, and a message on a function's topic runs it.
import { beforeEach, describe, expect, it } from "vitest";
import { db, waitUntil } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { clearFirestore } from "../helpers/emulator-data";
import { fireScheduled } from "../helpers/scheduled";

beforeEach(async () => {
  await clearFirestore();
});

describe("scheduled functions in the emulator", () => {
  it("rollupStats runs when its topic gets a message, and rolls up recent shards", async () => {
    await createCharacter("sched-luna");
    await db()
      .doc("characters/sched-luna/statShards/0")
      .set({ conversations: 1, messages: 4, lastActiveAtMs: Date.now() - 1000 });
    await fireScheduled("rollupStats");
    await waitUntil(
      async () => (await db().doc("characters/sched-luna").get()).get("stats.messages") === 4,
      30_000,
      "the scheduled rollup",
    );
    expect((await db().doc("characters/sched-luna").get()).get("stats.conversations")).toBe(1);
  });
});
