// The client library's media helpers end to end. Uploads need the Storage emulator; where it
// cannot run, the test of an upload with progress is skipped with the reason printed, and
// what an app sees without Storage is tested instead.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deleteMedia,
  getSignedUrl,
  listMyMedia,
  mediaStatus,
  uploadFile,
  uploadLimits,
  watchMediaRecord,
  type MediaRecordDoc,
  type UploadProgress,
} from "../../client/src/index";
import { closeAllClientApps, signUp } from "../helpers/client";
import { clearFirestore } from "../helpers/emulator-data";
import sharp from "../unit/media/sharp";

const storageRunning = process.env.AICHAT_STORAGE_EMULATOR_RUNNING === "1";
if (!storageRunning) {
  console.log(
    `client-media.test.ts: the upload test is SKIPPED, the Storage emulator is not running: ${process.env.AICHAT_STORAGE_SKIP_REASON || "no reason given"}`,
  );
}

beforeEach(async () => {
  await clearFirestore();
});
afterEach(async () => {
  await closeAllClientApps();
});

describe("media through the client library", () => {
  it("reports the limits, lists nothing yet, and refuses what the user may not touch", async () => {
    const user = await signUp("uploader");
    const status = await mediaStatus(user);
    expect(status.limits.maxImageBytes).toBe(10 * 1024 * 1024);
    expect(status.limits.variants.map((variant) => variant.name)).toEqual([
      "thumbnail",
      "small",
      "medium",
      "large",
    ]);
    expect(status.storage.enabled).toBe(storageRunning);
    await expect(uploadLimits(user)).resolves.toMatchObject({
      perHour: 20,
      usedThisHour: 0,
      premium: false,
    });
    await expect(listMyMedia(user)).resolves.toEqual({ items: [], nextStartAfter: null });
    const missing = await deleteMedia(user, "no-such-media").catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ code: "media_not_found" });
    const other = await getSignedUrl(user, "user-content/someone-else/photo.jpg").catch(
      (caught: unknown) => caught,
    );
    expect(other).toMatchObject({ code: "media_access_denied", status: "permission-denied" });
  }, 120_000);

  it.skipIf(storageRunning)(
    "says Storage is unavailable instead of uploading nowhere",
    async () => {
      const user = await signUp("offline");
      const error = await uploadFile(user, new Uint8Array([1, 2, 3]), {
        name: "note.txt",
        contentType: "image/png",
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "storage_unavailable" });
    },
    120_000,
  );

  it.skipIf(!storageRunning)(
    "uploads with progress, then the record turns ready with variants",
    async () => {
      const user = await signUp("photographer");
      const jpeg = await sharp({
        create: { width: 900, height: 600, channels: 3, background: { r: 200, g: 120, b: 40 } },
      })
        .jpeg()
        .toBuffer();
      const progress: UploadProgress[] = [];
      const { path } = await uploadFile(user, new Uint8Array(jpeg), {
        folder: "photos",
        name: "sunset.jpg",
        contentType: "image/jpeg",
        onProgress: (each) => progress.push(each),
      });
      expect(path).toBe(`user-content/${user.user.uid}/photos/sunset.jpg`);
      expect(progress.at(-1)?.bytesTransferred).toBe(jpeg.length);
      const ready = await new Promise<MediaRecordDoc>((resolve) => {
        const stop = watchMediaRecord(user, path, (record) => {
          if (record?.status !== "ready") return;
          stop();
          resolve(record);
        });
      });
      expect(Object.keys(ready.variants).sort()).toEqual(["large", "medium", "small", "thumbnail"]);
      const listed = await listMyMedia(user);
      expect(listed.items.map((item) => item.path)).toEqual([path]);
      await expect(deleteMedia(user, ready.id)).resolves.toMatchObject({ deleted: true });
    },
    120_000,
  );
});
