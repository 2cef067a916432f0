// One message in the conversation: the user's (with its read state), the greeting, or a
// reply that grows while it is generated, with its controls (stop, regenerate, swipe between
// alternatives, retry) and its friendly failure states.
import { useState, type ReactNode } from "react";
import { Link } from "react-router";
import {
  isFinal,
  regenerateReply,
  replyError,
  selectReplyVersion,
  stopReply,
  type ConversationRef,
  type Message,
  type Reply,
} from "@aichat/client";
import { useClient } from "../../app/client";
import { useAction, useNow } from "../../app/hooks";
import { CharacterAvatar } from "../../app/media";
import { Markdown } from "../../ui/Markdown";
import { formatMoney, formatTime } from "../../ui/format";
import { nextAlternatives, sameAlternatives, versionIndexFor, type Alternatives } from "./versions";

type CharacterLike = {
  id: string;
  name: string;
  avatar: { path: string; variants: Record<string, string> } | null;
};

export function TypingIndicator({ label }: { label: string }): ReactNode {
  return (
    <span className="typing" role="status" aria-label={label}>
      <span />
      <span />
      <span />
    </span>
  );
}

function timeOf(message: Message): string {
  const created = message.createdAt;
  return created ? formatTime(created.toDate()) : "";
}

export function UserMessage({
  message,
  answered,
  highlighted,
}: {
  message: Extract<Message, { role: "user" }>;
  answered: boolean;
  highlighted: boolean;
}): ReactNode {
  return (
    <li
      className={`message user${highlighted ? " highlight" : ""}`}
      id={`message-${message.id}`}
      data-testid="user-message"
    >
      <div>
        <div className="bubble">
          <Markdown text={message.text} />
        </div>
        <div className="message-meta" style={{ justifyContent: "flex-end" }}>
          <span>{timeOf(message)}</span>
          <span aria-label={answered ? "Read" : "Sent"}>{answered ? "✓✓ Read" : "✓ Sent"}</span>
        </div>
      </div>
    </li>
  );
}

export function AssistantMessage({
  reply,
  character,
  conversation,
  latest,
  highlighted,
  onSendAgain,
}: {
  reply: Reply;
  character: CharacterLike;
  conversation: ConversationRef;
  latest: boolean;
  highlighted: boolean;
  onSendAgain: (() => void) | null;
}): ReactNode {
  const client = useClient();
  const target = reply.replyTo
    ? { conversationId: conversation.conversationId, messageId: reply.replyTo }
    : null;
  const terminal = isFinal(reply.status);
  const error = terminal ? replyError(reply) : null;
  const stop = useAction(async () => {
    if (target) await stopReply(client, target);
  });
  const regenerate = useAction(async () => {
    if (target) await regenerateReply(client, target);
  });
  const select = useAction(async (index: number) => {
    if (target) await selectReplyVersion(client, target, index);
  });
  // Kept in state and updated during render when the reply changes (React's pattern for
  // state derived from props), so the order survives the server's swaps.
  const [kept, setKept] = useState<Alternatives | null>(null);
  const alternatives = nextAlternatives(kept, reply.versions, reply.text);
  if (!sameAlternatives(kept, alternatives)) setKept(alternatives);
  const swipe = (step: number) => {
    const target = alternatives.position + step;
    if (target < 0 || target >= alternatives.order.length) return;
    const index = versionIndexFor(alternatives, reply.versions, reply.text, target);
    if (index === null) setKept({ ...alternatives, position: target });
    else
      void select
        .run(index)
        .then(() => setKept((current) => (current ? { ...current, position: target } : current)));
  };
  const actionError = stop.error ?? regenerate.error ?? select.error;
  const generating = reply.status === "generating";

  return (
    <li
      className={`message assistant${highlighted ? " highlight" : ""}`}
      id={`message-${reply.id}`}
      data-testid="reply"
      data-status={reply.status}
      aria-busy={!terminal}
    >
      <CharacterAvatar character={character} size={36} />
      <div>
        <div className={`bubble${error && reply.status !== "stopped" ? " reply-error" : ""}`}>
          {reply.text ? (
            <div data-testid="reply-text">
              <Markdown text={reply.text} />
            </div>
          ) : null}
          {generating ? <TypingIndicator label={`${character.name} is typing`} /> : null}
          {reply.status === "queued" ? (
            <QueuedNotice
              name={character.name}
              estimatedWaitMs={reply.queue?.estimatedWaitMs ?? null}
            />
          ) : null}
          {error && reply.status !== "stopped" ? (
            <ReplyProblem
              reply={reply}
              message={error.message}
              retryAt={error.retryAt}
              canRegenerate={latest && target !== null}
              regenerating={regenerate.busy}
              onRegenerate={() => void regenerate.run()}
              onSendAgain={onSendAgain}
            />
          ) : null}
        </div>
        <div className="message-meta">
          <span>{timeOf(reply)}</span>
          {reply.status === "stopped" ? <span>stopped</span> : null}
          {(generating || reply.status === "queued") && target ? (
            <button
              type="button"
              className="ghost"
              onClick={() => void stop.run()}
              disabled={stop.busy}
            >
              ■ Stop
            </button>
          ) : null}
          {alternatives.order.length > 1 && terminal ? (
            <span className="row" style={{ gap: "0.1rem" }} role="group" aria-label="Alternatives">
              <button
                type="button"
                className="ghost"
                aria-label="Previous alternative"
                disabled={alternatives.position <= 0 || select.busy}
                onClick={() => swipe(-1)}
              >
                ‹
              </button>
              <span data-testid="alternative-position">
                {alternatives.position + 1} / {alternatives.order.length}
              </span>
              <button
                type="button"
                className="ghost"
                aria-label="Next alternative"
                disabled={alternatives.position >= alternatives.order.length - 1 || select.busy}
                onClick={() => swipe(1)}
              >
                ›
              </button>
            </span>
          ) : null}
          {latest && terminal && target && !error && reply.status !== "limit_reached" ? (
            <button
              type="button"
              className="ghost"
              onClick={() => void regenerate.run()}
              disabled={regenerate.busy}
            >
              ↻ Regenerate
            </button>
          ) : null}
          {actionError ? (
            <span role="alert" className="small" style={{ color: "var(--danger)" }}>
              {actionError.message}
            </span>
          ) : null}
        </div>
      </div>
    </li>
  );
}

