// A stand-in reply for local development without an OpenAI key. It is labelled so nobody
// mistakes it for the model, stays recognisably in character (name, tone, greeting), echoes
// the user so the round trip is visible, and comes in chunks so streaming can be watched.
import { fillPlaceholders, type CharacterProfile } from "../../contract/characters";

export const OFFLINE_LABEL = "[offline responder]";

export interface OfflineReplyInput {
  profile: CharacterProfile;
  userName: string;
  userText: string;
  /** How many pieces to stream the reply in. */
  chunkCount?: number;
}

export interface OfflineReply {
  text: string;
  /** `text`, split at word boundaries; joined they give `text` back exactly. */
  chunks: string[];
}

type Tone = CharacterProfile["personality"]["tone"];

const OPENERS: Record<Tone, (user: string) => string> = {
  warm: (user) => `Oh, ${user}, it's so good to hear from you.`,
  playful: (user) => `Well, well, ${user}, look who's back!`,
  neutral: (user) => `Hello, ${user}.`,
  serious: (user) => `${user}. Let's talk.`,
  sarcastic: (user) => `Oh great, ${user}, more messages. My favourite.`,
  mysterious: (user) => `Ah, ${user}... I wondered when you would write.`,
  romantic: (user) => `${user}, my heart skips when your message arrives.`,
  dramatic: (user) => `${user}! At last, a word from you!`,
};

const ECHO_WORDS = 12;

function firstSentence(text: string): string {
  const match = /^[\s\S]*?[.!?](\s|$)/.exec(text.trim());
  const sentence = (match ? match[0] : text).trim();
  return sentence.length > 160 ? `${sentence.slice(0, 157).trimEnd()}...` : sentence;
}

function echo(text: string): string {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "");
  if (words.length === 0) return "";
  const head = words.slice(0, ECHO_WORDS).join(" ");
  return words.length > ECHO_WORDS ? `${head}...` : head;
}

export function splitIntoChunks(text: string, chunkCount: number): string[] {
  const pieces = text.match(/\S+\s*/g) ?? [];
  const count = Math.max(1, Math.min(chunkCount, pieces.length));
  const size = Math.ceil(pieces.length / count);
  const chunks: string[] = [];
  for (let start = 0; start < pieces.length; start += size) {
    chunks.push(pieces.slice(start, start + size).join(""));
  }
  return chunks;
}

export function offlineReply(input: OfflineReplyInput): OfflineReply {
  const { profile, userName } = input;
  const names = { char: profile.name, user: userName };
  const greeting = firstSentence(fillPlaceholders(profile.greeting, names));
  const said = echo(input.userText);
  const parts = [
    OFFLINE_LABEL,
    `${profile.name}:`,
    OPENERS[profile.personality.tone](userName),
    greeting,
    said === "" ? "You didn't say anything, but I'm here." : `You said: "${said}"`,
    "(No OpenAI key is configured, so this reply is a local stand-in.)",
  ];
  const text = parts.filter((part) => part !== "").join(" ");
  return { text, chunks: splitIntoChunks(text, input.chunkCount ?? 4) };
}
