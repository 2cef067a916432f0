// The OpenAI double, exercised through the real OpenAI SDK so its shapes are the SDK's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import OpenAI, {
  APIConnectionTimeoutError,
  RateLimitError,
  toFile,
} from "../../../functions/node_modules/openai/index.mjs";
import { assemblePrompt } from "../../../functions/src/chat/core/prompt";
import { classifyError, isRetryable } from "../../../functions/src/chat/core/retry";
import {
  fakeOpenAIControl,
  FLAGGED_OUTPUT_TOKEN,
  startFakeOpenAI,
  type FakeOpenAI,
} from "../../doubles/fake-openai";
import { ai, profile } from "./character-fixture";

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI(0);
  client = new OpenAI({ apiKey: "sk-test-local-double", baseURL: fake.url, maxRetries: 0 });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(async () => {
  await fakeOpenAIControl(fake.url).reset();
});

const system = { role: "system" as const, content: "You are Mira, a lighthouse keeper." };
const user = (content: string) => ({ role: "user" as const, content });

async function streamText(content: string): Promise<{ text: string; chunks: number }> {
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [system, user(content)],
    stream: true,
  });
  let text = "";
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta.content ?? "";
  }
  return { text, chunks };
}

describe("fake OpenAI: chat completions", () => {
  it("answers a JSON completion in character, with usage", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [system, user("Is the lamp lit?")],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    const text = completion.choices[0]?.message.content ?? "";
    expect(text).toContain("Mira");
    expect(text).toContain("Is the lamp lit?");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("accepts the messages the prompt assembler builds and answers as that character", async () => {
    const prompt = assemblePrompt({
      profile: profile({ name: "Captain Ro" }),
      ai: ai(),
      userName: "Sam",
      summary: "",
      recentTurns: [],
      newMessage: { role: "user", text: "Where are we sailing?", imageUrl: "https://img/map.png" },
      model: "gpt-4o",
    });
    const completion = await client.chat.completions.create({
      model: "gpt-4o",
      messages: prompt.messages,
    });
    expect(completion.choices[0]?.message.content).toContain("Captain Ro");
  });

  it("streams chunks and ends with a usage chunk when asked for usage", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [system, user("Tell me a story [[words:12]] [[cached:5]]")],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let contentChunks = 0;
    const finishReasons: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let usageChunkHadChoices = true;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      const delta = chunk.choices[0]?.delta.content;
      if (delta) {
        text += delta;
        contentChunks++;
      }
      const reason = chunk.choices[0]?.finish_reason;
      if (reason) finishReasons.push(reason);
      if (chunk.usage) {
        usage = chunk.usage;
        usageChunkHadChoices = chunk.choices.length > 0;
      }
    }
    expect(text.split(" ")).toHaveLength(12);
    expect(contentChunks).toBe(12);
    expect(finishReasons).toEqual(["stop"]);
    expect(usageChunkHadChoices).toBe(false);
    expect(usage?.completion_tokens).toBe(12);
    expect(usage?.prompt_tokens).toBeGreaterThan(5);
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(5);
  });

  it("sends no usage chunk unless asked", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [system, user("hello")],
      stream: true,
    });
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull();
  });

  it("stops at max_tokens with finish_reason length", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [system, user("go on [[words:50]]")],
      max_tokens: 7,
    });
    expect(completion.choices[0]?.finish_reason).toBe("length");
    expect(completion.choices[0]?.message.content?.split(" ")).toHaveLength(7);
  });

  it("paces chunks when asked", async () => {
    const started = Date.now();
    const { text } = await streamText("slowly [[words:6]] [[pace:40]]");
    expect(text.split(" ")).toHaveLength(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(6 * 40 - 10);
  });

  it("fails the first N calls with the given status, then succeeds (SDK retries off)", async () => {
    const content = `retry me ${Date.now()} [[fail:429x2]]`;
    const call = () =>
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [system, user(content)] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error: unknown = await call().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(classifyError(error)).toBe("rate_limited");
      expect(isRetryable(classifyError(error))).toBe(true);
    }
    const completion = await call();
    expect(completion.choices[0]?.message.content).toContain("Mira");
    const requests = await fakeOpenAIControl(fake.url).requests(content.slice(0, 20));
    expect(requests).toHaveLength(3);
  });

  it("fails every call without a count, and counts per exact message text", async () => {
    const always = client.chat.completions.create({
      model: "m",
      messages: [user("x [[fail:500]]")],
    });
    await expect(always).rejects.toMatchObject({ status: 500 });
    await expect(
      client.chat.completions.create({ model: "m", messages: [user("x [[fail:500]]")] }),
    ).rejects.toMatchObject({ status: 500 });
    await expect(
      client.chat.completions.create({ model: "m", messages: [user("a [[fail:500x1]]")] }),
    ).rejects.toMatchObject({ status: 500 });
    // A different text has its own counter.
    await expect(
      client.chat.completions.create({ model: "m", messages: [user("b [[fail:500x1]]")] }),
    ).rejects.toMatchObject({ status: 500 });
    await expect(
      client.chat.completions.create({ model: "m", messages: [user("a [[fail:500x1]]")] }),
    ).resolves.toBeTruthy();
  });

  it("raises when the connection drops mid-stream", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [system, user("long one [[words:30]] [[drop]]")],
      stream: true,
    });
    let received = "";
    const read = async () => {
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? "";
    };
    const error: unknown = await read().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(received.length).toBeGreaterThan(0);
    expect(received.split(" ").length).toBeLessThan(30);
    expect(classifyError(error)).toBe("connection");
  });

  it("never answers a hanging request, so the client times out", async () => {
    const hanging = new OpenAI({
      apiKey: "sk-test",
      baseURL: fake.url,
      maxRetries: 0,
      timeout: 300,
    });
    const error: unknown = await hanging.chat.completions
      .create({ model: "gpt-4o-mini", messages: [user("wait [[hang]]")] })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(classifyError(error)).toBe("timeout");
  });

  it("puts a moderation-flagged token in the reply when asked", async () => {
    const { text } = await streamText("be bad [[flag-output]]");
    expect(text).toContain(FLAGGED_OUTPUT_TOKEN);
    const moderation = await client.moderations.create({
      model: "omni-moderation-latest",
      input: text,
    });
    expect(moderation.results[0]?.flagged).toBe(true);
  });

  it("rejects requests without an API key", async () => {
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [user("hi")] }),
    });
    expect(response.status).toBe(401);
  });
});

