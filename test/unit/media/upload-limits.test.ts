import { describe, expect, it } from "vitest";
import { uploadAllowance, uploadBucket } from "../../../functions/src/media/upload-limits";

const HOUR = 60 * 60_000;
const now = 10 * HOUR;

describe("uploadAllowance", () => {
  it("gives a free user 20 an hour and a premium user 100", () => {
    expect(uploadAllowance([], now, false)).toEqual({
      bucket: "uploads",
      perHour: 20,
      usedThisHour: 0,
      remainingThisHour: 20,
      nextSlotAtMs: null,
    });
    expect(uploadAllowance([], now, true)).toMatchObject({
      bucket: "uploadsPremium",
      perHour: 100,
    });
    expect(uploadBucket(true)).toBe("uploadsPremium");
  });

  it("counts only the uploads of the last hour, and says when the oldest leaves it", () => {
    const hits = [now - HOUR, now - HOUR + 1, now - 30 * 60_000, now, now + 1];
    expect(uploadAllowance(hits, now, false)).toEqual({
      bucket: "uploads",
      perHour: 20,
      usedThisHour: 3,
      remainingThisHour: 17,
      nextSlotAtMs: now + 1,
    });
  });

  it("never reports a negative remainder", () => {
    const hits = Array.from({ length: 25 }, (_, i) => now - i * 1000);
    expect(uploadAllowance(hits, now, false)).toMatchObject({
      usedThisHour: 25,
      remainingThisHour: 0,
    });
  });
});
