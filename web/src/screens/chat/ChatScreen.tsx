// The conversation with one character: the greeting and the messages, live (a reply's text
// grows as it is written), the free messages left, search, and the composer.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import {
  conversationWith,
  isFinal,
  markRead,
  openConversation,
  reportViewing,
  sendMessage,
  watchCharacter,
  watchConversation,
  watchMessages,
  watchUsage,
  type CharacterDoc,
  type CharacterUsage,
  type ConversationDoc,
  type Message,
  type Reply,
} from "@aichat/client";
import { useClient } from "../../app/client";
import { useAction, useLive, useTitle } from "../../app/hooks";
import { CharacterAvatar } from "../../app/media";
import { useSession } from "../../app/session";
import { Notice, Spinner } from "../../ui/Notice";
import { AssistantMessage, UserMessage } from "./MessageItem";
import { Composer } from "./Composer";
import { SearchPanel } from "./SearchPanel";

type UserMessageDoc = Extract<Message, { role: "user" }>;

function isReply(message: Message): message is Reply {
  return message.role === "assistant";
}

export function ChatScreen(): ReactNode {
  const { characterId = "" } = useParams();
  const client = useClient();
  const session = useSession();
  const conversation = useMemo(() => conversationWith(client, characterId), [client, characterId]);
  const character = useLive<CharacterDoc | null>(
    (onData, onError) => watchCharacter(client, characterId, onData, onError),
    [client, characterId],
  );
  useTitle(character.data ? `Chat with ${character.data.name}` : "Chat");

  // Shows the greeting before the first message (the server creates the conversation with it).
  const [opening, setOpening] = useState<{ error: string | null; attempt: number }>({
    error: null,
    attempt: 0,
  });
  useEffect(() => {
    let active = true;
    openConversation(client, characterId).then(
      () => {
        if (active) setOpening((state) => ({ ...state, error: null }));
      },
      (error: unknown) => {
        if (active)
          setOpening((state) => ({
            ...state,
            error: error instanceof Error ? error.message : String(error),
          }));
      },
    );
    return () => {
      active = false;
    };
  }, [client, characterId, opening.attempt]);

  const messages = useLive<Message[]>(
    (onData, onError) => watchMessages(client, conversation, onData, { onError }),
    [client, conversation],
  );
  const conversationDoc = useLive<ConversationDoc | null>(
    (onData, onError) => watchConversation(client, conversation, onData, onError),
    [client, conversation],
  );
  const usage = useLive<CharacterUsage>(
    (onData, onError) => watchUsage(client, characterId, onData, onError),
    [client, characterId],
  );

  // On screen: a reply that finishes while the person is elsewhere becomes a notification,
  // one they watch here does not. Reported once the conversation exists (the server creates
  // it with the greeting), stopped when the screen closes.
  const exists = conversationDoc.data != null;
  useEffect(() => {
    if (!exists) return undefined;
    const viewing = reportViewing(client, conversation);
    return () => viewing.stop();
  }, [client, conversation, exists]);

  // Read state: replies seen while the page is visible are marked read.
  const unread = conversationDoc.data?.unread ?? 0;
  useEffect(() => {
    if (unread === 0) return undefined;
    const mark = () => {
      if (document.visibilityState === "visible")
        markRead(client, conversation).catch(() => undefined);
    };
    mark();
    document.addEventListener("visibilitychange", mark);
    return () => document.removeEventListener("visibilitychange", mark);
  }, [client, conversation, unread]);

  const all = messages.data ?? [];
  const repliesByMessage = new Map<string, Reply>();
  for (const message of all)
    if (isReply(message) && message.replyTo) repliesByMessage.set(message.replyTo, message);
  const latestReply = [...all]
    .reverse()
    .find((message) => isReply(message) && message.replyTo !== null);
  const inFlight = all.filter(
    (message): message is Reply => isReply(message) && !isFinal(message.status),
  );

  const send = useAction(async (text: string) => {
    await sendMessage(client, conversation, { type: "text", text });
  });
  const [highlight, setHighlight] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);

  // Keeps the newest message in view while the user is at the bottom.
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const lastText = latestReply && isReply(latestReply) ? latestReply.text.length : 0;
  useEffect(() => {
    const element = list.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [all.length, lastText]);

  const jumpTo = useCallback((messageId: string) => {
    setHighlight(messageId);
    document
      .getElementById(`message-${messageId}`)
      ?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, []);

  if (character.data === undefined && !character.error) return <Spinner />;
  if (!character.data)
    return <p className="empty">This character does not exist or is not published.</p>;
  const data = character.data;
  const remaining = usage.data?.remaining.text;
  const limitHit = remaining === 0;
  const premiumLocked = data.premiumOnly && !session.premium && !session.isAdmin;

  return (
    <section className="chat" aria-labelledby="chat-title">
      <header className="chat-header">
        <Link to={`/characters/${data.id}`} aria-label={`About ${data.name}`}>
          <CharacterAvatar character={data} size={40} />
        </Link>
        <div className="title">
          <h1 id="chat-title">{data.name}</h1>
          <span className="small muted">{data.tagline}</span>
        </div>
        <UsagePill usage={usage.data} />
        <button
          type="button"
          className="secondary"
          aria-expanded={searching}
          aria-controls="chat-search"
          aria-label="Search messages"
          onClick={() => setSearching((value) => !value)}
        >
          <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle
              cx="10.5"
              cy="10.5"
              r="6.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.5"
            />
            <path
              d="M15.5 15.5 21 21"
              stroke="currentColor"
              strokeWidth="2.5"
              strokeLinecap="round"
            />
          </svg>
          <span className="search-label">Search</span>
        </button>
      </header>
      <div className="chat-body">
        {searching ? (
          <SearchPanel
            conversation={conversation}
            onPick={jumpTo}
            onClose={() => setSearching(false)}
          />
        ) : null}
        {opening.error && messages.data?.length === 0 ? (
          <Notice tone="error">
            The conversation could not be opened: {opening.error}{" "}
            <button
              type="button"
              className="ghost"
              onClick={() => setOpening((state) => ({ error: null, attempt: state.attempt + 1 }))}
            >
              Try again
            </button>
          </Notice>
        ) : null}
        {messages.error ? (
          <Notice tone="error">
            The conversation could not be loaded: {messages.error.message}
          </Notice>
        ) : null}
        <ol
          className="messages"
          ref={list}
          aria-label={`Conversation with ${data.name}`}
          aria-live="polite"
          aria-relevant="additions"
          onScroll={(event) => {
            const element = event.currentTarget;
            atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
          }}
        >
          {messages.data === undefined && !messages.error ? (
            <Spinner label="Loading messages" />
          ) : null}
          {all.map((message) =>
            isReply(message) ? (
              <AssistantMessage
                key={message.id}
                reply={message}
                character={data}
                conversation={conversation}
                latest={message === latestReply}
                highlighted={highlight === message.id}
                onSendAgain={
                  message.replyTo
                    ? resendOf(all, message.replyTo, (text) => void send.run(text))
                    : null
                }
              />
            ) : (
              <UserMessage
                key={message.id}
                message={message}
                answered={isAnswered(repliesByMessage.get(message.id))}
                highlighted={highlight === message.id}
              />
            ),
          )}
        </ol>
      </div>
      <div>
        {limitHit || premiumLocked ? (
          <div className="notice premium limit-banner" role="status" data-testid="limit-banner">
            <div className="row spread">
              <span>
                {premiumLocked
                  ? `${data.name} is a premium character.`
                  : `You have used all your free messages with ${data.name}.`}{" "}
                Premium is unlimited.
              </span>
              <Link className="button premium" to="/premium">
                Upgrade to premium
              </Link>
            </div>
          </div>
        ) : null}
        {send.error ? (
          <div className="limit-banner">
            <Notice tone="error">
              Your message was not sent: {send.error.message}{" "}
              <button type="button" className="ghost" onClick={send.clearError}>
                Dismiss
              </button>
            </Notice>
          </div>
        ) : null}
        <Composer
          characterName={data.nickname || data.name}
          disabled={limitHit || premiumLocked}
          sending={send.busy}
          onSend={(text) => send.run(text).then(() => undefined)}
          stoppable={inFlight.find((reply) => reply.replyTo !== null) ?? null}
          conversation={conversation}
        />
      </div>
    </section>
  );
}

function isAnswered(reply: Reply | undefined): boolean {
  return reply !== undefined && reply.status !== "queued";
}

/** For a reply refused by the rate limit: sends the user's message again. */
function resendOf(
  all: readonly Message[],
  messageId: string,
  send: (text: string) => void,
): (() => void) | null {
  const original = all.find(
    (message): message is UserMessageDoc => message.role === "user" && message.id === messageId,
  );
  return original && original.type === "text" ? () => send(original.text) : null;
}

function UsagePill({ usage }: { usage: CharacterUsage | undefined }): ReactNode {
  if (!usage) return null;
  if (usage.remaining.text === null)
    return (
      <span className="usage-pill" data-testid="usage">
        Premium: unlimited
      </span>
    );
  const left = usage.remaining.text;
  return (
    <span className={`usage-pill${left <= 5 ? " low" : ""}`} data-testid="usage">
      {left} free {left === 1 ? "message" : "messages"} left
    </span>
  );
}
