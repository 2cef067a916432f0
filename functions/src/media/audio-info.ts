// What an uploaded audio file is (format, duration) and whether it can be transcribed.
// Pure: reads bytes with music-metadata, no Firebase. music-metadata is an ES module, so it
// is loaded with a dynamic import from this CommonJS build.

export interface AudioInfo {
  /** Seconds, or null when the file does not say (e.g. a MediaRecorder WebM). */
  durationSec: number | null;
  /** Container as music-metadata names it: "MPEG", "WAVE", "EBML/webm", "Ogg", "M4A/mp42"... */
  container: string | null;
  codec: string | null;
  sampleRate: number | null;
  channels: number | null;
  /** Bits per second. */
  bitrate: number | null;
}

const positive = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : null;

/**
 * Reads the container and codec headers (and, for MP3 without a VBR header, counts frames
 * for an exact duration). Null when nothing in the bytes is recognisable audio.
 */
export async function readAudioInfo(bytes: Buffer, contentType: string): Promise<AudioInfo | null> {
  const { parseBuffer } = await import("music-metadata");
  let format;
  try {
    const mimeType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    ({ format } = await parseBuffer(
      bytes,
      { mimeType, size: bytes.length },
      { duration: true, skipCovers: true },
    ));
  } catch {
    return null;
  }
  const info: AudioInfo = {
    durationSec: positive(format.duration),
    container: format.container ?? null,
    codec: format.codec ?? null,
    sampleRate: positive(format.sampleRate),
    channels: positive(format.numberOfChannels),
    bitrate: positive(format.bitrate),
  };
  const recognised = info.container !== null || info.codec !== null || info.durationSec !== null;
  return recognised ? info : null;
}

/** The transcription endpoint takes files up to 25 MB; uploads may be 50 MB. */
export const TRANSCRIBE_MAX_BYTES = 25 * 1024 * 1024;

/**
 * The endpoint picks the decoder from the file name's extension. Formats it does not list
 * (raw AAC) get null: they are stored but not transcribed.
 */
const EXTENSIONS: Record<string, string> = {
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/ogg": "ogg",
  "audio/webm": "webm",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/flac": "flac",
};

export function transcriptionFileName(contentType: string): string | null {
  const bare = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const extension = EXTENSIONS[bare];
  return extension === undefined ? null : `audio.${extension}`;
}

export type TranscriptionPlan =
  { transcribe: true; fileName: string } | { transcribe: false; reason: string };

export function transcriptionPlan(input: {
  size: number;
  contentType: string;
  openAiConfigured: boolean;
}): TranscriptionPlan {
  if (!input.openAiConfigured) {
    return { transcribe: false, reason: "OPENAI_API_KEY is not set; audio is not transcribed." };
  }
  if (input.size > TRANSCRIBE_MAX_BYTES) {
    return {
      transcribe: false,
      reason: "The audio is larger than 25 MB, the transcription limit.",
    };
  }
  const fileName = transcriptionFileName(input.contentType);
  if (fileName === null) {
    return {
      transcribe: false,
      reason: `Audio of type ${input.contentType} cannot be transcribed.`,
    };
  }
  return { transcribe: true, fileName };
}

/** The longest voice message the rules accept (a message's `durationSec`), and transcribe. */
export const MAX_VOICE_MESSAGE_SECONDS = 300;

/** What the reply needs to know about an upload to decide on its transcript. */
export interface VoiceUpload {
  status: "processing" | "ready" | "failed";
  kind: "image" | "audio" | null;
  size: number;
  contentType: string | null;
  /** Read from the file by the upload trigger; never the client's `durationSec`. */
  durationSec: number | null;
  transcript: string | null;
}

export type VoiceTranscriptDecision =
  | { action: "use"; transcript: string }
  | { action: "transcribe"; fileName: string }
  | { action: "skip"; reason: string };

/**
 * Whether a voice message's upload may be transcribed for its reply. Only an upload the
 * trigger has read (status ready, kind audio) whose own duration is known and at most
 * MAX_VOICE_MESSAGE_SECONDS: the cost of a transcription grows with the audio's length, and
 * the client's `durationSec` is only a claim. A transcript made earlier is used again.
 */
export function voiceTranscriptDecision(
  upload: VoiceUpload | null,
  openAiConfigured: boolean,
): VoiceTranscriptDecision {
  const skip = (reason: string): VoiceTranscriptDecision => ({ action: "skip", reason });
  if (upload === null) return skip("The upload has not been recorded yet.");
  if (upload.status === "processing") return skip("The upload is still being processed.");
  if (upload.status === "failed") return skip("The upload failed.");
  if (upload.kind !== "audio") return skip("The upload is not audio.");
  if (upload.transcript !== null) return { action: "use", transcript: upload.transcript };
  if (upload.durationSec === null) {
    return skip("The audio file does not say how long it is, so it is not transcribed.");
  }
  if (upload.durationSec > MAX_VOICE_MESSAGE_SECONDS) {
    return skip(
      `The audio is longer than ${MAX_VOICE_MESSAGE_SECONDS} s, the limit for voice messages.`,
    );
  }
  const plan = transcriptionPlan({
    size: upload.size,
    contentType: upload.contentType ?? "",
    openAiConfigured,
  });
  return plan.transcribe ? { action: "transcribe", fileName: plan.fileName } : skip(plan.reason);
}
