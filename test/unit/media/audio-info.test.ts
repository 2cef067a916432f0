import { describe, expect, it } from "vitest";
import {
  MAX_VOICE_MESSAGE_SECONDS,
  TRANSCRIBE_MAX_BYTES,
  readAudioInfo,
  transcriptionFileName,
  transcriptionPlan,
  voiceTranscriptDecision,
  type VoiceUpload,
} from "../../../functions/src/media/audio-info";
import { fakeSpeech } from "../../doubles/fake-openai";

/** A mono 16-bit PCM WAV of `seconds` of silence, written field by field (RIFF/WAVE). */
function wav(seconds: number, sampleRate = 8000): Buffer {
  const data = Buffer.alloc(seconds * sampleRate * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8, "latin1");
  header.write("fmt ", 12, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe("readAudioInfo (music-metadata)", () => {
  it("reads a WAV's exact duration, rate and channels", async () => {
    const info = await readAudioInfo(wav(2), "audio/wav");
    expect(info).toMatchObject({ container: "WAVE", sampleRate: 8000, channels: 1 });
    expect(info?.durationSec).toBeCloseTo(2, 5);
  });

  it("reads an MP3 by counting its frames", async () => {
    // Ten words: five silent 128 kbps frames of 1152 samples at 44.1 kHz.
    const info = await readAudioInfo(
      fakeSpeech("one two three four five six seven eight nine ten"),
      "audio/mpeg",
    );
    expect(info).toMatchObject({ container: "MPEG", sampleRate: 44100 });
    expect(info?.durationSec).toBeCloseTo((5 * 1152) / 44100, 2);
  });

  it("ignores content-type parameters and case", async () => {
    expect(await readAudioInfo(wav(1), "Audio/WAV; codecs=1")).toMatchObject({ container: "WAVE" });
  });

  it.each([
    ["text", Buffer.from("this is not audio at all, just words"), "audio/mpeg"],
    ["zeros", Buffer.alloc(4096), "audio/wav"],
    ["a PNG", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), "audio/ogg"],
  ])("recognises nothing in %s", async (_name, bytes, contentType) => {
    expect(await readAudioInfo(bytes, contentType)).toBeNull();
  });
});

describe("transcription", () => {
  const ok = { size: 1000, contentType: "audio/webm", openAiConfigured: true };

  it("names the file so the endpoint picks the right decoder", () => {
    expect(transcriptionFileName("audio/mpeg")).toBe("audio.mp3");
    expect(transcriptionFileName("audio/mp4")).toBe("audio.m4a");
    expect(transcriptionFileName("audio/x-wav")).toBe("audio.wav");
    expect(transcriptionFileName("AUDIO/WEBM;codecs=opus")).toBe("audio.webm");
    expect(transcriptionFileName("audio/aac")).toBeNull();
  });

  it("transcribes what the endpoint accepts", () => {
    expect(transcriptionPlan(ok)).toEqual({ transcribe: true, fileName: "audio.webm" });
    expect(transcriptionPlan({ ...ok, size: TRANSCRIBE_MAX_BYTES })).toMatchObject({
      transcribe: true,
    });
  });

  it("says why it does not transcribe", () => {
    expect(transcriptionPlan({ ...ok, openAiConfigured: false })).toMatchObject({
      transcribe: false,
      reason: expect.stringContaining("OPENAI_API_KEY"),
    });
    expect(transcriptionPlan({ ...ok, size: TRANSCRIBE_MAX_BYTES + 1 })).toMatchObject({
      transcribe: false,
      reason: expect.stringContaining("25 MB"),
    });
    expect(transcriptionPlan({ ...ok, contentType: "audio/aac" })).toMatchObject({
      transcribe: false,
    });
  });
});

describe("transcribing a voice message for its reply", () => {
  const upload = (over: Partial<VoiceUpload> = {}): VoiceUpload => ({
    status: "ready",
    kind: "audio",
    size: 200_000,
    contentType: "audio/ogg",
    durationSec: 12,
    transcript: null,
    ...over,
  });

  it("transcribes a read upload whose own duration is within the limit", () => {
    expect(voiceTranscriptDecision(upload(), true)).toEqual({
      action: "transcribe",
      fileName: "audio.ogg",
    });
    expect(
      voiceTranscriptDecision(upload({ durationSec: MAX_VOICE_MESSAGE_SECONDS }), true).action,
    ).toBe("transcribe");
  });

  it("refuses audio longer than 300 s, whatever the message claims", () => {
    expect(MAX_VOICE_MESSAGE_SECONDS).toBe(300);
    expect(
      voiceTranscriptDecision(upload({ durationSec: MAX_VOICE_MESSAGE_SECONDS + 0.5 }), true),
    ).toEqual({ action: "skip", reason: expect.stringContaining("300 s") });
  });

  it("refuses audio whose length the file does not state", () => {
    expect(voiceTranscriptDecision(upload({ durationSec: null }), true)).toMatchObject({
      action: "skip",
    });
  });

  it("uses a transcript made before instead of paying again", () => {
    expect(voiceTranscriptDecision(upload({ transcript: "hello" }), true)).toEqual({
      action: "use",
      transcript: "hello",
    });
  });

  it("waits for nothing the upload trigger has not read", () => {
    for (const each of [
      null,
      upload({ status: "processing" }),
      upload({ status: "failed" }),
      upload({ kind: "image" }),
      upload({ kind: null }),
      upload({ size: TRANSCRIBE_MAX_BYTES + 1 }),
      upload({ contentType: "audio/aac" }),
    ]) {
      expect(voiceTranscriptDecision(each, true).action, JSON.stringify(each)).toBe("skip");
    }
    expect(voiceTranscriptDecision(upload(), false).action).toBe("skip");
  });
});
