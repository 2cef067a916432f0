// One set of document schemas for both SDKs: timestamps from firebase-admin (the functions)
// and from the web SDK (apps) both parse; look-alikes do not.
import { Timestamp as WebTimestamp } from "firebase/firestore";
import { describe, expect, it } from "vitest";
import { timestampSchema } from "../../../functions/src/contract/timestamp";
import { userProfileSchema } from "../../../functions/src/contract/identity";
import { Timestamp as AdminTimestamp } from "../../../functions/src/shared/firebase";

describe("timestampSchema", () => {
  it("accepts firebase-admin and web SDK timestamps", () => {
    const ms = Date.UTC(2030, 0, 1);
    expect(timestampSchema.parse(AdminTimestamp.fromMillis(ms)).toMillis()).toBe(ms);
    expect(timestampSchema.parse(WebTimestamp.fromMillis(ms)).toMillis()).toBe(ms);
  });

  it("refuses dates, numbers, strings and plain objects", () => {
    for (const value of [new Date(), 0, "2030-01-01", { seconds: 1, nanoseconds: 0 }, null]) {
      expect(timestampSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
    }
  });

  it("lets a profile read with the web SDK parse with the functions' schema", () => {
    const now = WebTimestamp.now();
    const profile = userProfileSchema.parse({
      uid: "u1",
      email: null,
      username: null,
      displayName: "Ada",
      bio: "",
      avatarPath: null,
      preferences: {},
      role: "user",
      premiumUntil: now,
      deactivated: false,
      createdAt: now,
      updatedAt: now,
    });
    expect(profile.premiumUntil?.toMillis()).toBe(now.toMillis());
  });
});
