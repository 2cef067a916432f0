// Searching the conversation (every word of the query, newest first) and jumping to a result.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { searchMessages, type ConversationRef } from "@aichat/client";
import { useClient } from "../../app/client";
import { useAction } from "../../app/hooks";
import { formatDateTime } from "../../ui/format";

type Results = Awaited<ReturnType<typeof searchMessages>>;

export function SearchPanel({
  conversation,
  onPick,
  onClose,
}: {
  conversation: ConversationRef;
  onPick: (messageId: string) => void;
  onClose: () => void;
}): ReactNode {
  const client = useClient();
  const inputId = useId();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<Results | null>(null);
  const search = useAction(async () => {
    setResults(await searchMessages(client, conversation, query));
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (query.trim()) void search.run();
  };
  return (
    <div className="search-panel" id="chat-search">
      <form className="row" role="search" onSubmit={submit}>
        <label htmlFor={inputId} className="visually-hidden">
          Search this conversation
        </label>
        <input
          id={inputId}
          type="search"
          placeholder="Search this conversation"
          value={query}
          autoFocus
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") onClose();
          }}
          style={{ flex: 1, width: "auto" }}
        />
        <button type="submit" disabled={search.busy || !query.trim()}>
          Search
        </button>
      </form>
      {search.error ? <p role="alert">{search.error.message}</p> : null}
      {results ? (
        <ul className="search-results" aria-label="Search results">
          {results.length === 0 ? <li className="muted small">Nothing found.</li> : null}
          {results.map((result) => (
            <li key={result.messageId}>
              <button type="button" className="ghost" onClick={() => onPick(result.messageId)}>
                <span className="small muted">
                  {result.role === "user" ? "You" : "Reply"}
                  {result.createdAt ? ` · ${formatDateTime(new Date(result.createdAt))}` : ""}
                </span>
                &nbsp;{result.text.length > 140 ? `${result.text.slice(0, 140)}…` : result.text}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
