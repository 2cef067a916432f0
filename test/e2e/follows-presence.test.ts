// Following characters and presence, through the client library against the emulators: a
// follow counted into the character's sharded follower count, followers told of a new gallery
// item, follows and presence removed with the account, online dots from the heartbeat, and
// the character's last reply on its public document.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  characterLastActive,
  deleteAccount,
  followCharacter,
  followerCount,
  isOnline,
  openConversation,
  sendMessage,
  startPresence,
  unfollowCharacter,
  waitForReply,
  watchCharacter,
  watchFollowing,
  watchIsFollowing,
  watchNotifications,
  watchPresence,
  watchUserPresence,
  type AiChatClient,
  type CharacterDoc,
  type FollowDoc,
  type NotificationDoc,
  type PresenceState,
} from "../../client/src/index";
import { addGalleryItem } from "../../client/src/admin";
import { rollupRecentStats } from "../../functions/src/characters/rollup";
import { writeNotification } from "../../functions/src/notifications/deliver";
import { announcementNotification } from "../../functions/src/notifications/model";
import { db, signUpAdmin, waitUntil } from "../helpers/admin";
import { createCharacter } from "../helpers/characters";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import { library, manualForeground, until } from "../helpers/library";

beforeEach(async () => {
  await clearFirestore();
  await createCharacter("luna", { name: "Luna" });
});
afterEach(async () => {
  await closeAllClientApps();
});

async function character(
  client: AiChatClient,
  done: (character: CharacterDoc) => boolean,
): Promise<CharacterDoc> {
  const found = await until<CharacterDoc | null>(
    (onChange, onError) => watchCharacter(client, "luna", onChange, onError),
    (value) => value !== null && done(value),
    30_000,
    "the character",
  );
  if (!found) throw new Error("no character");
  return found;
}

describe("following a character", () => {
  it("counts a follower, tells followers of a new gallery item, and unfollowing uncounts", async () => {
    const fanApp = await signUp("fan");
    const fan = library(fanApp);
    const bystander = library(await signUp("bystander"));
    const admin = library(await signUpAdmin());

    await followCharacter(fan, "luna");
    // Following again is no error.
    await followCharacter(fan, "luna");
    await until<boolean>(
      (onChange, onError) => watchIsFollowing(fan, "luna", onChange, onError),
      (following) => following,
    );
    const following = await until<FollowDoc[]>(
      (onChange, onError) => watchFollowing(fan, onChange, onError),
      (list) => list.length === 1,
    );
    expect(following[0]).toMatchObject({ id: "luna", characterId: "luna" });
    const followed = await character(fan, (value) => followerCount(value) === 1);
    expect(followed.stats.followers).toBe(1);

    await createCharacter("draft", { name: "Draft", published: false });
    await expect(followCharacter(fan, "draft")).rejects.toMatchObject({
      code: "permission_denied",
    });

    const { itemId } = await addGalleryItem(admin, {
      characterId: "luna",
      type: "image",
      storagePath: "characters/luna/gallery/moon/moon.png",
      caption: "The moon over the sea",
      premiumOnly: true,
    });
    const [notification] = await until<NotificationDoc[]>(
      (onChange, onError) => watchNotifications(fan, onChange, { onError }),
      (list) => list.length === 1,
      30_000,
      "the gallery notification",
    );
    expect(notification).toMatchObject({
      id: `gallery_luna_${itemId}`,
      type: "gallery_item",
      title: "New in Luna's gallery",
      body: "The moon over the sea (premium members only)",
      data: { characterId: "luna", itemId, mediaType: "image", premiumOnly: true },
    });
    await waitUntil(
      async () =>
        (await db().collection("notificationJobs").where("status", "==", "sent").get()).size === 1,
      30_000,
      "the gallery fan-out to finish",
    );
    const bystanderUid = bystander.auth.currentUser?.uid ?? "";
    expect((await db().collection(`users/${bystanderUid}/notifications`).get()).size).toBe(0);

    await unfollowCharacter(fan, "luna");
    await until<boolean>(
      (onChange, onError) => watchIsFollowing(fan, "luna", onChange, onError),
      (isFollowing) => !isFollowing,
    );
    // The follow trigger refreshes stats at most once a minute; the rollup catches up.
    await waitUntil(async () => {
      await rollupRecentStats();
      return (await db().doc("characters/luna").get()).get("stats.followers") === 0;
    }, 30_000);
    expect(followerCount(await character(fan, (value) => followerCount(value) === 0))).toBe(0);
  }, 120_000);

  it("account deletion removes follows (and their count), presence, notifications and emails", async () => {
    const app = await signUp("leaver");
    const client = library(app);
    const uid = app.user.uid;
    await followCharacter(client, "luna");
    await waitUntil(
      async () => (await db().doc("characters/luna").get()).get("stats.followers") === 1,
      30_000,
      "the follow to be counted",
    );
    const heartbeat = startPresence(client, { foreground: manualForeground(true) });
    await waitUntil(async () => (await db().doc(`presence/${uid}`).get()).exists);
    heartbeat.stop();
    const batch = db().batch();
    writeNotification(
      batch,
      uid,
      announcementNotification({
        announcementId: "before-leave",
        audience: "all",
        title: "Hi",
        body: "Hello",
      }),
      { to: app.email, collection: "mail" },
    );
    await batch.commit();

    await deleteAccount(client);
    expect((await db().doc(`presence/${uid}`).get()).exists).toBe(false);
    expect((await db().collection(`users/${uid}/following`).get()).size).toBe(0);
    expect((await db().collection(`users/${uid}/notifications`).get()).size).toBe(0);
    expect((await db().doc(`users/${uid}/counters/notifications`).get()).exists).toBe(false);
    expect((await db().collection("mail").where("uid", "==", uid).get()).size).toBe(0);
    await waitUntil(async () => {
      await rollupRecentStats();
      return (await db().doc("characters/luna").get()).get("stats.followers") === 0;
    }, 30_000);
  }, 120_000);
});