function ReplyProblem({
  reply,
  message,
  retryAt,
  canRegenerate,
  regenerating,
  onRegenerate,
  onSendAgain,
}: {
  reply: Reply;
  message: string;
  retryAt: Date | undefined;
  canRegenerate: boolean;
  regenerating: boolean;
  onRegenerate: () => void;
  onSendAgain: (() => void) | null;
}): ReactNode {
  const now = useNow(1000);
  if (reply.status === "limit_reached") {
    const upgrade = reply.error?.upgrade;
    return (
      <div className="stack" style={{ gap: "0.5rem" }} data-testid="limit-reached">
        <p>{message}</p>
        <Link className="button premium" to="/premium">
          {upgrade
            ? `Go premium: ${formatMoney(upgrade.priceCents, upgrade.currency)} for ${upgrade.days} days`
            : "Go premium"}
        </Link>
      </div>
    );
  }
  if (reply.status === "rate_limited") {
    const wait = retryAt ? Math.max(0, Math.ceil((retryAt.getTime() - now) / 1000)) : 0;
    return (
      <div className="stack" style={{ gap: "0.5rem" }}>
        <p>{message}</p>
        {onSendAgain ? (
          <button type="button" className="secondary" disabled={wait > 0} onClick={onSendAgain}>
            {wait > 0 ? `Send again in ${wait} s` : "Send again"}
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div className="stack" style={{ gap: "0.5rem" }}>
      <p>{message}</p>
      {canRegenerate && (reply.status === "failed" || reply.status === "blocked") ? (
        <button type="button" className="secondary" disabled={regenerating} onClick={onRegenerate}>
          {regenerating ? "Trying again…" : "Try again"}
        </button>
      ) : null}
    </div>
  );
}

/**
 * A free user's reply waiting its turn (premium replies skip the line): says so in words, with
 * the queue's recent wait when the server knows it, so it never looks like typing.
 */
function QueuedNotice({
  name,
  estimatedWaitMs,
}: {
  name: string;
  estimatedWaitMs: number | null;
}): ReactNode {
  return (
    <div className="queued" role="status" data-testid="queued">
      <svg className="queued-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2" />
        <path
          d="M12 7v5l3 2"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
        />
      </svg>
      <span>
        <span className="queued-label">{queuedLabel(name, estimatedWaitMs)}</span>
        <span className="queued-hint">
          Free replies wait their turn; <Link to="/premium">premium</Link> replies don't.
        </span>
      </span>
    </div>
  );
}

function queuedLabel(name: string, estimatedWaitMs: number | null): string {
  if (estimatedWaitMs === null || estimatedWaitMs < 1000) return `${name} will answer soon`;
  const seconds = Math.round(estimatedWaitMs / 1000);
  if (seconds < 90) return `${name} will answer in about ${seconds} s`;
  return `${name} will answer in about ${Math.round(seconds / 60)} min`;
}
