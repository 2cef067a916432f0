// Announcements: a notification to every active account or to premium members, sent by the
// fan-out job a page of recipients at a time; its delivery is shown live.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import {
  ANNOUNCEMENT_BODY_MAX,
  ANNOUNCEMENT_TITLE_MAX,
  type AnnouncementAudience,
  type FanoutProgress,
  type WithId,
} from "@aichat/client";
import { newAnnouncementId, sendAnnouncement, watchAnnouncement } from "@aichat/client/admin";
import { useClient } from "../../app/client";
import { useAction, useLive, useTitle } from "../../app/hooks";
import { formatCount } from "../../ui/format";
import { Notice } from "../../ui/Notice";

const AUDIENCES: { value: AnnouncementAudience; label: string }[] = [
  { value: "all", label: "Everyone" },
  { value: "premium", label: "Premium members" },
];

interface Sent {
  announcementId: string;
  title: string;
  audience: AnnouncementAudience;
}

export function AdminAnnouncements(): ReactNode {
  useTitle("Announcements");
  const client = useClient();
  const ids = { title: useId(), body: useId() };
  const [audience, setAudience] = useState<AnnouncementAudience>("all");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  // One id per announcement being written: a retry of the same one never sends twice.
  const [announcementId, setAnnouncementId] = useState(newAnnouncementId);
  const [sent, setSent] = useState<Sent[]>([]);

  const send = useAction(async () => {
    const result = await sendAnnouncement(client, {
      announcementId,
      audience,
      title: title.trim(),
      body: body.trim(),
    });
    setSent((previous) => [
      { announcementId: result.announcementId, title: title.trim(), audience },
      ...previous,
    ]);
    setTitle("");
    setBody("");
    setAnnouncementId(newAnnouncementId());
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send.run();
  };
  const ready = title.trim().length > 0 && body.trim().length > 0;

  return (
    <div className="stack">
      <h1>Announcements</h1>
      <div className="two-col">
        <form className="card stack" onSubmit={onSubmit} aria-labelledby="announce-heading">
          <h2 id="announce-heading">New announcement</h2>
          <p className="small muted">
            Appears in the notifications of every active account in the audience (deactivated
            accounts are left out).
          </p>
          <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="label">Audience</legend>
            <div className="row">
              {AUDIENCES.map((option) => (
                <label key={option.value} className="row" style={{ gap: "0.35rem" }}>
                  <input
                    type="radio"
                    name="audience"
                    value={option.value}
                    checked={audience === option.value}
                    onChange={() => setAudience(option.value)}
                  />
                  {option.label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={ids.title}>Title</label>
            <input
              id={ids.title}
              maxLength={ANNOUNCEMENT_TITLE_MAX}
              value={title}
              onChange={(event) => setTitle(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.body}>Message</label>
            <textarea
              id={ids.body}
              rows={5}
              maxLength={ANNOUNCEMENT_BODY_MAX}
              value={body}
              onChange={(event) => setBody(event.target.value)}
            />
            <span className="hint">
              {body.length} / {ANNOUNCEMENT_BODY_MAX}
            </span>
          </div>
          {send.error ? <Notice tone="error">{send.error.message}</Notice> : null}
          <button type="submit" disabled={!ready || send.busy}>
            {send.busy ? "Sending…" : "Send announcement"}
          </button>
        </form>
        <section className="card stack" aria-labelledby="sent-heading">
          <h2 id="sent-heading">Sent from this page</h2>
          {sent.length === 0 ? (
            <p className="empty">Announcements you send appear here with their delivery.</p>
          ) : (
            <ul className="delivery-list" aria-label="Announcement deliveries">
              {sent.map((each) => (
                <Delivery key={each.announcementId} sent={each} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function Delivery({ sent }: { sent: Sent }): ReactNode {
  const client = useClient();
  const progress = useLive<WithId<FanoutProgress> | null>(
    (onData, onError) => watchAnnouncement(client, sent.announcementId, onData, onError),
    [client, sent.announcementId],
  );
  const data = progress.data;
  const audience = AUDIENCES.find((option) => option.value === sent.audience)?.label ?? "";
  return (
    <li className="delivery" data-testid="delivery">
      <strong>{sent.title}</strong>
      <span className="small muted">To {audience.toLowerCase()}</span>
      {progress.error ? <Notice tone="error">{progress.error.message}</Notice> : null}
      <span className="small" role="status" data-testid="delivery-status">
        {!data
          ? "Starting…"
          : data.status === "sent"
            ? `Delivered to ${formatCount(data.recipients)} ${data.recipients === 1 ? "person" : "people"}`
            : `Sending: ${formatCount(data.recipients)} so far (${data.pages} ${data.pages === 1 ? "page" : "pages"})`}
      </span>
    </li>
  );
}