describe("presence", () => {
  it("the heartbeat writes lastActiveAt in the foreground only; others see an online dot", async () => {
    const aliceApp = await signUp("alice");
    const alice = library(aliceApp);
    const bob = library(await signUp("bob"));
    const aliceUid = aliceApp.user.uid;

    const foreground = manualForeground(false);
    const heartbeat = startPresence(alice, { foreground });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await db().doc(`presence/${aliceUid}`).get()).exists).toBe(false);
    foreground.set(true);
    const seen = await until<PresenceState>(
      (onChange, onError) => watchUserPresence(bob, aliceUid, onChange, onError),
      (state) => state.online,
      20_000,
      "alice online",
    );
    expect(seen.lastActiveAt).toBeInstanceOf(Date);
    expect(Math.abs((seen.lastActiveAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    const bobUid = bob.auth.currentUser?.uid ?? "";
    const dots = await until<Map<string, PresenceState>>(
      (onChange, onError) => watchPresence(bob, [aliceUid, bobUid, "nobody"], onChange, onError),
      (states) => states.get(aliceUid)?.online === true,
    );
    expect([...dots.values()].map((state) => [state.uid, state.online])).toEqual([
      [aliceUid, true],
      [bobUid, false],
      ["nobody", false],
    ]);
    expect(isOnline(new Date(Date.now() - 3 * 60_000))).toBe(false);
    heartbeat.stop();
  }, 60_000);

  it("a character's lastActiveAt is its last reply, on the public character after the rollup", async () => {
    const client = library(await signUp("chatter"));
    const chat = await openConversation(client, "luna");
    const before = Date.now();
    const sent = await sendMessage(client, chat, { type: "text", text: "Hi [[words:5]]" });
    expect((await waitForReply(client, sent)).status).toBe("complete");
    await rollupRecentStats();
    const rolled = await character(client, (value) => value.stats.messages >= 1);
    const lastActive = characterLastActive(rolled);
    expect(lastActive?.getTime()).toBeGreaterThanOrEqual(before);
    expect(lastActive?.getTime()).toBeLessThanOrEqual(Date.now());
  }, 90_000);
});
