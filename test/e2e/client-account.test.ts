// The client library's account helpers end to end: sign-up that waits for the profile,
// sign-in failures, usernames, profile edits, deactivation and deletion.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AppError,
  checkUsername,
  claimUsername,
  conversationWith,
  deactivateAccount,
  deleteAccount,
  reactivateAccount,
  renameUsername,
  sendMessage,
  signIn,
  signUp as librarySignUp,
  updateProfile,
  watchProfile,
  watchPublicProfile,
  type Profile,
} from "../../client/src/index";
import { db } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, newClientApp, signUp, uniqueEmail } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";

beforeEach(async () => {
  await clearFirestore();
  await clearAuth();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function nextProfile(client: ReturnType<typeof newClientApp>, done: (profile: Profile) => boolean) {
  return new Promise<Profile>((resolve) => {
    const stop = watchProfile(client, (profile) => {
      if (profile && done(profile)) {
        stop();
        resolve(profile);
      }
    });
  });
}

describe("accounts through the client library", () => {
  it("signs up and resolves only once the server has written the profile", async () => {
    const client = newClientApp();
    const email = uniqueEmail("fresh");
    const session = await librarySignUp(client, email, "password-123", { displayName: "Ada" });
    expect(session.profile).toMatchObject({
      id: session.user.uid,
      uid: session.user.uid,
      email,
      username: null,
      role: "user",
      premiumUntil: null,
      deactivated: false,
    });
    // The rules accept the user's writes at once: their profile exists.
    await expect(
      sendMessage(client, conversationWith(client, "luna"), {
        type: "text",
        text: "hi [[words:2]]",
      }),
    ).resolves.toMatchObject({ characterId: "luna" });

    const again = newClientApp();
    expect((await signIn(again, email, "password-123")).profile.uid).toBe(session.user.uid);
    expect((await failure(signIn(newClientApp(), email, "wrong-password"))).code).toBe(
      "sign_in_failed",
    );
    expect((await failure(librarySignUp(newClientApp(), email, "password-123"))).code).toBe(
      "email_in_use",
    );
  }, 120_000);

  it("checks, claims and renames usernames, with the reasons an app shows", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    // Format is checked locally, without a call.
    expect(await checkUsername(alice, "ab")).toEqual({
      available: false,
      reason: "username must be at least 3 characters",
    });
    await expect(claimUsername(alice, "Alice_W")).resolves.toBe("Alice_W");
    expect(await checkUsername(bob, "alice_w")).toEqual({
      available: false,
      reason: "username is taken",
    });
    const taken = await failure(claimUsername(bob, "ALICE_W"));
    expect(taken).toMatchObject({ code: "username_taken", status: "already-exists" });
    expect(taken.message).toContain("ALICE_W");
    expect((await failure(claimUsername(alice, "second_name"))).code).toBe(
      "username_already_claimed",
    );
    expect((await failure(renameUsername(bob, "bobby"))).code).toBe("username_missing");
    const invalid = await failure(claimUsername(bob, "admin"));
    expect(invalid).toMatchObject({ code: "invalid_input", field: "username" });

    await expect(renameUsername(alice, "Alice_2")).resolves.toBe("Alice_2");
    const projection = await new Promise((resolve) => {
      const stop = watchPublicProfile(bob, alice.user.uid, (profile) => {
        if (profile?.username === "Alice_2") {
          stop();
          resolve(profile);
        }
      });
    });
    expect(projection).toMatchObject({ username: "Alice_2" });
  }, 120_000);

  it("edits the safe profile fields; the rules refuse the others", async () => {
    const client = await signUp("editor");
    await updateProfile(client, {
      displayName: "Ada L.",
      bio: "Counts things",
      preferences: { theme: "dark" },
    });
    const edited = await nextProfile(client, (profile) => profile.displayName === "Ada L.");
    expect(edited).toMatchObject({ bio: "Counts things", preferences: { theme: "dark" } });
    const refused = await failure(updateProfile(client, { displayName: "x".repeat(61) }));
    expect(refused.code).toBe("permission_denied");
  }, 120_000);

  it("deactivates (writes refused, data kept), reactivates, and deletes the account", async () => {
    const client = await signUp("leaver");
    const chat = conversationWith(client, "luna");
    await deactivateAccount(client);
    await nextProfile(client, (profile) => profile.deactivated);
    expect(
      (await failure(sendMessage(client, chat, { type: "text", text: "still here?" }))).code,
    ).toBe("permission_denied");
    expect((await failure(claimUsername(client, "quiet_one"))).code).toBe("account_inactive");
    await reactivateAccount(client);
    await nextProfile(client, (profile) => !profile.deactivated);
    await sendMessage(client, chat, { type: "text", text: "back [[words:2]]" });

    const uid = client.user.uid;
    // Payment history is kept for accounting, with the Stripe customer mapping.
    await db().doc(`stripeCustomers/${uid}`).set({ customerId: "cus_kept" });
    await db().doc("payments/pi_kept").set({ uid, status: "paid" });
    const removed = await deleteAccount(client);
    expect(removed).toMatchObject({ deleted: true, usernames: 0 });
    expect(client.auth.currentUser).toBeNull();
    expect((await db().doc(`users/${uid}`).get()).exists).toBe(false);
    expect((await db().doc(`stripeCustomers/${uid}`).get()).exists).toBe(true);
    expect((await db().doc("payments/pi_kept").get()).exists).toBe(true);
  }, 120_000);
});
