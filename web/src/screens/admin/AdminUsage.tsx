// AI usage and cost as charts: per day, per character and per user, over 7 or 30 days.
import { useState, type ReactNode } from "react";
import type { CharacterDoc } from "@aichat/client";
import { aiUsageStats, watchAllCharacters } from "@aichat/client/admin";
import { useClient } from "../../app/client";
import { useLive, useLoad } from "../../app/hooks";
import { BarChart } from "../../ui/BarChart";
import { formatCount, formatUsd } from "../../ui/format";
import { Notice, Spinner } from "../../ui/Notice";

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysBack(count: number): string[] {
  const today = new Date();
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    day.setUTCDate(day.getUTCDate() - (count - 1 - index));
    return isoDay(day);
  });
}

export function AdminUsage(): ReactNode {
  const client = useClient();
  const [span, setSpan] = useState<7 | 30>(7);
  const days = daysBack(span);
  const from = days[0] ?? isoDay(new Date());
  const to = days[days.length - 1] ?? from;
  const report = useLoad(() => aiUsageStats(client, from, to), [client, from, to]);
  const characters = useLive<CharacterDoc[]>(
    (onData, onError) => watchAllCharacters(client, onData, onError),
    [client],
  );
  const names = new Map((characters.data ?? []).map((character) => [character.id, character.name]));
  const data = report.data;

  return (
    <div className="stack">
      <div className="row spread">
        <h1>Usage and cost</h1>
        <div className="row" role="group" aria-label="Period">
          {([7, 30] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="chip"
              aria-pressed={span === value}
              onClick={() => setSpan(value)}
            >
              Last {value} days
            </button>
          ))}
        </div>
      </div>
      {report.loading && !data ? <Spinner /> : null}
      {report.error ? <Notice tone="error">{report.error.message}</Notice> : null}
      {data ? (
        <>
          <div className="stat-tiles">
            <Tile label="Replies" value={formatCount(data.total.replies)} />
            <Tile label="Prompt tokens" value={formatCount(data.total.promptTokens)} />
            <Tile label="Completion tokens" value={formatCount(data.total.completionTokens)} />
            <Tile label="Cost" value={formatUsd(data.total.costUsd)} />
          </div>
          <BarChart
            title="Cost per day"
            format={formatUsd}
            bars={days.map((day) => ({ label: day.slice(5), value: data.days[day]?.costUsd ?? 0 }))}
          />
          <BarChart
            title="Tokens per day (prompt + completion)"
            format={formatCount}
            alt
            bars={days.map((day) => ({
              label: day.slice(5),
              value: (data.days[day]?.promptTokens ?? 0) + (data.days[day]?.completionTokens ?? 0),
            }))}
          />
          <div className="two-col">
            <BarChart
              title="Cost per character (top 20)"
              format={formatUsd}
              bars={data.characters.map((row) => ({
                label: names.get(row.id) ?? row.id,
                value: row.totals.costUsd,
              }))}
            />
            <BarChart
              title="Cost per user (top 20)"
              format={formatUsd}
              alt
              bars={data.users.map((row) => ({
                label: row.id.slice(0, 10),
                value: row.totals.costUsd,
              }))}
            />
          </div>
          <p className="small muted">
            Replies from the offline responder cost nothing; with a provider key set, cost uses the
            model price table.
          </p>
        </>
      ) : null}
    </div>
  );
}

function Tile({ label, value }: { label: string; value: string }): ReactNode {
  return (
    <div className="card stat-tile">
      <div className="small muted">{label}</div>
      <div className="value">{value}</div>
    </div>
  );
}
