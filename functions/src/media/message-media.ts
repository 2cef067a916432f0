// What the reply trigger needs from a user message's upload: the transcript of an audio
// message and a signed URL of an image message's picture.
//
// Transcription costs money by the minute, so it happens only here, for a message the reply
// has already charged to the user's quota, and only for an upload the upload trigger has
// read: its duration comes from the file (media record `audio.durationSec`), never from the
// client's `durationSec`, and longer than MAX_VOICE_MESSAGE_SECONDS is not transcribed.
// The upload and reply triggers start independently (the client writes the message right
// after its upload finishes), so the reply watches the media record briefly. The transcript
// is stored on the message, once, and on the record, where a later message naming the same
// upload finds it.
import * as logger from "firebase-functions/logger";
import type { Settings } from "../config";
import { searchKeywords } from "../contract/search";
import { messagesRef } from "../chat/store";
import type { UserMessage } from "../contract/chat";
import { adminStorage, db, FieldValue } from "../shared/firebase";
import { storageReachable } from "../shared/storage";
import { voiceTranscriptDecision, type VoiceUpload } from "./audio-info";
import { adminSigner, type UrlSigner } from "./signing";
import type { MediaRecord } from "../contract/media";
import { awaitUserMedia, mediaRef } from "./store";
import { transcribeAudio } from "./transcribe";

/** How long the reply waits for the upload trigger's record to appear. */
const RECORD_APPEAR_MS = 15_000;
/** How long it then waits for that record to finish (reading an audio file takes seconds). */
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

function voiceUploadOf(record: MediaRecord): VoiceUpload {
  return {
    status: record.status,
    kind: record.kind,
    size: record.size,
    contentType: record.contentType,
    durationSec: record.audio?.durationSec ?? null,
    transcript: record.transcript,
  };
}

/**
 * The message with its transcript when it is an audio message whose upload may be
 * transcribed (voiceTranscriptDecision); otherwise the message unchanged (the reply then
 * uses the message's text). Call it only for a message whose reply has been charged.
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
  let found: { id: string; record: MediaRecord } | null = null;
  try {
    found = await uploadRecord(message, path, RECORD_FINISH_MS);
    const decision = voiceTranscriptDecision(found ? voiceUploadOf(found.record) : null, true);
    if (decision.action === "skip" || found === null) {
      const reason = decision.action === "skip" ? decision.reason : "no upload record";
      logger.info("voice message not transcribed; replying to its text", { path, reason });
      if (found?.record.status === "ready")
        await noteOnRecord(found.id, { transcriptError: reason });
      return message;
    }
    const transcript =
      decision.action === "use"
        ? decision.transcript
        : await transcribeUpload(found.record, decision.fileName, settings);
    const stored = await storeTranscript(at, transcript);
    if (found.record.transcript === null) {
      await noteOnRecord(found.id, { transcript: stored, transcriptError: null });
    }
    return { ...message, transcript: stored };
  } catch (error) {
    logger.warn("transcription for the reply failed; replying without it", {
      path,
      error: String(error),
    });
    if (found) {
      await noteOnRecord(found.id, {
        transcriptError: "The transcription failed; the reply used the message's text.",
      });
    }
    return message;
  }
}

/** The exact object generation the record describes: bytes replaced since are not its. */
async function transcribeUpload(
  record: MediaRecord,
  fileName: string,
  settings: Settings,
): Promise<string> {
  const [bytes] = await adminStorage()
    .bucket(record.bucket)
    .file(record.path, { generation: record.generation })
    .download();
  return transcribeAudio(bytes, fileName, record.contentType ?? "", settings);
}

/** Best effort: the record only informs the uploader; the reply does not depend on it. */
async function noteOnRecord(mediaId: string, fields: Record<string, unknown>): Promise<void> {
  await mediaRef(mediaId)
    .update({ ...fields, updatedAt: FieldValue.serverTimestamp() })
    .catch((error: unknown) =>
      logger.warn("could not update the media record", { mediaId, error: String(error) }),
    );
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
