// What an owner may and may not change on their own profile.
import type { RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { doc, serverTimestamp, setDoc, Timestamp, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest";
import { FAR_FUTURE, modular, profile, rulesEnvironment } from "./matrix";

let testEnv: RulesTestEnvironment;
beforeAll(async () => {
  testEnv = await rulesEnvironment();
});
beforeEach(async () => {
  await testEnv.clearFirestore();
  await testEnv.withSecurityRulesDisabled(async (context) => {
    await setDoc(doc(modular(context), "users/owner"), profile("owner"));
  });
});
afterAll(async () => {
  await testEnv.cleanup();
});

const ownerDoc = () => doc(modular(testEnv.authenticatedContext("owner")), "users/owner");
const stamp = { updatedAt: serverTimestamp() };

describe("profile fields", () => {
  it("the owner updates display name, bio, avatar and preferences", async () => {
    await assertSucceeds(
      updateDoc(ownerDoc(), {
        displayName: "Ada",
        bio: "Hello",
        avatarPath: "user-content/owner/avatar.png",
        preferences: { theme: "dark", language: "en", notifications: true, replyType: "auto" },
        ...stamp,
      }),
    );
  });

  for (const [field, value] of [
    ["role", "admin"],
    ["premiumUntil", FAR_FUTURE],
    ["deactivated", true],
    ["username", "sneaky"],
    ["email", "other@example.test"],
    ["uid", "someone-else"],
    ["createdAt", Timestamp.fromMillis(1)],
    ["isAdmin", true],
  ] as const) {
    it(`the owner cannot write ${field}`, async () => {
      await assertFails(updateDoc(ownerDoc(), { [field]: value, ...stamp }));
    });
  }

  it("refuses an update without the server timestamp", async () => {
    await assertFails(
      updateDoc(ownerDoc(), { displayName: "Ada", updatedAt: Timestamp.fromMillis(5) }),
    );
  });

  it("refuses an oversized bio and display name", async () => {
    await assertFails(updateDoc(ownerDoc(), { bio: "x".repeat(501), ...stamp }));
    await assertFails(updateDoc(ownerDoc(), { displayName: "x".repeat(61), ...stamp }));
  });

  it("refuses an avatar outside the user's own folder", async () => {
    await assertFails(updateDoc(ownerDoc(), { avatarPath: "user-content/other/a.png", ...stamp }));
    await assertFails(updateDoc(ownerDoc(), { avatarPath: "characters/x/avatar.png", ...stamp }));
  });

  it("refuses an avatar path that climbs out of the user's folder with '..' or '.'", async () => {
    for (const avatarPath of [
      "user-content/owner/../other/avatars/a.png",
      "user-content/owner/avatars/../../other/a.png",
      "user-content/owner/..",
      "user-content/owner/./avatars/a.png",
    ]) {
      await assertFails(updateDoc(ownerDoc(), { avatarPath, ...stamp }));
    }
    await assertSucceeds(
      updateDoc(ownerDoc(), { avatarPath: "user-content/owner/avatars/a..b.png", ...stamp }),
    );
  });

  it("refuses unknown or ill-typed preferences", async () => {
    await assertFails(updateDoc(ownerDoc(), { preferences: { theme: "neon" }, ...stamp }));
    await assertFails(updateDoc(ownerDoc(), { preferences: { premium: true }, ...stamp }));
    await assertFails(updateDoc(ownerDoc(), { preferences: "dark", ...stamp }));
  });
});
