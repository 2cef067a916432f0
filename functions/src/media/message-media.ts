// What the reply trigger needs from a user message's upload: the transcript of an audio
// message and a signed URL of an image message's picture.
//
// The upload trigger and the reply trigger start independently (the client usually writes
// the message right after its upload finishes), so the reply side does not assume the upload
// side is done: it watches the media record briefly, and if no transcript comes it
// transcribes the object itself. Either way the transcript is stored on the message, once,
// before the reply uses it.
import { logger } from "firebase-functions/v2";
import type { Settings } from "../config";
import { searchKeywords } from "../chat/search-keywords";
import { messagesRef } from "../chat/store";
import type { UserMessage } from "../contract/chat";
import { db, FieldValue } from "../shared/firebase";
import { mediaBucket, storageReachable } from "../shared/storage";
import { transcriptionPlan } from "./audio-info";
import { adminSigner, type UrlSigner } from "./signing";
import type { MediaRecord } from "../contract/media";
import { awaitUserMedia, mediaRef } from "./store";
import { transcribeAudio } from "./transcribe";

/** How long the reply waits for the upload trigger's record to appear. */
const RECORD_APPEAR_MS = 5_000;
/** How long it then waits for that record to finish (transcription included). */
const RECORD_FINISH_MS = 40_000;
/** Images are quicker: a 24 MP photo's variants take well under a second of CPU. */
const IMAGE_FINISH_MS = 10_000;
const IMAGE_URL_SECONDS = 15 * 60;

export interface MessageRef {
  convId: string;
  messageId: string;
}

const settled = (record: MediaRecord | null) => record !== null && record.status !== "processing";

async function uploadRecord(message: UserMessage, path: string, finishMs: number) {
  const first = await awaitUserMedia(
    message.userId,
    path,
    (record) => record !== null,
    RECORD_APPEAR_MS,
  );
  if (first === null || settled(first.record)) return first;
  return (await awaitUserMedia(message.userId, path, settled, finishMs)) ?? first;
}

/**
 * The message with its transcript when it is an audio message that can be transcribed;
 * otherwise the message unchanged (the reply then uses the message's text).
 */
export async function withTranscript(
  at: MessageRef,
  message: UserMessage,
  settings: Settings,
): Promise<UserMessage> {
  if (message.type !== "audio" || message.transcript !== undefined || !message.storagePath)
    return message;
  if (!settings.openAiApiKey || !storageReachable()) return message;
  const path = message.storagePath;
  try {
    const found = await uploadRecord(message, path, RECORD_FINISH_MS);
    let transcript = found?.record.transcript ?? null;
    if (found?.record.status === "failed") {
      logger.info("audio upload failed; replying without a transcript", {
        path,
        code: found.record.code,
      });
      return message;
    }
    if (transcript === null) transcript = await transcribeObject(path, settings);
    if (transcript === null) return message;
    const stored = await storeTranscript(at, transcript);
    if (found && found.record.transcript === null) {
      await mediaRef(found.id)
        .update({
          transcript: stored,
          transcriptError: null,
          updatedAt: FieldValue.serverTimestamp(),
        })
        .catch((error: unknown) =>
          logger.warn("could not copy the transcript to the media record", {
            error: String(error),
          }),
        );
    }
    return { ...message, transcript: stored };
  } catch (error) {
    logger.warn("transcription for the reply failed; replying without it", {
      path,
      error: String(error),
    });
    return message;
  }
}

async function transcribeObject(path: string, settings: Settings): Promise<string | null> {
  const file = mediaBucket().file(path);
  const [metadata] = await file.getMetadata();
  const contentType = metadata.contentType ?? "";
  const plan = transcriptionPlan({
    size: Number(metadata.size ?? 0),
    contentType,
    openAiConfigured: true,
  });
  if (!plan.transcribe) {
    logger.info("audio not transcribed", { path, reason: plan.reason });
    return null;
  }
  const [bytes] = await file.download();
  return transcribeAudio(bytes, plan.fileName, contentType, settings);
}

/** Writes the transcript once; a transcript stored first by another attempt wins. */
async function storeTranscript(at: MessageRef, transcript: string): Promise<string> {
  const ref = messagesRef(at.convId).doc(at.messageId);
  return db().runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    const existing: unknown = snapshot.get("transcript");
    if (typeof existing === "string") return existing;
    tx.update(ref, {
      transcript,
      keywords: searchKeywords(transcript),
      transcribedAt: FieldValue.serverTimestamp(),
    });
    return transcript;
  });
}

/**
 * A signed URL of the picture of an image message, for a model that can see: the `small`
 * variant when it is ready, else the original. Undefined when there is no usable image.
 */
export async function imageUrlForMessage(
  message: UserMessage,
  signer: UrlSigner = adminSigner,
): Promise<string | undefined> {
  if (message.type !== "media" || !message.storagePath || !storageReachable()) return undefined;
  const path = message.storagePath;
  try {
    const found = await uploadRecord(message, path, IMAGE_FINISH_MS);
    if (found && (found.record.status === "failed" || found.record.kind === "audio"))
      return undefined;
    const target = found?.record.variants.small ?? path;
    return await signer(target, Date.now() + IMAGE_URL_SECONDS * 1000);
  } catch (error) {
    logger.warn("no image URL for the reply", { path, error: String(error) });
    return undefined;
  }
}
