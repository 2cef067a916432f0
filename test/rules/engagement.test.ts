// What the rules let an owner write for notifications, follows, presence and the viewingAt
// report, beyond the matrix: the exact fields, the server time, and the throttles.
import type { RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  deleteDoc,
  doc,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  type Firestore,
} from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest";
import { modular, profile, rulesEnvironment } from "./matrix";

let testEnv: RulesTestEnvironment;
beforeAll(async () => {
  testEnv = await rulesEnvironment();
});
afterAll(async () => {
  await testEnv.cleanup();
});

const secondsAgo = (seconds: number) => Timestamp.fromMillis(Date.now() - seconds * 1000);

async function seed(docs: Record<string, Record<string, unknown>>): Promise<void> {
  await testEnv.withSecurityRulesDisabled(async (context) => {
    for (const [path, data] of Object.entries(docs))
      await setDoc(doc(modular(context), path), data);
  });
}

const as = (uid: string): Firestore => modular(testEnv.authenticatedContext(uid));

beforeEach(async () => {
  await testEnv.clearFirestore();
  await seed({
    "users/owner": profile("owner"),
    "users/other": profile("other"),
    "users/deactivated-owner": profile("deactivated-owner"),
    "characters/luna": { name: "Luna", published: true, premiumOnly: false },
    "characters/draft": { name: "Draft", published: false, premiumOnly: false },
  });
});

describe("notifications", () => {
  const path = "users/owner/notifications/n1";
  beforeEach(async () => {
    await seed({
      [path]: {
        type: "announcement",
        title: "Hello",
        body: "News",
        data: { announcementId: "a1", audience: "all" },
        read: false,
        readAt: null,
        createdAt: Timestamp.fromMillis(0),
      },
    });
  });

  it("the owner marks one read with the server time, once", async () => {
    const ref = doc(as("owner"), path);
    await assertSucceeds(updateDoc(ref, { read: true, readAt: serverTimestamp() }));
    await assertFails(updateDoc(ref, { read: true, readAt: serverTimestamp() }));
  });

  it("refuses anything else: its text, unread again, a client time, another user", async () => {
    const ref = doc(as("owner"), path);
    await assertFails(updateDoc(ref, { read: true, readAt: serverTimestamp(), title: "Forged" }));
    await assertFails(updateDoc(ref, { read: true, readAt: Timestamp.fromMillis(5) }));
    await assertFails(updateDoc(ref, { readAt: serverTimestamp() }));
    await assertFails(updateDoc(doc(as("other"), path), { read: true, readAt: serverTimestamp() }));
    await assertFails(deleteDoc(ref));
    await assertFails(
      setDoc(doc(as("owner"), "users/owner/notifications/mine"), {
        type: "announcement",
        title: "Free premium",
        body: "",
        read: false,
      }),
    );
  });

  it("nobody writes the unread count", async () => {
    await seed({ "users/owner/counters/notifications": { unread: 2 } });
    const ref = doc(as("owner"), "users/owner/counters/notifications");
    await assertFails(updateDoc(ref, { unread: 0 }));
    await assertFails(setDoc(doc(as("owner"), "users/owner/counters/other"), { unread: 0 }));
  });
});

describe("following", () => {
  const follow = (uid: string, characterId: string) =>
    doc(as(uid), `users/${uid}/following/${characterId}`);

  it("follows a published character with its id and the server time, and unfollows", async () => {
    await assertSucceeds(
      setDoc(follow("owner", "luna"), { characterId: "luna", createdAt: serverTimestamp() }),
    );
    await assertSucceeds(deleteDoc(follow("owner", "luna")));
  });

  it("refuses drafts, missing characters, other fields, other ids, client times, others", async () => {
    const at = serverTimestamp();
    await assertFails(setDoc(follow("owner", "draft"), { characterId: "draft", createdAt: at }));
    await assertFails(setDoc(follow("owner", "ghost"), { characterId: "ghost", createdAt: at }));
    await assertFails(
      setDoc(follow("owner", "luna"), { characterId: "luna", createdAt: at, notify: true }),
    );
    await assertFails(setDoc(follow("owner", "luna"), { characterId: "draft", createdAt: at }));
    await assertFails(
      setDoc(follow("owner", "luna"), { characterId: "luna", createdAt: Timestamp.now() }),
    );
    await assertFails(
      setDoc(doc(as("other"), "users/owner/following/luna"), {
        characterId: "luna",
        createdAt: at,
      }),
    );
    await assertFails(
      setDoc(follow("deactivated-owner", "luna"), { characterId: "luna", createdAt: at }),
    );
  });
});

describe("presence", () => {
  const mine = () => doc(as("owner"), "presence/owner");

  it("accepts only the server time in lastActiveAt", async () => {
    await assertFails(setDoc(mine(), { lastActiveAt: Timestamp.now() }));
    await assertFails(setDoc(mine(), { lastActiveAt: serverTimestamp(), status: "busy" }));
    await assertSucceeds(setDoc(mine(), { lastActiveAt: serverTimestamp() }));
  });

  it("refuses a write sooner than a minute after the last, and accepts one after", async () => {
    await seed({ "presence/owner": { lastActiveAt: secondsAgo(40) } });
    await assertFails(setDoc(mine(), { lastActiveAt: serverTimestamp() }));
    await seed({ "presence/owner": { lastActiveAt: secondsAgo(61) } });
    await assertSucceeds(setDoc(mine(), { lastActiveAt: serverTimestamp() }));
  });

  it("nobody writes another user's presence; a deactivated account writes none", async () => {
    await assertFails(
      setDoc(doc(as("other"), "presence/owner"), { lastActiveAt: serverTimestamp() }),
    );
    await assertFails(
      setDoc(doc(as("deactivated-owner"), "presence/deactivated-owner"), {
        lastActiveAt: serverTimestamp(),
      }),
    );
  });
});

describe("the viewingAt report", () => {
  const path = "conversations/owner_luna";
  const conversation = (viewingAt: Timestamp | null) => ({
    [path]: {
      userId: "owner",
      characterId: "luna",
      unread: 1,
      lastReadAt: null,
      viewingAt,
      deleted: false,
    },
  });
  const ref = (uid = "owner") => doc(as(uid), path);

  it("sets the server time, then refuses another change for 15 seconds", async () => {
    await seed(conversation(null));
    await assertSucceeds(updateDoc(ref(), { viewingAt: serverTimestamp() }));
    await assertFails(updateDoc(ref(), { viewingAt: serverTimestamp() }));
    await assertFails(updateDoc(ref(), { viewingAt: null }));
  });

  it("after 15 seconds, reports again or leaves (null)", async () => {
    await seed(conversation(secondsAgo(16)));
    await assertSucceeds(updateDoc(ref(), { viewingAt: serverTimestamp() }));
    await seed(conversation(secondsAgo(16)));
    await assertSucceeds(updateDoc(ref(), { viewingAt: null }));
    // Leaving twice is not a change.
    await assertFails(updateDoc(ref(), { viewingAt: null }));
  });

  it("refuses a client time, other fields with it, and other users", async () => {
    await seed(conversation(null));
    await assertFails(updateDoc(ref(), { viewingAt: Timestamp.now() }));
    await assertFails(updateDoc(ref(), { viewingAt: serverTimestamp(), unread: 0 }));
    await assertFails(updateDoc(ref(), { viewingAt: serverTimestamp(), counts: { assistant: 9 } }));
    await assertFails(updateDoc(ref("other"), { viewingAt: serverTimestamp() }));
  });
});
