import { collection, doc, getDoc, getDocs, serverTimestamp, updateDoc } from "firebase/firestore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminAuth, callError, db, signUpAdmin, waitUntil } from "../helpers/admin";
import { setUsage, usedFree } from "../helpers/usage";
import { closeAllClientApps, newClientApp, signIn, signUp } from "../helpers/client";
import { clearAuth, clearFirestore } from "../helpers/emulator-data";
import { waitForDoc } from "../helpers/wait-for";
import { mirrorPublicProfile } from "../../functions/src/identity/mirror";

beforeEach(async () => {
  await clearFirestore();
  await clearAuth();
});
afterEach(async () => {
  await closeAllClientApps();
});

describe("registration", () => {
  it("creates a profile and public projection on the server when an account is created", async () => {
    const client = await signUp("fresh");
    const profile = await waitForDoc(doc(client.db, "users", client.user.uid), (s) => s.exists());
    expect(profile.data()).toMatchObject({
      uid: client.user.uid,
      email: client.email,
      username: null,
      role: "user",
      premiumUntil: null,
      deactivated: false,
    });
    const other = await signUp("other");
    const projection = await waitForDoc(doc(other.db, "publicProfiles", client.user.uid), (s) =>
      s.exists(),
    );
    expect(Object.keys(projection.data() ?? {}).sort()).toEqual([
      "avatarPath",
      "displayName",
      "updatedAt",
      "username",
    ]);
  });

  it("claims a username once, case-insensitively unique, and reports availability", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    await expect(alice.call("claimUsername", { username: "Alice_W" })).resolves.toEqual({
      username: "Alice_W",
    });
    expect((await getDoc(doc(alice.db, "users", alice.user.uid))).get("username")).toBe("Alice_W");
    expect(await bob.call("checkUsername", { username: "alice_w" })).toEqual({
      available: false,
      reason: "username is taken",
    });
    expect(await bob.call("checkUsername", { username: "bob_b" })).toEqual({ available: true });
    expect(await callError(bob.call("claimUsername", { username: "ALICE_W" }))).toMatchObject({
      code: "functions/already-exists",
    });
    expect(await callError(alice.call("claimUsername", { username: "second_name" }))).toMatchObject(
      {
        code: "functions/failed-precondition",
      },
    );
  });

  it("lets exactly one of many concurrent claims of the same name win", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => signUp(`racer${i}`)));
    for (const round of [1, 2, 3]) {
      const name = `contested_${round}`;
      const results = await Promise.allSettled(
        users.map((user) => user.call("claimUsername", { username: name })),
      );
      const winners = results.filter((result) => result.status === "fulfilled");
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result.status === "rejected") {
          expect(String((result.reason as { code?: string }).code)).toBe(
            "functions/already-exists",
          );
        }
      }
      const reservation = await db().collection("usernames").doc(name).get();
      const winnerIndex = results.findIndex((result) => result.status === "fulfilled");
      expect(reservation.get("uid")).toBe(users[winnerIndex]?.user.uid);
      // Each winner leaves the race so the next round has a fresh field of claimants.
      users.splice(winnerIndex, 1);
    }
  }, 120_000);

  it("renaming releases the old name for others", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    await alice.call("claimUsername", { username: "first_name" });
    await alice.call("renameUsername", { username: "second_name" });
    expect((await db().collection("usernames").doc("first_name").get()).exists).toBe(false);
    await expect(bob.call("claimUsername", { username: "First_Name" })).resolves.toEqual({
      username: "First_Name",
    });
    const aliceProjection = await waitForDoc(
      doc(bob.db, "publicProfiles", alice.user.uid),
      (s) => s.get("username") === "second_name",
    );
    expect(aliceProjection.get("username")).toBe("second_name");
  });

  it("refuses bad input with invalid-argument naming the field, and writes nothing", async () => {
    const client = await signUp("bad");
    const cases: [unknown, string][] = [
      [{}, "username"],
      [{ username: 42 }, "username"],
      [{ username: "ab" }, "username"],
      [{ username: "x".repeat(31) }, "username"],
      [{ username: "has space" }, "username"],
      [{ username: "Admin" }, "username: is reserved"],
      [{ username: "fine_name", extra: true }, "extra"],
    ];
    for (const [input, fieldMention] of cases) {
      const error = await callError(client.call("claimUsername", input));
      expect(error.code).toBe("functions/invalid-argument");
      expect(error.message).toContain(fieldMention);
    }
    expect((await db().collection("usernames").get()).size).toBe(0);
    const anonymous = newClientApp();
    expect(
      await callError(anonymous.call("claimUsername", { username: "anon_name" })),
    ).toMatchObject({
      code: "functions/unauthenticated",
    });
  });
});

