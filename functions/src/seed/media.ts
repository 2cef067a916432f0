// Seed media: the gallery items of seeds/gallery.json (free and premium-only) and an avatar for
// every seed character. The images are drawn at seed time with sharp (no binary files in the
// repository) and stored in Cloud Storage where it runs. Where it does not (the local
// emulators without the Storage emulator), gallery documents are still written, avatars stay
// empty, and apps draw placeholders; the report says so.
import { readFileSync } from "node:fs";
import { Buffer } from "node:buffer";
import sharp from "sharp";
import { z } from "zod";
import { newGalleryItem } from "../characters/gallery-model";
import { addGalleryItemInput } from "../contract/characters";
import { characterDoc, galleryCollection, galleryItemDoc } from "../characters/store";
import { adminStorage, Timestamp } from "../shared/firebase";
import { storageReachable } from "../shared/storage";
import { Tally, writeIfChanged } from "./write-if-changed";

const seedItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  caption: z.string().max(500),
  tags: z.array(z.string()).max(20).default([]),
  premiumOnly: z.boolean().default(false),
});
const seedGallerySchema = z.record(z.string(), z.array(seedItemSchema));
export type SeedGallery = z.infer<typeof seedGallerySchema>;

export function readSeedGallery(file: string): SeedGallery {
  return seedGallerySchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

export interface MediaReport {
  tally: Tally;
  /** Why no image was stored, when none was. */
  skipped: string | null;
}

/** A small deterministic hash, so each character keeps its colours from run to run. */
function hue(seed: string): number {
  let hash = 2166136261;
  for (const char of seed) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return Math.abs(hash) % 360;
}

/** Abstract art (no text: fonts differ between machines): gradient, a moon, some stars. */
function drawSvg(seed: string, width: number, height: number): string {
  const base = hue(seed);
  const stars = Array.from({ length: 24 }, (_, index) => {
    const x = (hue(`${seed}x${index}`) / 360) * width;
    const y = (hue(`${seed}y${index}`) / 360) * height * 0.7;
    const r = 1 + (index % 3);
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="#fff" opacity="0.8"/>`;
  }).join("");
  const radius = Math.min(width, height) * 0.22;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${base},65%,45%)"/>
    <stop offset="1" stop-color="hsl(${(base + 70) % 360},70%,22%)"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>${stars}
  <circle cx="${width * 0.62}" cy="${height * 0.42}" r="${radius}" fill="hsl(${(base + 180) % 360},80%,80%)" opacity="0.9"/>
  <path d="M0 ${height * 0.8} Q ${width * 0.3} ${height * 0.62} ${width * 0.55} ${height * 0.78} T ${width} ${height * 0.72} V ${height} H 0 Z" fill="hsl(${base},40%,15%)"/>
</svg>`;
}

async function drawPng(seed: string, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(drawSvg(seed, width, height)))
    .png()
    .toBuffer();
}

function seedBucket() {
  const name =
    process.env.MEDIA_BUCKET || `${process.env.GCLOUD_PROJECT ?? "demo-aichat"}.appspot.com`;
  return adminStorage().bucket(name);
}

async function storeOnce(path: string, seed: string, width: number, height: number) {
  const file = seedBucket().file(path);
  const [exists] = await file.exists();
  if (exists) return;
  await file.save(await drawPng(seed, width, height), {
    contentType: "image/png",
    resumable: false,
  });
}

export async function seedMedia(
  gallery: SeedGallery,
  characterIds: readonly string[],
): Promise<MediaReport> {
  const tally = new Tally();
  const storage = storageReachable();
  let order = 0;
  for (const [characterId, items] of Object.entries(gallery)) {
    for (const item of items) {
      const input = addGalleryItemInput.parse({
        characterId,
        type: "image",
        storagePath: `characters/${characterId}/gallery/${item.id}/image.png`,
        caption: item.caption,
        tags: item.tags,
        premiumOnly: item.premiumOnly,
      });
      if (storage) await storeOnce(input.storagePath, `${characterId}/${item.id}`, 1200, 900);
      const ref = galleryItemDoc(characterId, item.id);
      const { variants, viewCount, viewCountRefreshedAtMs, ...fields } = newGalleryItem(input);
      if (!(await ref.get()).exists) {
        await ref.set({
          ...fields,
          variants,
          viewCount,
          viewCountRefreshedAtMs,
          // Fixed, so reseeding compares equal; the order is the file's.
          createdAt: Timestamp.fromMillis(Date.UTC(2026, 0, 1) + order * 60_000),
        });
        tally.add("created");
      } else {
        // Variants and view counts belong to the pipeline and the counters once it exists.
        tally.add(await writeIfChanged(ref, fields, { timestamps: false }));
      }
      order += 1;
    }
  }
  // Exact counts from what is stored (admins may have added items since the last seed).
  for (const characterId of characterIds) {
    const items = galleryCollection(characterId);
    const [premium, all] = await Promise.all([
      items.where("premiumOnly", "==", true).count().get(),
      items.count().get(),
    ]);
    const galleryCounts = {
      free: all.data().count - premium.data().count,
      premium: premium.data().count,
    };
    tally.add(
      await writeIfChanged(
        characterDoc(characterId),
        { galleryCounts },
        {
          timestamps: false,
        },
      ),
    );
  }
  if (storage) {
    for (const characterId of characterIds) {
      const path = `characters/${characterId}/avatar/avatar.png`;
      await storeOnce(path, characterId, 512, 512);
      const ref = characterDoc(characterId);
      const snapshot = await ref.get();
      if (snapshot.get("avatar") == null) {
        await ref.update({ avatar: { path, variants: {} } });
        tally.add("updated");
      } else {
        tally.add("unchanged");
      }
    }
  }
  return {
    tally,
    skipped: storage
      ? null
      : "the Storage emulator is not running, so no images were stored; apps show placeholders",
  };
}
