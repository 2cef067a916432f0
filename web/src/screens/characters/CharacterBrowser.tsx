// The published characters, most popular first, filtered by a tag or a personality trait.
// Live: a character an admin publishes appears without a reload.
import { useMemo, useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import {
  TRAIT_DOMAINS,
  watchCharacters,
  watchConversations,
  type CharacterDoc,
  type CharacterFilter,
  type ConversationDoc,
  type Trait,
} from "@aichat/client";
import { useClient } from "../../app/client";
import { useLive, useTitle } from "../../app/hooks";
import { CharacterAvatar } from "../../app/media";
import { useSession } from "../../app/session";
import { Notice, Spinner } from "../../ui/Notice";
import { PremiumBadge, Stars, traitLabel } from "./bits";

const TAGS_SHOWN = 8;
const ALL_TRAITS: readonly Trait[] = Object.values(TRAIT_DOMAINS).flat();

function filterFrom(params: URLSearchParams): CharacterFilter {
  const tag = params.get("tag");
  const trait = params.get("trait");
  if (tag) return { by: "tag", tag };
  if (trait && (ALL_TRAITS as string[]).includes(trait))
    return { by: "trait", trait: trait as Trait };
  return { by: "popular" };
}

export function CharacterBrowser(): ReactNode {
  useTitle("Characters");
  const client = useClient();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const filter = filterFrom(params);
  const filterKey = JSON.stringify(filter);
  const characters = useLive<CharacterDoc[]>(
    (onData, onError) => watchCharacters(client, filter, onData, { onError }),
    [client, filterKey],
  );
  // Every published character, for the tag chips (the popular listing has them all).
  const everyone = useLive<CharacterDoc[]>(
    (onData, onError) => watchCharacters(client, { by: "popular" }, onData, { onError }),
    [client],
  );
  const conversations = useLive<ConversationDoc[]>(
    (onData, onError) => watchConversations(client, onData, onError),
    [client],
  );
  // The most used tags first; the rest behind "More tags".
  const tags = useMemo(() => {
    const counts = new Map<string, number>();
    for (const tag of (everyone.data ?? []).flatMap((character) => character.tags))
      counts.set(tag, (counts.get(tag) ?? 0) + 1);
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([tag]) => tag);
  }, [everyone.data]);
  const [allTags, setAllTags] = useState(false);
  const shownTags = allTags
    ? tags
    : tags.filter(
        (tag, index) => index < TAGS_SHOWN || (filter.by === "tag" && filter.tag === tag),
      );
  const traitsInUse = useMemo(() => {
    const used = new Set(
      (everyone.data ?? []).flatMap((character) => character.personality.traits),
    );
    return ALL_TRAITS.filter((trait) => used.has(trait));
  }, [everyone.data]);
  const unreadBy = new Map(
    (conversations.data ?? []).map((conversation) => [conversation.characterId, conversation]),
  );
  const namesById = new Map((everyone.data ?? []).map((character) => [character.id, character]));
  const choose = (key: "tag" | "trait" | null, value?: string) => {
    const next = new URLSearchParams();
    if (key && value) next.set(key, value);
    setParams(next);
  };

  return (
    <div className="stack">
      <div className="row spread">
        <h1>Characters</h1>
        {!session.premium ? (
          <Link className="button premium" to="/premium">
            Go premium
          </Link>
        ) : null}
      </div>

      {conversations.data && conversations.data.length > 0 ? (
        <section aria-labelledby="recent-heading" className="stack">
          <h2 id="recent-heading">Your conversations</h2>
          <ul className="row" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {conversations.data.slice(0, 6).map((conversation) => {
              const character = namesById.get(conversation.characterId);
              return (
                <li key={conversation.id}>
                  <Link className="chip" to={`/chat/${conversation.characterId}`}>
                    {character?.name ?? conversation.characterId}
                    {conversation.unread > 0 ? (
                      <span className="badge premium" aria-label={`${conversation.unread} unread`}>
                        {conversation.unread}
                      </span>
                    ) : null}
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      <section className="filters" aria-label="Filters">
        <div className="chips" role="group" aria-label="Sort and filter by tag">
          <button
            type="button"
            className="chip"
            aria-pressed={filter.by === "popular"}
            onClick={() => choose(null)}
          >
            Popular
          </button>
          {shownTags.map((tag) => (
            <button
              key={tag}
              type="button"
              className="chip"
              aria-pressed={filter.by === "tag" && filter.tag === tag}
              onClick={() => choose("tag", tag)}
            >
              #{tag}
            </button>
          ))}
          {tags.length > TAGS_SHOWN ? (
            <button
              type="button"
              className="ghost"
              aria-expanded={allTags}
              onClick={() => setAllTags((value) => !value)}
            >
              {allTags ? "Fewer tags" : `More tags (${tags.length - TAGS_SHOWN})`}
            </button>
          ) : null}
        </div>
        <div className="row">
          <label htmlFor="trait-filter">Personality trait</label>
          <select
            id="trait-filter"
            style={{ width: "auto" }}
            value={filter.by === "trait" ? filter.trait : ""}
            onChange={(event) =>
              event.target.value ? choose("trait", event.target.value) : choose(null)
            }
          >
            <option value="">Any trait</option>
            {traitsInUse.map((trait) => (
              <option key={trait} value={trait}>
                {traitLabel(trait)}
              </option>
            ))}
          </select>
        </div>
      </section>

      {characters.error ? <Notice tone="error">{characters.error.message}</Notice> : null}
      {characters.data === undefined && !characters.error ? (
        <Spinner label="Loading characters" />
      ) : null}
      {characters.data && characters.data.length === 0 ? (
        <p className="empty">No characters match this filter.</p>
      ) : null}
      {characters.data && characters.data.length > 0 ? (
        <ul className="character-grid" aria-label="Characters">
          {characters.data.map((character) => (
            <li key={character.id}>
              <Link
                className="card character-card"
                to={`/characters/${character.id}`}
                aria-label={`${character.name}${character.premiumOnly ? " (premium)" : ""}`}
              >
                <div className="head">
                  <CharacterAvatar character={character} size={56} />
                  <div>
                    <h3>{character.name}</h3>
                    <Stars
                      value={character.stats.ratingAverage}
                      count={character.stats.ratingCount}
                    />
                  </div>
                </div>
                <p className="tagline">{character.tagline}</p>
                <div className="row small">
                  {character.premiumOnly ? <PremiumBadge /> : null}
                  {unreadBy.get(character.id)?.unread ? (
                    <span className="badge">new replies</span>
                  ) : null}
                  {character.tags.slice(0, 3).map((tag) => (
                    <span key={tag} className="badge">
                      #{tag}
                    </span>
                  ))}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
