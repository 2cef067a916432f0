// Media: uploads straight to Cloud Storage (with progress), the record the server keeps of
// each upload (status, variants, transcript), and the media callables.
import { limit, query, where } from "firebase/firestore";
import { ref, uploadBytesResumable, type UploadMetadata } from "firebase/storage";
import {
  mediaRecordSchema,
  paths,
  storageFolders,
  type DeleteMediaOutput,
  type GetSignedUrlOutput,
  type ListMyMediaOutput,
  type MediaRecord,
  type MediaStatusOutput,
  type UploadLimitsOutput,
} from "../../functions/src/contract/index.js";
import { requireUser } from "./auth.js";
import { call } from "./call.js";
import type { AiChatClient } from "./connect.js";
import {
  typedCollection,
  watchQuery,
  type ErrorHandler,
  type Unsubscribe,
  type WithId,
} from "./documents.js";
import { AppError, toAppError } from "./errors.js";

export type MediaRecordDoc = WithId<MediaRecord>;

/** Whether Storage works here (the local stack runs without it on offline machines) and the limits. */
export function mediaStatus(client: AiChatClient): Promise<MediaStatusOutput> {
  return call(client, "mediaStatus", {});
}

/** Uploads left this hour (20, or 100 for premium users). */
export function uploadLimits(client: AiChatClient): Promise<UploadLimitsOutput> {
  return call(client, "uploadLimits", {});
}

export interface UploadProgress {
  bytesTransferred: number;
  totalBytes: number;
}

export interface UploadOptions {
  /** The file name; the object path is `user-content/{uid}/{folder}/{name}`. */
  name: string;
  /** A folder inside the user's own area, e.g. `audio` or `photos` (`avatars` is public). */
  folder?: string;
  /** `image/jpeg`, `audio/mpeg`...: images up to 10 MB, audio up to 50 MB. */
  contentType: string;
  onProgress?: (progress: UploadProgress) => void;
}

/**
 * Uploads a file to the user's own folder and resolves with its path once Storage has it.
 * Use the path in sendMessage (audio and media messages) or updateProfile (avatarPath). The
 * server then records it (watchMediaRecord): images get WebP variants, audio a transcript.
 */
export async function uploadFile(
  client: AiChatClient,
  data: Blob | Uint8Array | ArrayBuffer,
  options: UploadOptions,
): Promise<{ path: string }> {
  const user = requireUser(client);
  const folder = options.folder ? `${options.folder.replace(/^\/+|\/+$/g, "")}/` : "";
  const path = `${storageFolders.userContent(user.uid)}${folder}${options.name}`;
  await uploadToPath(client, path, data, options);
  return { path };
}

/** Uploads to an object path the storage rules let this user write. */
export async function uploadToPath(
  client: AiChatClient,
  path: string,
  data: Blob | Uint8Array | ArrayBuffer,
  options: Pick<UploadOptions, "contentType" | "onProgress">,
): Promise<void> {
  if (!client.storage) throw new AppError({ code: "storage_unavailable", source: "client" });
  const metadata: UploadMetadata = { contentType: options.contentType };
  const task = uploadBytesResumable(ref(client.storage, path), data, metadata);
  await new Promise<void>((resolve, reject) => {
    task.on(
      "state_changed",
      (snapshot) =>
        options.onProgress?.({
          bytesTransferred: snapshot.bytesTransferred,
          totalBytes: snapshot.totalBytes,
        }),
      (error) => reject(toAppError(error)),
      () => resolve(),
    );
  });
}

/**
 * The server's record of an upload at `path`: null until the trigger has seen it, then
 * `processing`, then `ready` (with variants or a transcript) or `failed` (with a reason).
 */
export function watchMediaRecord(
  client: AiChatClient,
  path: string,
  onChange: (record: MediaRecordDoc | null) => void,
  onError?: ErrorHandler,
): Unsubscribe {
  const uid = requireUser(client).uid;
  return watchQuery(
    query(
      typedCollection(client, paths.media(), mediaRecordSchema),
      where("ownerUid", "==", uid),
      where("path", "==", path),
      limit(5),
    ),
    (records) => {
      // A path uploaded again has a record per generation: the newest is the one in use.
      const newest = records.reduce<MediaRecordDoc | null>(
        (best, each) =>
          best === null || (each.createdAt?.toMillis() ?? 0) >= (best.createdAt?.toMillis() ?? 0)
            ? each
            : best,
        null,
      );
      onChange(newest);
    },
    onError,
  );
}

/** The user's uploads, newest first, a page at a time (pass `nextStartAfter` back). */
export function listMyMedia(
  client: AiChatClient,
  options: { limit?: number; startAfter?: string } = {},
): Promise<ListMyMediaOutput> {
  return call(client, "listMyMedia", options);
}

/** Deletes an upload, its variants and its record (the owner's own, or any for an admin). */
export function deleteMedia(client: AiChatClient, mediaId: string): Promise<DeleteMediaOutput> {
  return call(client, "deleteMedia", { mediaId });
}

/**
 * A signed URL to read a file the user may read (their own uploads, published characters'
 * avatars, gallery items they may see, their spoken replies), valid up to an hour.
 */
export function getSignedUrl(
  client: AiChatClient,
  path: string,
  expiresInSeconds?: number,
): Promise<GetSignedUrlOutput> {
  return call(client, "getSignedUrl", { path, ...(expiresInSeconds ? { expiresInSeconds } : {}) });
}
