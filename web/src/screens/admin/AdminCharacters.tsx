// Every character, drafts included: publish or unpublish, edit, export as a card, import a
// Character Card (JSON or PNG, V1 to V3; imported characters start unpublished).
import { useId, useRef, useState, type ChangeEvent, type ReactNode } from "react";
import { Link } from "react-router";
import type { CharacterDoc, ImportCardOutput } from "@aichat/client";
import {
  exportCharacterCard,
  importCharacterCard,
  setCharacterPublished,
  watchAllCharacters,
} from "@aichat/client/admin";
import { useClient } from "../../app/client";
import { useAction, useLive } from "../../app/hooks";
import { CharacterAvatar, useMedia } from "../../app/media";
import { Notice, Spinner } from "../../ui/Notice";
import { PremiumBadge } from "../characters/bits";
import { download } from "./download";

export function AdminCharacters(): ReactNode {
  const client = useClient();
  const { storage } = useMedia();
  const characters = useLive<CharacterDoc[]>(
    (onData, onError) => watchAllCharacters(client, onData, onError),
    [client],
  );
  const fileId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [imported, setImported] = useState<ImportCardOutput | null>(null);
  const importCard = useAction(async (file: File) => {
    setImported(null);
    const isPng = file.type === "image/png" || file.name.toLowerCase().endsWith(".png");
    const result = isPng
      ? await importCharacterCard(client, { png: await file.arrayBuffer() })
      : await importCharacterCard(client, { json: await file.text() });
    setImported(result);
  });
  const publish = useAction(async (id: string, published: boolean) => {
    await setCharacterPublished(client, id, published);
  });
  const exportCard = useAction(async (id: string, format: "json" | "png") => {
    if (format === "json") {
      const card = await exportCharacterCard(client, id, "json");
      download(`${id}.json`, card.json, "application/json");
    } else {
      const card = await exportCharacterCard(client, id, "png");
      download(`${id}.png`, new Uint8Array(card.png), "image/png");
    }
  });
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void importCard.run(file);
    event.target.value = "";
  };

  return (
    <div className="stack">
      <div className="row spread">
        <h1>Characters</h1>
        <div className="row">
          <label htmlFor={fileId} className="button secondary">
            Import a card (PNG or JSON)
          </label>
          <input
            id={fileId}
            ref={fileInput}
            type="file"
            accept=".png,.json,image/png,application/json"
            className="visually-hidden"
            onChange={onFile}
          />
          <Link className="button" to="/admin/characters/new">
            New character
          </Link>
        </div>
      </div>
      {storage && !storage.enabled ? (
        <Notice>
          Media: {storage.reason ?? "Storage is not available here"}. Avatars and gallery images
          show generated placeholders; imported cards keep no avatar image.
        </Notice>
      ) : null}
      {importCard.busy ? <Spinner label="Importing the card" /> : null}
      {importCard.error ? (
        <Notice tone="error">The card was not imported: {importCard.error.message}</Notice>
      ) : null}
      {imported ? (
        <Notice tone="ok">
          Imported <strong>{imported.name}</strong> as a draft ({imported.knowledgeEntries} lorebook
          entries{imported.avatarStored ? ", avatar stored" : ""}).{" "}
          <Link to={`/admin/characters/${imported.id}`}>Review and publish it</Link>
        </Notice>
      ) : null}
      {publish.error ? <Notice tone="error">{publish.error.message}</Notice> : null}
      {exportCard.error ? <Notice tone="error">{exportCard.error.message}</Notice> : null}
      {characters.error ? <Notice tone="error">{characters.error.message}</Notice> : null}
      {characters.data === undefined && !characters.error ? <Spinner /> : null}
      {characters.data ? (
        <div className="card table-scroll">
          <table aria-label="All characters">
            <thead>
              <tr>
                <th scope="col">Character</th>
                <th scope="col">Status</th>
                <th scope="col" className="number">
                  Conversations
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {characters.data.map((character) => (
                <tr key={character.id}>
                  <td>
                    <div className="row">
                      <CharacterAvatar character={character} size={32} />
                      <Link to={`/admin/characters/${character.id}`}>{character.name}</Link>
                      {character.premiumOnly ? <PremiumBadge /> : null}
                    </div>
                  </td>
                  <td>{character.published ? "Published" : "Draft"}</td>
                  <td className="number">{character.stats.conversations}</td>
                  <td>
                    <div className="row">
                      <button
                        type="button"
                        className="secondary"
                        disabled={publish.busy}
                        aria-label={`${character.published ? "Unpublish" : "Publish"} ${character.name}`}
                        onClick={() => void publish.run(character.id, !character.published)}
                      >
                        {character.published ? "Unpublish" : "Publish"}
                      </button>
                      <button
                        type="button"
                        className="ghost"
                        aria-label={`Export ${character.name} as a JSON card`}
                        onClick={() => void exportCard.run(character.id, "json")}
                      >
                        JSON
                      </button>
                      <button
                        type="button"
                        className="ghost"
                        aria-label={`Export ${character.name} as a PNG card`}
                        onClick={() => void exportCard.run(character.id, "png")}
                      >
                        PNG
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
