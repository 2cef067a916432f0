// Images from Cloud Storage where it runs, generated placeholders where it does not: the
// backend's mediaStatus says whether Storage works here (the local stack on an offline
// machine runs without it), and an image that fails to load falls back to its placeholder.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { getSignedUrl, mediaStatus } from "@aichat/client";
import { useClient } from "./client";
import { AvatarArt, SceneArt } from "../ui/Placeholder";

export interface MediaState {
  /** Undefined until the backend has answered. */
  storage: { enabled: boolean; reason?: string | undefined } | undefined;
}

const MediaContext = createContext<MediaState>({ storage: undefined });

export function MediaProvider({ children }: { children: ReactNode }): ReactNode {
  const client = useClient();
  const [storage, setStorage] = useState<MediaState["storage"]>(undefined);
  useEffect(() => {
    let active = true;
    mediaStatus(client).then(
      (status) => {
        if (active) setStorage(status.storage);
      },
      () => {
        if (active) setStorage({ enabled: false, reason: "the media status could not be read" });
      },
    );
    return () => {
      active = false;
    };
  }, [client]);
  return <MediaContext value={{ storage }}>{children}</MediaContext>;
}

export function useMedia(): MediaState {
  return useContext(MediaContext);
}

/** A signed URL for a Storage path, or null (no Storage here, no path, or not allowed). */
function useSignedUrl(path: string | null | undefined): string | null {
  const client = useClient();
  const { storage } = useMedia();
  const [signed, setSigned] = useState<{ path: string; url: string } | null>(null);
  const enabled = storage?.enabled === true;
  useEffect(() => {
    if (!enabled || !path) return undefined;
    let active = true;
    getSignedUrl(client, path).then(
      (result) => {
        if (active) setSigned({ path, url: result.url });
      },
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [client, enabled, path]);
  return enabled && path && signed?.path === path ? signed.url : null;
}

/** The smallest variant at least as large as wanted, else the original. */
function pick(
  media: { path: string; variants: Record<string, string> } | null | undefined,
  preferred: readonly string[],
): string | null {
  if (!media) return null;
  for (const name of preferred) {
    const variant = media.variants[name];
    if (variant) return variant;
  }
  return media.path;
}

export function CharacterAvatar({
  character,
  size,
}: {
  character: {
    id: string;
    name: string;
    avatar: { path: string; variants: Record<string, string> } | null;
  };
  size: number;
}): ReactNode {
  const url = useSignedUrl(
    pick(character.avatar, size <= 150 ? ["thumbnail", "small"] : ["small", "medium"]),
  );
  const [failed, setFailed] = useState(false);
  return (
    <span className="avatar" style={{ width: size, height: size, overflow: "hidden" }}>
      {url && !failed ? (
        <img
          src={url}
          alt=""
          width={size}
          height={size}
          className="avatar"
          onError={() => setFailed(true)}
        />
      ) : (
        <AvatarArt seed={character.id} name={character.name} />
      )}
    </span>
  );
}

export function GalleryArt({
  item,
  seed,
  alt,
}: {
  item: { storagePath: string; variants: Record<string, string> } | null;
  seed: string;
  alt: string;
}): ReactNode {
  const url = useSignedUrl(
    item ? pick({ path: item.storagePath, variants: item.variants }, ["medium", "small"]) : null,
  );
  const [failed, setFailed] = useState(false);
  if (url && !failed) {
    return <img className="art" src={url} alt={alt} onError={() => setFailed(true)} />;
  }
  return (
    <span {...(alt ? { role: "img", "aria-label": alt } : { "aria-hidden": true })} className="art">
      <SceneArt seed={seed} />
    </span>
  );
}