describe("fake OpenAI: moderation, audio and models", () => {
  it("flags input carrying the flag marker and passes the rest", async () => {
    const moderation = await client.moderations.create({
      model: "omni-moderation-latest",
      input: ["something nasty [[flag]]", "a kind word"],
    });
    expect(moderation.results.map((result) => result.flagged)).toEqual([true, false]);
    expect(moderation.results[0]?.categories.violence).toBe(true);
    expect(moderation.results[1]?.categories.violence).toBe(false);
    expect(moderation.results[0]?.category_scores.violence).toBeGreaterThan(0.5);
  });

  it("moderates a message with an image as one input", async () => {
    const moderation = await client.moderations.create({
      model: "omni-moderation-latest",
      input: [
        { type: "text", text: "look [[flag]]" },
        { type: "image_url", image_url: { url: "https://img/a.png" } },
      ],
    });
    expect(moderation.results).toHaveLength(1);
    expect(moderation.results[0]?.flagged).toBe(true);
    expect(moderation.results[0]?.category_applied_input_types.violence).toEqual(["text", "image"]);
  });

  it("speaks text as MP3 bytes that the transcription endpoint reads back", async () => {
    const speech = await client.audio.speech.create({
      model: "gpt-4o-mini-tts",
      voice: "alloy",
      input: "Welcome to the island, Sam.",
    });
    expect(speech.headers.get("content-type")).toBe("audio/mpeg");
    const bytes = Buffer.from(await speech.arrayBuffer());
    expect(bytes.subarray(0, 3).toString("latin1")).toBe("ID3");
    expect(bytes.length).toBeGreaterThan(400);

    const transcript = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(bytes, "voice.mp3", { type: "audio/mpeg" }),
    });
    expect(transcript.text).toBe("Welcome to the island, Sam.");
  });

  it("transcribes an uploaded text file to its content, and other audio to a fixed text", async () => {
    const fromText = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(Buffer.from("is the ferry late?"), "note.mp3"),
    });
    expect(fromText.text).toBe("is the ferry late?");
    const fromNoise = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0]), "noise.mp3"),
    });
    expect(fromNoise.text).toBe("This is a fake transcription.");
  });

  it("lists models", async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toContain("gpt-4o-mini");
  });
});

describe("fake OpenAI: control API", () => {
  it("records requests, filters them by body text and forgets them on reset", async () => {
    const control = fakeOpenAIControl(fake.origin);
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [system, user("first marker-aaa")],
    });
    await client.moderations.create({ input: "second marker-bbb" });

    const all = await control.requests();
    expect(all.map((request) => request.path)).toEqual(["/v1/chat/completions", "/v1/moderations"]);
    const matching = await control.requests("marker-bbb");
    expect(matching).toHaveLength(1);
    expect(matching[0]?.body).toMatchObject({ input: "second marker-bbb" });

    await control.reset();
    expect(await control.requests()).toEqual([]);
  });

  it("records multipart uploads as fields and file sizes", async () => {
    await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(Buffer.from("hello"), "hello.mp3"),
    });
    const [request] = await fakeOpenAIControl(fake.url).requests("whisper-1");
    expect(request?.body).toMatchObject({
      fields: { model: "whisper-1" },
      files: [{ name: "file", filename: "hello.mp3", size: 5 }],
    });
  });
});
