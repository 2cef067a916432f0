// Writing a message: Enter sends, Shift+Enter starts a new line; Stop while a reply is being
// written.
import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { stopReply, type ConversationRef, type Reply } from "@aichat/client";
import { useClient } from "../../app/client";
import { useAction } from "../../app/hooks";

const MAX_LENGTH = 5000;

export function Composer({
  characterName,
  disabled,
  sending,
  onSend,
  stoppable,
  conversation,
}: {
  characterName: string;
  disabled: boolean;
  sending: boolean;
  onSend: (text: string) => Promise<void>;
  stoppable: Reply | null;
  conversation: ConversationRef;
}): ReactNode {
  const client = useClient();
  const [text, setText] = useState("");
  const inputId = useId();
  const stop = useAction(async () => {
    if (stoppable?.replyTo)
      await stopReply(client, {
        conversationId: conversation.conversationId,
        messageId: stoppable.replyTo,
      });
  });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || disabled || sending) return;
    setText("");
    void onSend(message);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer" onSubmit={submit} aria-label="Send a message">
      <label htmlFor={inputId} className="visually-hidden">
        Message {characterName}
      </label>
      <textarea
        id={inputId}
        rows={1}
        maxLength={MAX_LENGTH}
        placeholder={disabled ? "Upgrade to keep chatting" : `Message ${characterName}…`}
        disabled={disabled}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {stoppable ? (
        <button
          type="button"
          className="secondary"
          onClick={() => void stop.run()}
          disabled={stop.busy}
        >
          Stop
        </button>
      ) : null}
      <button type="submit" disabled={disabled || sending || text.trim() === ""}>
        Send
      </button>
    </form>
  );
}
