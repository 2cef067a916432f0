// Creating or editing a character: profile, personality and AI settings (admins only; the
// callables validate everything again), publishing, gallery items and a test generation.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import {
  TONES,
  TRAIT_DOMAINS,
  watchCharacter,
  watchGallery,
  type AiSettings,
  type CharacterDoc,
  type GalleryItemDoc,
  type Trait,
} from "@aichat/client";
import {
  createCharacter,
  removeGalleryItem,
  setCharacterPublished,
  testGeneration,
  updateCharacter,
  uploadGalleryItem,
  watchAiSettings,
} from "@aichat/client/admin";
import { useClient } from "../../app/client";
import { useAction, useLive } from "../../app/hooks";
import { GalleryArt, useMedia } from "../../app/media";
import { Markdown } from "../../ui/Markdown";
import { Notice, Spinner } from "../../ui/Notice";
import { traitLabel } from "../characters/bits";

const MODIFIERS = ["formality", "humor", "empathy", "creativity", "confidence"] as const;
type Modifier = (typeof MODIFIERS)[number];
type Tone = (typeof TONES)[number];

interface Draft {
  name: string;
  nickname: string;
  tagline: string;
  description: string;
  greeting: string;
  scenario: string;
  tags: string;
  premiumOnly: boolean;
  traits: Trait[];
  tone: Tone;
  levels: Record<Modifier, number>;
  model: string;
  temperature: number;
  maxTokens: number;
  contextWindow: number;
  systemPromptOverride: string;
  restrictedTopics: string;
}

const EMPTY: Draft = {
  name: "",
  nickname: "",
  tagline: "",
  description: "",
  greeting: "",
  scenario: "",
  tags: "",
  premiumOnly: false,
  traits: [],
  tone: "neutral",
  levels: { formality: 5, humor: 5, empathy: 5, creativity: 5, confidence: 5 },
  model: "",
  temperature: 0.8,
  maxTokens: 400,
  contextWindow: 8192,
  systemPromptOverride: "",
  restrictedTopics: "",
};

function draftOf(character: CharacterDoc, ai: AiSettings | null): Draft {
  return {
    name: character.name,
    nickname: character.nickname,
    tagline: character.tagline,
    description: character.description,
    greeting: character.greeting,
    scenario: character.scenario,
    tags: character.tags.join(", "),
    premiumOnly: character.premiumOnly,
    traits: [...character.personality.traits],
    tone: character.personality.tone,
    levels: {
      formality: character.personality.formality,
      humor: character.personality.humor,
      empathy: character.personality.empathy,
      creativity: character.personality.creativity,
      confidence: character.personality.confidence,
    },
    model: ai?.model ?? EMPTY.model,
    temperature: ai?.temperature ?? EMPTY.temperature,
    maxTokens: ai?.maxTokens ?? EMPTY.maxTokens,
    contextWindow: ai?.contextWindow ?? EMPTY.contextWindow,
    systemPromptOverride: ai?.systemPromptOverride ?? "",
    restrictedTopics: (ai?.restrictedTopics ?? []).join("\n"),
  };
}

function profileOf(draft: Draft) {
  return {
    name: draft.name,
    nickname: draft.nickname,
    tagline: draft.tagline,
    description: draft.description,
    greeting: draft.greeting,
    scenario: draft.scenario,
    tags: draft.tags
      .split(",")
      .map((tag) => tag.trim().toLowerCase())
      .filter(Boolean),
    premiumOnly: draft.premiumOnly,
    personality: { traits: draft.traits, tone: draft.tone, ...draft.levels },
  };
}

function aiOf(draft: Draft) {
  return {
    model: draft.model.trim(),
    temperature: draft.temperature,
    maxTokens: draft.maxTokens,
    contextWindow: draft.contextWindow,
    systemPromptOverride: draft.systemPromptOverride,
    restrictedTopics: draft.restrictedTopics
      .split("\n")
      .map((topic) => topic.trim())
      .filter(Boolean),
  };
}

