// Media records as clients read them (media/{mediaId}, one per uploaded object generation,
// written only by the server) and the media callables' inputs and outputs. Pure: zod only.
import { z } from "zod";
import { emptyInput, featureStateSchema } from "./common.js";
import { timestampSchema } from "./timestamp.js";

export const MEDIA_STATUSES = ["processing", "ready", "failed"] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

export const audioInfoSchema = z.object({
  durationSec: z.number().nullable(),
  container: z.string().nullable(),
  codec: z.string().nullable(),
  sampleRate: z.number().nullable(),
  channels: z.number().nullable(),
  bitrate: z.number().nullable(),
});

export const mediaRecordSchema = z.object({
  path: z.string(),
  bucket: z.string(),
  generation: z.string(),
  /** Set for user-content uploads; characterId for character media. */
  ownerUid: z.string().nullable().default(null),
  characterId: z.string().nullable().default(null),
  scope: z.enum(["user", "gallery", "avatar"]).nullable().default(null),
  kind: z.enum(["image", "audio"]).nullable().default(null),
  contentType: z.string().nullable().default(null),
  size: z.number().default(0),
  status: z.enum(MEDIA_STATUSES),
  /** Machine-readable failure code (media/media-state.ts MediaFailureCode). */
  code: z.string().nullable().default(null),
  /** Safe to show to the uploader. */
  reason: z.string().nullable().default(null),
  variants: z.record(z.string(), z.string()).default({}),
  width: z.number().nullable().default(null),
  height: z.number().nullable().default(null),
  /** Image format read from the bytes (jpeg, png, webp, gif, avif). */
  format: z.string().nullable().default(null),
  audio: audioInfoSchema.nullable().default(null),
  transcript: z.string().nullable().default(null),
  transcriptError: z.string().nullable().default(null),
  attempts: z.number().int().default(0),
  lease: z.object({ owner: z.string(), expiresAtMs: z.number() }).nullable().default(null),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
});
export type MediaRecord = z.infer<typeof mediaRecordSchema>;

// ---- callables ------------------------------------------------------------------------------

const MAX_PATH_LENGTH = 1024;

/** A path the callables accept: no leading slash, no empty, '.' or '..' segment. */
export function isWellFormedPath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

export const SIGNED_URL_DEFAULT_SECONDS = 900;
export const SIGNED_URL_MAX_SECONDS = 3600;

export const mediaIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be a media id");

export const mediaStatusInput = emptyInput;
export const mediaStatusOutput = z.object({
  storage: featureStateSchema,
  limits: z.object({
    maxImageBytes: z.number(),
    maxAudioBytes: z.number(),
    imageContentTypes: z.array(z.string()),
    audioContentTypes: z.array(z.string()),
    uploadsPerHour: z.object({ free: z.number(), premium: z.number() }),
    signedUrlMaxSeconds: z.number(),
    variants: z.array(
      z.object({
        name: z.string(),
        width: z.number(),
        height: z.number(),
        fit: z.enum(["cover", "inside"]),
      }),
    ),
  }),
});
export type MediaStatusOutput = z.infer<typeof mediaStatusOutput>;

export const uploadLimitsInput = emptyInput;
export const uploadLimitsOutput = z.object({
  maxImageBytes: z.number(),
  maxAudioBytes: z.number(),
  perHour: z.number(),
  usedThisHour: z.number(),
  remainingThisHour: z.number(),
  /** ISO 8601: when the oldest counted upload leaves the window. */
  nextSlotAt: z.string().nullable(),
  premium: z.boolean(),
  exempt: z.boolean(),
});
export type UploadLimitsOutput = z.infer<typeof uploadLimitsOutput>;

/** One upload as listMyMedia returns it (a media record without the server's bookkeeping). */
export const mediaItemSchema = z.object({
  id: z.string(),
  path: z.string(),
  kind: mediaRecordSchema.shape.kind,
  status: z.enum(MEDIA_STATUSES),
  code: z.string().nullable(),
  reason: z.string().nullable(),
  contentType: z.string().nullable(),
  size: z.number(),
  variants: z.record(z.string(), z.string()),
  width: z.number().nullable(),
  height: z.number().nullable(),
  format: z.string().nullable(),
  audio: audioInfoSchema.nullable(),
  transcript: z.string().nullable(),
  /** ISO 8601. */
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type MediaItem = z.infer<typeof mediaItemSchema>;

export const listMyMediaInput = z.strictObject({
  limit: z.number().int().min(1).max(50).default(20),
  /** The `nextStartAfter` of the previous page. */
  startAfter: mediaIdSchema.optional(),
});
export const listMyMediaOutput = z.object({
  items: z.array(mediaItemSchema),
  nextStartAfter: z.string().nullable(),
});
export type ListMyMediaOutput = z.infer<typeof listMyMediaOutput>;

export const deleteMediaInput = z.strictObject({ mediaId: mediaIdSchema });
export const deleteMediaOutput = z.object({
  mediaId: z.string(),
  deleted: z.literal(true),
  /** What happened to the Storage objects: a newer upload at the same path is kept. */
  objects: z.enum(["deleted", "kept-newer-upload", "storage-unavailable"]),
});
export type DeleteMediaOutput = z.infer<typeof deleteMediaOutput>;

export const getSignedUrlInput = z.strictObject({
  path: z
    .string()
    .refine(
      isWellFormedPath,
      "must be an object path: no leading '/', no empty, '.' or '..' segment",
    ),
  expiresInSeconds: z
    .number()
    .int()
    .min(1)
    .max(SIGNED_URL_MAX_SECONDS)
    .default(SIGNED_URL_DEFAULT_SECONDS),
});
export const getSignedUrlOutput = z.object({
  url: z.string(),
  path: z.string(),
  /** ISO 8601. */
  expiresAt: z.string(),
});
export type GetSignedUrlOutput = z.infer<typeof getSignedUrlOutput>;
