// One character: who they are (description, personality, scenario), their gallery (premium
// items locked behind an upgrade prompt for free users) and the user's rating.
import { useEffect, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import {
  characterLastActive,
  fillPlaceholders,
  followCharacter,
  followerCount,
  getMyRating,
  markGalleryItemViewed,
  rateCharacter,
  unfollowCharacter,
  watchCharacter,
  watchGallery,
  watchIsFollowing,
  type CharacterDoc,
  type GalleryItemDoc,
} from "@aichat/client";
import { useClient } from "../../app/client";
import { useAction, useLive, useLoad, useNow, useTitle } from "../../app/hooks";
import { CharacterAvatar, GalleryArt } from "../../app/media";
import { useSession } from "../../app/session";
import { formatAgo, formatCount } from "../../ui/format";
import { Markdown } from "../../ui/Markdown";
import { Notice, Spinner } from "../../ui/Notice";
import { PremiumBadge, Stars, traitLabel } from "./bits";

const MODIFIERS = ["formality", "humor", "empathy", "creativity", "confidence"] as const;

export function CharacterPage(): ReactNode {
  const { id = "" } = useParams();
  const client = useClient();
  const session = useSession();
  const character = useLive<CharacterDoc | null>(
    (onData, onError) => watchCharacter(client, id, onData, onError),
    [client, id],
  );
  useTitle(character.data?.name ?? "Character");

  if (character.error && character.error.code !== "permission_denied")
    return <Notice tone="error">{character.error.message}</Notice>;
  if (character.data === undefined && !character.error) return <Spinner />;
  if (!character.data)
    return <p className="empty">This character does not exist or is not published.</p>;
  const data = character.data;
  const locked = data.premiumOnly && !session.premium && !session.isAdmin;
  // Cards write `{{user}}` for the reader and `{{char}}` for the character; the prompts fill
  // them the same way, with "friend" where this page says "you" to someone without a name.
  const names = { char: data.name, user: session.profile?.displayName || "you" };

  return (
    <article className="stack">
      <section className="card character-hero" aria-labelledby="character-name">
        <CharacterAvatar character={data} size={112} />
        <div className="stack" style={{ flex: 1, gap: "0.5rem" }}>
          <div className="row">
            <h1 id="character-name" style={{ margin: 0 }}>
              {data.name}
            </h1>
            {data.premiumOnly ? <PremiumBadge /> : null}
          </div>
          {data.tagline ? <p className="muted">{data.tagline}</p> : null}
          <Stars value={data.stats.ratingAverage} count={data.stats.ratingCount} />
          <CharacterActivity character={data} />
          <div className="row">
            {locked ? (
              <Link className="button premium" to="/premium">
                Premium character: upgrade to chat
              </Link>
            ) : (
              <Link className="button" to={`/chat/${data.id}`}>
                Chat with {data.nickname || data.name}
              </Link>
            )}
            <FollowButton character={data} />
          </div>
          <RateCharacter characterId={data.id} />
        </div>
      </section>

      <div className="two-col">
        <section className="card stack" aria-labelledby="about-heading">
          <h2 id="about-heading">About</h2>
          <Markdown text={fillPlaceholders(data.description, names) || "No description yet."} />
          {data.scenario ? (
            <>
              <h3>Scenario</h3>
              <Markdown text={fillPlaceholders(data.scenario, names)} />
            </>
          ) : null}
          {data.tags.length ? (
            <ul className="trait-list" aria-label="Tags">
              {data.tags.map((tag) => (
                <li key={tag}>
                  <Link className="badge" to={`/?tag=${encodeURIComponent(tag)}`}>
                    #{tag}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <section className="card stack" aria-labelledby="personality-heading">
          <h2 id="personality-heading">Personality</h2>
          {data.personalitySummary ? <p>{data.personalitySummary}</p> : null}
          <p className="small">
            Tone: <strong>{data.personality.tone}</strong>
          </p>
          {data.personality.traits.length ? (
            <ul className="trait-list" aria-label="Traits">
              {data.personality.traits.map((trait) => (
                <li key={trait}>
                  <Link className="badge" to={`/?trait=${trait}`}>
                    {traitLabel(trait)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="meters">
            {MODIFIERS.map((modifier) => (
              <div className="meter" key={modifier}>
                <label htmlFor={`meter-${modifier}`}>{traitLabel(modifier)}</label>
                <meter id={`meter-${modifier}`} min={0} max={10} value={data.personality[modifier]}>
                  {data.personality[modifier]} of 10
                </meter>
              </div>
            ))}
          </div>
        </section>
      </div>

      <Gallery character={data} />
    </article>
  );
}

/** Followers and when the character last replied to anyone (as of the last stats refresh). */
function CharacterActivity({ character }: { character: CharacterDoc }): ReactNode {
  const now = useNow(60_000);
  const followers = followerCount(character);
  const lastActive = characterLastActive(character);
  return (
    <p className="small muted" style={{ margin: 0 }} data-testid="character-activity">
      <span data-testid="follower-count">
        {formatCount(followers)} {followers === 1 ? "follower" : "followers"}
      </span>
      {lastActive ? <> · last active {formatAgo(lastActive, now)}</> : null}
    </p>
  );
}

/** Follow / Following: followers hear of every new gallery item. */
function FollowButton({ character }: { character: CharacterDoc }): ReactNode {
  const client = useClient();
  const following = useLive<boolean>(
    (onData, onError) => watchIsFollowing(client, character.id, onData, onError),
    [client, character.id],
  );
  const toggle = useAction(async () => {
    if (following.data) await unfollowCharacter(client, character.id);
    else await followCharacter(client, character.id);
  });
  const on = following.data === true;
  return (
    <>
      <button
        type="button"
        className={on ? "secondary following" : "secondary"}
        disabled={following.data === undefined || toggle.busy}
        title={
          on
            ? `You hear of ${character.name}'s new pictures. Click to unfollow.`
            : `Hear of ${character.name}'s new pictures`
        }
        onClick={() => void toggle.run()}
      >
        <span aria-hidden="true">{on ? "✓" : "+"}</span>
        {on ? "Following" : "Follow"}
      </button>
      {toggle.error ? (
        <span role="alert" className="small" style={{ color: "var(--danger)" }}>
          {toggle.error.message}
        </span>
      ) : null}
    </>
  );
}

function RateCharacter({ characterId }: { characterId: string }): ReactNode {
  const client = useClient();
  const mine = useLoad(() => getMyRating(client, characterId), [client, characterId]);
  const [chosen, setChosen] = useState<number | null>(null);
  const stars = chosen ?? mine.data ?? null;
  const rate = useAction(async (value: number) => {
    setChosen(value);
    await rateCharacter(client, characterId, value);
  });
  return (
    <div className="row">
      <div className="rating" role="radiogroup" aria-label="Your rating">
        {[1, 2, 3, 4, 5].map((value) => (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={stars !== null && value <= stars}
            aria-label={`${value} ${value === 1 ? "star" : "stars"}`}
            onClick={() => void rate.run(value)}
          >
            ★
          </button>
        ))}
      </div>
      <span className="small muted" aria-live="polite">
        {rate.error
          ? rate.error.message
          : stars
            ? `You rated ${stars} of 5`
            : "Rate this character"}
      </span>
    </div>
  );
}

function Gallery({ character }: { character: CharacterDoc }): ReactNode {
  const client = useClient();
  const session = useSession();
  const includePremium = session.premium || session.isAdmin;
  const items = useLive<GalleryItemDoc[]>(
    (onData, onError) => watchGallery(client, character.id, { includePremium }, onData, onError),
    [client, character.id, includePremium],
  );
  // Counted as seen once shown (one marker per user and item; the server counts them).
  useEffect(() => {
    for (const item of items.data ?? []) {
      markGalleryItemViewed(client, character.id, item.id).catch(() => undefined);
    }
  }, [client, character.id, items.data]);
  const lockedCount = includePremium ? 0 : Math.max(0, character.galleryCounts.premium);
  const shown = items.data ?? [];
  if (items.data !== undefined && shown.length === 0 && lockedCount === 0) return null;
  return (
    <section className="card stack" aria-labelledby="gallery-heading">
      <div className="row spread">
        <h2 id="gallery-heading">Gallery</h2>
        {lockedCount > 0 ? (
          <span className="small muted">
            {lockedCount} premium {lockedCount === 1 ? "item" : "items"} locked
          </span>
        ) : null}
      </div>
      {items.error ? <Notice tone="error">{items.error.message}</Notice> : null}
      <ul className="gallery" aria-label={`${character.name}'s gallery`}>
        {shown.map((item) => (
          <li key={item.id}>
            <figure className="gallery-item" style={{ margin: 0 }}>
              <GalleryArt
                item={item}
                seed={`${character.id}/${item.id}`}
                alt={item.caption || "Gallery image"}
              />
              <figcaption>
                {item.premiumOnly ? (
                  <>
                    <PremiumBadge />{" "}
                  </>
                ) : null}
                {item.caption}
              </figcaption>
            </figure>
          </li>
        ))}
        {Array.from({ length: lockedCount }, (_, index) => (
          <li key={`locked-${index}`}>
            <figure
              className="gallery-item locked"
              style={{ margin: 0 }}
              data-testid="locked-gallery-item"
            >
              <GalleryArt item={null} seed={`${character.id}/locked/${index}`} alt="" />
              <div className="lock">
                <span aria-hidden="true">🔒</span>
                <span>Premium only</span>
                <Link className="button premium" to="/premium">
                  Upgrade to see it
                </Link>
              </div>
            </figure>
          </li>
        ))}
      </ul>
    </section>
  );
}