export function CharacterEditor({ id: given }: { id?: string | null }): ReactNode {
  const params = useParams();
  const id = given === null ? null : (given ?? params.id ?? null);
  const client = useClient();
  const navigate = useNavigate();
  const character = useLive<CharacterDoc | null>(
    id ? (onData, onError) => watchCharacter(client, id, onData, onError) : null,
    [client, id],
  );
  const ai = useLive<AiSettings | null>(
    id ? (onData, onError) => watchAiSettings(client, id, onData, onError) : null,
    [client, id],
  );
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [saved, setSaved] = useState<string | null>(null);
  // Filled in once when the character arrives: later server updates must not wipe an edit.
  const [filledFor, setFilledFor] = useState<string | null>(null);
  if (id && filledFor !== id && character.data && ai.data !== undefined) {
    // (ai.data is null for a character without settings: the defaults apply.)
    setFilledFor(id);
    setDraft(draftOf(character.data, ai.data));
  }

  const save = useAction(async () => {
    setSaved(null);
    if (id) {
      const changed = await updateCharacter(client, {
        id,
        profile: profileOf(draft),
        ai: aiOf(draft),
      });
      setSaved(changed.length ? `Saved: ${changed.join(", ")}.` : "Nothing changed.");
    } else {
      const created = await createCharacter(client, { profile: profileOf(draft), ai: aiOf(draft) });
      await navigate(`/admin/characters/${created}`, { replace: true });
    }
  });
  const publish = useAction(async (published: boolean) => {
    if (id) await setCharacterPublished(client, id, published);
  });

  if (id && character.error) return <Notice tone="error">{character.error.message}</Notice>;
  if (id && ai.error) return <Notice tone="error">{ai.error.message}</Notice>;
  if (id && (character.data === undefined || ai.data === undefined))
    return <Spinner label="Loading the character" />;
  if (id && character.data === null) return <p className="empty">No such character.</p>;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((previous) => ({ ...previous, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };

  return (
    <div className="stack">
      <div className="row spread">
        <h1>{id ? `Edit ${character.data?.name ?? id}` : "New character"}</h1>
        {id && character.data ? (
          <div className="row">
            <span className="badge">{character.data.published ? "Published" : "Draft"}</span>
            <button
              type="button"
              disabled={publish.busy}
              className={character.data.published ? "secondary" : ""}
              onClick={() => void publish.run(!character.data?.published)}
            >
              {character.data.published ? "Unpublish" : "Publish"}
            </button>
            {character.data.published ? <Link to={`/characters/${id}`}>View</Link> : null}
          </div>
        ) : null}
      </div>
      {publish.error ? <Notice tone="error">{publish.error.message}</Notice> : null}
      <form className="stack" onSubmit={submit} aria-label="Character">
        <fieldset className="form-grid">
          <legend>Profile</legend>
          <TextField
            label="Name"
            value={draft.name}
            onChange={(v) => set("name", v)}
            required
            max={80}
          />
          <TextField
            label="Nickname"
            value={draft.nickname}
            onChange={(v) => set("nickname", v)}
            max={80}
          />
          <TextField
            label="Tagline"
            value={draft.tagline}
            onChange={(v) => set("tagline", v)}
            max={160}
            wide
          />
          <TextArea
            label="Description (Markdown)"
            value={draft.description}
            onChange={(v) => set("description", v)}
            max={8000}
            rows={5}
          />
          <TextArea
            label="Greeting"
            value={draft.greeting}
            onChange={(v) => set("greeting", v)}
            max={4000}
            rows={3}
          />
          <TextArea
            label="Scenario"
            value={draft.scenario}
            onChange={(v) => set("scenario", v)}
            max={4000}
            rows={2}
          />
          <TextField
            label="Tags (comma separated)"
            value={draft.tags}
            onChange={(v) => set("tags", v)}
          />
          <Checkbox
            label="Premium only"
            checked={draft.premiumOnly}
            onChange={(v) => set("premiumOnly", v)}
          />
        </fieldset>
        <fieldset className="stack">
          <legend>Personality</legend>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="tone">Tone</label>
              <select
                id="tone"
                value={draft.tone}
                onChange={(event) => set("tone", event.target.value as Tone)}
              >
                {TONES.map((tone) => (
                  <option key={tone} value={tone}>
                    {tone}
                  </option>
                ))}
              </select>
            </div>
            {MODIFIERS.map((modifier) => (
              <div className="field" key={modifier}>
                <label htmlFor={`level-${modifier}`}>
                  {traitLabel(modifier)}: {draft.levels[modifier]}
                </label>
                <input
                  id={`level-${modifier}`}
                  type="range"
                  min={0}
                  max={10}
                  value={draft.levels[modifier]}
                  onChange={(event) =>
                    set("levels", { ...draft.levels, [modifier]: Number(event.target.value) })
                  }
                />
              </div>
            ))}
          </div>
          <div role="group" aria-label="Traits (up to 12)">
            <p className="small muted">Traits (up to 12): {draft.traits.length} chosen</p>
            <div className="traits-picker">
              {Object.values(TRAIT_DOMAINS)
                .flat()
                .map((trait) => (
                  <label key={trait}>
                    <input
                      type="checkbox"
                      checked={draft.traits.includes(trait)}
                      disabled={!draft.traits.includes(trait) && draft.traits.length >= 12}
                      onChange={(event) =>
                        set(
                          "traits",
                          event.target.checked
                            ? [...draft.traits, trait]
                            : draft.traits.filter((each) => each !== trait),
                        )
                      }
                    />
                    {traitLabel(trait)}
                  </label>
                ))}
            </div>
          </div>
        </fieldset>
        <fieldset className="form-grid">
          <legend>AI settings</legend>
          <TextField
            label="Model (empty: the deployment's default)"
            value={draft.model}
            onChange={(v) => set("model", v)}
            max={100}
          />
          <NumberField
            label="Temperature"
            value={draft.temperature}
            step={0.05}
            min={0}
            max={2}
            onChange={(v) => set("temperature", v)}
          />
          <NumberField
            label="Max reply tokens"
            value={draft.maxTokens}
            step={1}
            min={16}
            max={4096}
            onChange={(v) => set("maxTokens", v)}
          />
          <NumberField
            label="Context window (tokens)"
            value={draft.contextWindow}
            step={1}
            min={1024}
            max={1000000}
            onChange={(v) => set("contextWindow", v)}
          />
          <TextArea
            label="System prompt override"
            value={draft.systemPromptOverride}
            onChange={(v) => set("systemPromptOverride", v)}
            max={8000}
            rows={3}
          />
          <TextArea
            label="Restricted topics (one per line)"
            value={draft.restrictedTopics}
            onChange={(v) => set("restrictedTopics", v)}
            rows={3}
          />
        </fieldset>
        {save.error ? <Notice tone="error">{save.error.message}</Notice> : null}
        {saved ? <Notice tone="ok">{saved}</Notice> : null}
        <div className="row">
          <button type="submit" disabled={save.busy}>
            {save.busy ? "Saving…" : id ? "Save changes" : "Create character"}
          </button>
        </div>
      </form>
      {id && character.data ? <GalleryAdmin character={character.data} /> : null}
      {id ? <TestGeneration id={id} /> : null}
    </div>
  );
}

function GalleryAdmin({ character }: { character: CharacterDoc }): ReactNode {
  const client = useClient();
  const { storage } = useMedia();
  const items = useLive<GalleryItemDoc[]>(
    (onData, onError) =>
      watchGallery(client, character.id, { includePremium: true }, onData, onError),
    [client, character.id],
  );
  const [file, setFile] = useState<File | null>(null);
  const [caption, setCaption] = useState("");
  const [premiumOnly, setPremiumOnly] = useState(false);
  const fileId = useId();
  const captionId = useId();
  const upload = useAction(async () => {
    if (!file) return;
    const itemId = `item-${Date.now().toString(36)}`;
    await uploadGalleryItem(
      client,
      {
        characterId: character.id,
        itemId,
        type: file.type.startsWith("audio/") ? "audio" : "image",
        caption,
        premiumOnly,
      },
      file,
      { name: file.name.replace(/[^A-Za-z0-9._-]/g, "_"), contentType: file.type },
    );
    setFile(null);
    setCaption("");
  });
  const remove = useAction(async (itemId: string) => {
    await removeGalleryItem(client, character.id, itemId);
  });
  return (
    <section className="card stack" aria-labelledby="gallery-admin-heading">
      <h2 id="gallery-admin-heading">Gallery</h2>
      {storage && !storage.enabled ? (
        <Notice>
          Uploads are unavailable here: {storage.reason ?? "Storage is not running"}. Items show
          generated placeholders instead of their images.
        </Notice>
      ) : null}
      {items.data && items.data.length === 0 ? (
        <p className="muted">No gallery items yet.</p>
      ) : null}
      <ul className="gallery">
        {(items.data ?? []).map((item) => (
          <li key={item.id}>
            <figure className="gallery-item" style={{ margin: 0 }}>
              <GalleryArt
                item={item}
                seed={`${character.id}/${item.id}`}
                alt={item.caption || item.id}
              />
              <figcaption className="stack" style={{ gap: "0.3rem" }}>
                <span>
                  {item.premiumOnly ? <span className="badge premium">Premium</span> : null}{" "}
                  {item.caption}
                </span>
                <span className="small muted">{item.viewCount} views</span>
                <button
                  type="button"
                  className="ghost"
                  disabled={remove.busy}
                  onClick={() => void remove.run(item.id)}
                  aria-label={`Remove ${item.caption || item.id}`}
                >
                  Remove
                </button>
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
      {remove.error ? <Notice tone="error">{remove.error.message}</Notice> : null}
      {storage?.enabled ? (
        <form
          className="form-grid"
          onSubmit={(event) => {
            event.preventDefault();
            void upload.run();
          }}
          aria-label="Add a gallery item"
        >
          <div className="field">
            <label htmlFor={fileId}>Image or audio file</label>
            <input
              id={fileId}
              type="file"
              accept="image/*,audio/*"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <div className="field">
            <label htmlFor={captionId}>Caption</label>
            <input
              id={captionId}
              maxLength={500}
              value={caption}
              onChange={(event) => setCaption(event.target.value)}
            />
          </div>
          <Checkbox label="Premium only" checked={premiumOnly} onChange={setPremiumOnly} />
          <div>
            <button type="submit" disabled={!file || upload.busy}>
              {upload.busy ? "Uploading…" : "Add to gallery"}
            </button>
          </div>
          {upload.error ? <Notice tone="error">{upload.error.message}</Notice> : null}
        </form>
      ) : null}
    </section>
  );
}

function TestGeneration({ id }: { id: string }): ReactNode {
  const client = useClient();
  const inputId = useId();
  const [message, setMessage] = useState("Hello! Who are you?");
  const [answer, setAnswer] = useState<Awaited<ReturnType<typeof testGeneration>> | null>(null);
  const run = useAction(async () => {
    setAnswer(await testGeneration(client, id, message));
  });
  return (
    <section className="card stack" aria-labelledby="test-heading">
      <h2 id="test-heading">Try the settings</h2>
      <p className="small muted">Saved settings, one message, nothing stored.</p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          void run.run();
        }}
      >
        <label htmlFor={inputId} className="visually-hidden">
          Test message
        </label>
        <input
          id={inputId}
          value={message}
          maxLength={2000}
          onChange={(event) => setMessage(event.target.value)}
          style={{ flex: 1, width: "auto" }}
        />
        <button type="submit" disabled={run.busy || !message.trim()}>
          {run.busy ? "Generating…" : "Generate"}
        </button>
      </form>
      {run.error ? <Notice tone="error">{run.error.message}</Notice> : null}
      {answer ? (
        <div className="stack" style={{ gap: "0.4rem" }}>
          <div className="bubble">
            <Markdown text={answer.text} />
          </div>
          <span className="small muted">
            {answer.model} · {answer.promptTokens} prompt tokens · ${answer.costUsd.toFixed(5)}
          </span>
        </div>
      ) : null}
    </section>
  );
}

function TextField({
  label,
  value,
  onChange,
  required = false,
  max,
  wide = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  max?: number;
  wide?: boolean;
}): ReactNode {
  const id = useId();
  return (
    <div className={`field${wide ? " wide" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        required={required}
        maxLength={max}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

function TextArea({
  label,
  value,
  onChange,
  max,
  rows,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  max?: number;
  rows: number;
}): ReactNode {
  const id = useId();
  return (
    <div className="field wide">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={value}
        rows={rows}
        maxLength={max}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min: number;
  max: number;
  step: number;
}): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={value}
        min={min}
        max={max}
        step={step}
        onChange={(event) => onChange(Number(event.target.value))}
      />
    </div>
  );
}

function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (value: boolean) => void;
}): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="row" style={{ gap: "0.4rem" }}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
    </div>
  );
}
