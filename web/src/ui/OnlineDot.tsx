// A user's online dot, live (watchUserPresence: one listener per user on screen, as cheap as
// presence gets), with "online" or "last active 5 minutes ago" beside it.
import type { ReactNode } from "react";
import { watchUserPresence, type PresenceState } from "@aichat/client";
import { useClient } from "../app/client";
import { useLive, useNow } from "../app/hooks";
import { formatAgo } from "./format";

export function OnlineStatus({ uid }: { uid: string }): ReactNode {
  const client = useClient();
  const now = useNow(30_000);
  const presence = useLive<PresenceState>(
    (onData, onError) => watchUserPresence(client, uid, onData, onError),
    [client, uid],
  );
  if (!presence.data) return null;
  const { online, lastActiveAt } = presence.data;
  const text = online
    ? "Online"
    : lastActiveAt
      ? `Last active ${formatAgo(lastActiveAt, now)}`
      : "Not seen yet";
  return (
    <span className="presence" data-testid="presence" data-online={online}>
      <span className={online ? "dot online" : "dot"} aria-hidden="true" />
      {text}
    </span>
  );
}