describe("profiles", () => {
  it("the owner edits safe fields directly and the public projection follows", async () => {
    const client = await signUp("editor");
    const ref = doc(client.db, "users", client.user.uid);
    await waitForDoc(ref, (s) => s.exists());
    await updateDoc(ref, {
      displayName: "Ada L.",
      bio: "Counting machines",
      updatedAt: serverTimestamp(),
    });
    const other = await signUp("reader");
    const projection = await waitForDoc(
      doc(other.db, "publicProfiles", client.user.uid),
      (s) => s.get("displayName") === "Ada L.",
    );
    expect(projection.get("bio")).toBeUndefined();
    await expect(getDoc(doc(other.db, "users", client.user.uid))).rejects.toMatchObject({
      code: "permission-denied",
    });
  });

  it("a public profile only ever shows an avatar from the user's own folder", async () => {
    const client = await signUp("climber");
    const other = await signUp("victim");
    const uid = client.user.uid;
    const ref = doc(client.db, "users", uid);
    await waitForDoc(ref, (s) => s.exists());
    const climbing = `user-content/${uid}/../${other.user.uid}/avatars/a.png`;
    await expect(
      updateDoc(ref, { avatarPath: climbing, updatedAt: serverTimestamp() }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await updateDoc(ref, {
      avatarPath: `user-content/${uid}/avatars/me.png`,
      updatedAt: serverTimestamp(),
    });
    await waitForDoc(
      doc(other.db, "publicProfiles", uid),
      (s) => s.get("avatarPath") === `user-content/${uid}/avatars/me.png`,
    );
    // A profile written past the rules (the Admin SDK) is still mirrored safely.
    await db().doc(`users/${uid}`).update({ avatarPath: climbing });
    await mirrorPublicProfile(uid);
    const projection = await waitForDoc(
      doc(other.db, "publicProfiles", uid),
      (s) => s.get("avatarPath") === null,
    );
    expect(projection.get("displayName")).toBe((await getDoc(ref)).get("displayName"));
  });

  it("a deactivated user can read but not write, until reactivated", async () => {
    const client = await signUp("sleepy");
    const ref = doc(client.db, "users", client.user.uid);
    await waitForDoc(ref, (s) => s.exists());
    await client.call("deactivateAccount", {});
    expect((await getDoc(ref)).get("deactivated")).toBe(true);
    await expect(
      updateDoc(ref, { bio: "still here", updatedAt: serverTimestamp() }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    expect(await callError(client.call("claimUsername", { username: "sleepy_one" }))).toMatchObject(
      {
        code: "functions/failed-precondition",
      },
    );
    await client.call("reactivateAccount", {});
    await expect(
      updateDoc(ref, { bio: "back", updatedAt: serverTimestamp() }),
    ).resolves.toBeUndefined();
  });
});

describe("roles and premium (admin)", () => {
  it("non-admins are refused; admins grant and revoke, mirrored and audited", async () => {
    const user = await signUp("member");
    await waitForDoc(doc(user.db, "users", user.user.uid), (s) => s.exists());
    expect(
      await callError(user.call("setUserRole", { uid: user.user.uid, role: "admin" })),
    ).toMatchObject({
      code: "functions/permission-denied",
    });
    const admin = await signUpAdmin();
    await admin.call("setUserRole", { uid: user.user.uid, role: "admin" });
    expect((await adminAuth().getUser(user.user.uid)).customClaims?.admin).toBe(true);
    expect((await user.user.getIdTokenResult(true)).claims.admin).toBe(true);
    expect((await db().collection("users").doc(user.user.uid).get()).get("role")).toBe("admin");

    await admin.call("setUserRole", { uid: user.user.uid, role: "user" });
    expect((await adminAuth().getUser(user.user.uid)).customClaims?.admin).toBe(false);

    const until = "2031-05-01T00:00:00.000Z";
    await expect(
      admin.call("setPremium", { uid: user.user.uid, premiumUntil: until }),
    ).resolves.toEqual({
      uid: user.user.uid,
      premiumUntil: until,
    });
    const stored = await db().collection("users").doc(user.user.uid).get();
    expect(stored.get("premiumUntil").toDate().toISOString()).toBe(until);
    await admin.call("setPremium", { uid: user.user.uid, premiumUntil: null });

    const audit = await db().collection("auditLog").where("targetUid", "==", user.user.uid).get();
    expect(audit.docs.map((entry) => entry.get("action")).sort()).toEqual([
      "setPremium",
      "setPremium",
      "setRole",
      "setRole",
    ]);
    expect(audit.docs.every((entry) => entry.get("actorUid") === admin.user.uid)).toBe(true);
  });

  it("a demoted admin loses admin rights at once, even with the token they already hold", async () => {
    const admin = await signUpAdmin();
    const deputy = await signUp("deputy");
    const uid = deputy.user.uid;
    const target = await signUp("target");
    await waitForDoc(doc(deputy.db, "users", uid), (s) => s.exists());
    await admin.call("setUserRole", { uid, role: "admin" });
    await deputy.user.getIdToken(true);
    const heldToken = await deputy.user.getIdToken();
    // As an admin: an admin callable and an admin-only read.
    await expect(
      deputy.call("setRateLimitExempt", { uid: target.user.uid, exempt: true }),
    ).resolves.toMatchObject({ exempt: true });
    await expect(getDocs(collection(deputy.db, "auditLog"))).resolves.toBeDefined();

    // Auth records a revocation to the second and keeps a token issued in that same second
    // valid: demote in a later second than the held token's, as any real demotion is.
    const issuedAtSec = (await deputy.user.getIdTokenResult()).claims.iat;
    const nextSecondMs = (Number(issuedAtSec) + 1) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextSecondMs - Date.now())));
    await admin.call("setUserRole", { uid, role: "user" });
    // The app still holds the token issued while it was an admin (valid for up to an hour).
    expect((await deputy.user.getIdTokenResult()).claims.admin).toBe(true);
    expect(
      await callError(deputy.call("setRateLimitExempt", { uid: target.user.uid, exempt: false })),
    ).toMatchObject({ code: "functions/permission-denied", reason: "admin_only" });
    expect(
      await callError(deputy.call("setPremium", { uid: target.user.uid, addDays: 30 })),
    ).toMatchObject({ code: "functions/permission-denied" });
    await expect(getDocs(collection(deputy.db, "auditLog"))).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect((await db().doc(`users/${target.user.uid}`).get()).get("rateLimitExempt")).toBe(true);
    // Its refresh tokens are revoked, so Auth reports the held token revoked. (Deployed, the
    // app cannot renew it either and must sign in again; the Auth emulator still renews it,
    // without the claim.)
    await expect(adminAuth().verifyIdToken(heldToken, true)).rejects.toMatchObject({
      code: "auth/id-token-revoked",
    });

    // Made an admin again, a fresh sign-in works as an admin.
    await admin.call("setUserRole", { uid, role: "admin" });
    const again = await signIn(deputy.email, deputy.password);
    await expect(
      again.call("setRateLimitExempt", { uid: target.user.uid, exempt: false }),
    ).resolves.toMatchObject({ exempt: false });
  }, 120_000);

  it("refuses malformed admin input and unknown users", async () => {
    const admin = await signUpAdmin();
    expect(
      await callError(admin.call("setUserRole", { uid: "nobody-here", role: "admin" })),
    ).toMatchObject({
      code: "functions/not-found",
    });
    const bad = await callError(admin.call("setUserRole", { uid: "x", role: "superuser" }));
    expect(bad.code).toBe("functions/invalid-argument");
    expect(bad.message).toContain("role");
    const badPremium = await callError(
      admin.call("setPremium", { uid: "x", premiumUntil: "tomorrow" }),
    );
    expect(badPremium.code).toBe("functions/invalid-argument");
  });
});

describe("account deletion", () => {
  it("removes profile, username, 1000-message conversation, usage, media records and the Auth user", async () => {
    const client = await signUp("leaver");
    const uid = client.user.uid;
    await waitForDoc(doc(client.db, "users", uid), (s) => s.exists());
    await client.call("claimUsername", { username: "leaving_soon" });
    const firestore = db();
    const conversation = firestore.collection("conversations").doc(`${uid}_luna`);
    await conversation.set({ userId: uid, characterId: "luna" });
    for (let start = 0; start < 1000; start += 500) {
      const batch = firestore.batch();
      for (let i = start; i < start + 500; i++) {
        batch.set(conversation.collection("messages").doc(`m${i}`), {
          role: "user",
          text: `message ${i}`,
        });
      }
      await batch.commit();
    }
    await setUsage(uid, "luna", { text: 12 });
    await firestore
      .collection("media")
      .doc("m1")
      .set({ ownerUid: uid, path: `user-content/${uid}/a.png` });
    const survivor = await signUp("stayer");
    await firestore.collection("media").doc("m2").set({ ownerUid: survivor.user.uid, path: "x" });

    const result = await client.call<{ deleted: boolean; conversations: number }>("deleteAccount", {
      confirm: "DELETE",
    });
    expect(result).toMatchObject({ deleted: true, conversations: 1 });

    expect((await firestore.collection("users").doc(uid).get()).exists).toBe(false);
    expect(await usedFree(uid, "luna")).toBe(0);
    expect((await firestore.collection("publicProfiles").doc(uid).get()).exists).toBe(false);
    expect((await firestore.collection("usernames").doc("leaving_soon").get()).exists).toBe(false);
    expect((await conversation.get()).exists).toBe(false);
    expect((await conversation.collection("messages").limit(1).get()).size).toBe(0);
    expect((await firestore.collection("media").doc("m1").get()).exists).toBe(false);
    expect((await firestore.collection("media").doc("m2").get()).exists).toBe(true);
    await expect(adminAuth().getUser(uid)).rejects.toThrow();
    // The auth onDelete trigger runs the same cleanup again and finds nothing to break.
    await waitUntil(
      async () => !(await firestore.collection("users").doc(uid).get()).exists,
      5000,
      "no profile",
    );
  });

  it("requires an explicit confirmation", async () => {
    const client = await signUp("careful");
    const error = await callError(client.call("deleteAccount", {}));
    expect(error.code).toBe("functions/invalid-argument");
    expect(error.message).toContain("confirm");
  });
});
