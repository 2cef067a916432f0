// The chat-completion message shapes this backend sends. A deliberately small subset of the
// OpenAI request types, so pure modules need no SDK import; every value here is assignable to
// the SDK's `ChatCompletionMessageParam` (the fake-openai tests pass them to the real SDK).

export interface TextPart {
  type: "text";
  text: string;
}

export interface ImagePart {
  type: "image_url";
  image_url: { url: string; detail: "low" | "high" | "auto" };
}

export type UserContentPart = TextPart | ImagePart;

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | UserContentPart[] }
  | { role: "assistant"; content: string };

export type ChatRole = ChatMessage["role"];

/** The text of a message, whatever its form (image parts contribute nothing). */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .filter((part): part is TextPart => part.type === "text")
    .map((part) => part.text)
    .join("\n");
}
