// The live reply pipeline: replies in flight per status, failures in the last hour and the
// reply generating longest, refreshed every few seconds.
import { useEffect, type ReactNode } from "react";
import { call, type ReplyPipelineStatusOutput } from "@aichat/client";
import { useClient } from "../../app/client";
import { useLoad } from "../../app/hooks";
import { formatDuration, formatTime } from "../../ui/format";
import { Notice, Spinner } from "../../ui/Notice";

const REFRESH_MS = 5000;

export function AdminPipeline(): ReactNode {
  const client = useClient();
  const status = useLoad<ReplyPipelineStatusOutput>(
    () => call(client, "replyPipelineStatus", {}),
    [client],
  );
  const reload = status.reload;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const data = status.data;
  return (
    <div className="stack">
      <h1>Reply pipeline</h1>
      {status.error ? <Notice tone="error">{status.error.message}</Notice> : null}
      {!data && !status.error ? <Spinner /> : null}
      {data ? (
        <>
          <div className="stat-tiles" aria-live="polite">
            {Object.entries(data.inFlight).map(([name, count]) => (
              <div className="card stat-tile" key={name}>
                <div className="small muted">
                  {name === "generating" ? "Generating now" : `In status ${name}`}
                </div>
                <div className="value" data-testid={`pipeline-${name}`}>
                  {count}
                </div>
              </div>
            ))}
            <div className="card stat-tile">
              <div className="small muted">
                Failed in the last {formatDuration(data.failedWindowMs)}
              </div>
              <div className="value" data-testid="pipeline-failed">
                {data.failedRecently}
              </div>
            </div>
            <div className="card stat-tile">
              <div className="small muted">Oldest still generating</div>
              <div className="value" data-testid="pipeline-oldest">
                {data.oldestGenerating ? formatDuration(data.oldestGenerating.ageMs) : "none"}
              </div>
              {data.oldestGenerating ? (
                <div className="small muted">
                  conversation {data.oldestGenerating.conversationId}
                </div>
              ) : null}
            </div>
          </div>
          <p className="small muted">
            Checked at {formatTime(new Date(data.checkedAtMs))}; refreshes every {REFRESH_MS / 1000}{" "}
            s.
          </p>
        </>
      ) : null}
    </div>
  );
}
