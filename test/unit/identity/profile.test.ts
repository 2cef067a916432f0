import { describe, expect, it } from "vitest";
import {
  adminClaimCurrent,
  publicProjection,
  safeAvatarPath,
} from "../../../functions/src/identity/profile";

describe("the avatar path a public profile shows", () => {
  it("keeps a file in the user's own folder", () => {
    for (const path of [
      "user-content/u1/avatars/me.png",
      "user-content/u1/a.png",
      "user-content/u1/avatars/a..b.png",
    ]) {
      expect(safeAvatarPath("u1", path), path).toBe(path);
    }
  });

  it("shows none for a path that climbs out of the folder or names another", () => {
    for (const path of [
      "user-content/u1/../u2/avatars/a.png",
      "user-content/u1/avatars/../../u2/a.png",
      "user-content/u1/./a.png",
      "user-content/u1//a.png",
      "user-content/u1/",
      "user-content/u1",
      "user-content/u2/avatars/a.png",
      "characters/luna/avatar/a.png",
      "/user-content/u1/a.png",
      `user-content/u1/${"x".repeat(600)}`,
    ]) {
      expect(safeAvatarPath("u1", path), path).toBeNull();
    }
    expect(safeAvatarPath("u1", 42)).toBeNull();
    expect(safeAvatarPath("u1", null)).toBeNull();
  });

  it("is what the projection copies", () => {
    expect(
      publicProjection({
        uid: "u1",
        username: "ada",
        displayName: "Ada",
        avatarPath: "user-content/u1/../u2/avatars/a.png",
      }),
    ).toEqual({ username: "ada", displayName: "Ada", avatarPath: null });
  });
});

describe("trusting an admin claim", () => {
  const demotedAtMs = 1_800_000_000_500;

  it("trusts it when the user was never demoted", () => {
    expect(adminClaimCurrent(1_700_000_000, null)).toBe(true);
    expect(adminClaimCurrent(undefined, null)).toBe(true);
  });

  it("refuses a token issued before or in the second of the demotion", () => {
    expect(adminClaimCurrent(1_799_999_000, demotedAtMs)).toBe(false);
    expect(adminClaimCurrent(1_800_000_000, demotedAtMs)).toBe(false);
    expect(adminClaimCurrent(undefined, demotedAtMs)).toBe(false);
  });

  it("trusts a token issued after it", () => {
    expect(adminClaimCurrent(1_800_000_001, demotedAtMs)).toBe(true);
  });
});
