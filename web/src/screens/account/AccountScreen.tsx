// The account: profile (display name, bio), username, deactivation and deletion (with a
// typed confirmation: it removes the account and every conversation).
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useNavigate } from "react-router";
import {
  deactivateAccount,
  deleteAccount,
  reactivateAccount,
  renameUsername,
  updateProfile,
} from "@aichat/client";
import { useClient } from "../../app/client";
import { useFlash } from "../../app/flash";
import { useAction, useTitle } from "../../app/hooks";
import { useSession } from "../../app/session";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { formatDate } from "../../ui/format";
import { Notice } from "../../ui/Notice";
import { OnlineStatus } from "../../ui/OnlineDot";

export function AccountScreen(): ReactNode {
  useTitle("Account");
  const client = useClient();
  const session = useSession();
  const navigate = useNavigate();
  const flash = useFlash();
  const profile = session.profile;
  const ids = { name: useId(), bio: useId(), username: useId() };
  const [displayName, setDisplayName] = useState(profile?.displayName ?? "");
  const [bio, setBio] = useState(profile?.bio ?? "");
  const [username, setUsername] = useState(profile?.username ?? "");
  const [saved, setSaved] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const save = useAction(async () => {
    await updateProfile(client, { displayName, bio });
    setSaved("Profile saved.");
  });
  const rename = useAction(async () => {
    const name = await renameUsername(client, username);
    setSaved(`Your username is now @${name}.`);
  });
  const toggle = useAction(async () => {
    if (profile?.deactivated) await reactivateAccount(client);
    else await deactivateAccount(client);
  });
  const remove = useAction(async () => {
    await deleteAccount(client);
    flash.show("Your account and its conversations were deleted.");
    await navigate("/signin", { replace: true });
  });

  if (!profile) return null;
  const onSave = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  const onRename = (event: FormEvent) => {
    event.preventDefault();
    void rename.run();
  };

  return (
    <div className="stack">
      <h1>Account</h1>
      {saved ? <Notice tone="ok">{saved}</Notice> : null}
      {profile.deactivated ? (
        <Notice tone="premium">
          Your account is deactivated: you can read your conversations but not send messages.
        </Notice>
      ) : null}
      <div className="two-col">
        <form className="card stack" onSubmit={onSave} aria-labelledby="profile-heading">
          <div className="row spread">
            <h2 id="profile-heading">Profile</h2>
            {session.user ? <OnlineStatus uid={session.user.uid} /> : null}
          </div>
          <p className="small muted">
            {profile.email}
            {session.premium && session.premiumUntil
              ? ` · premium until ${formatDate(session.premiumUntil)}`
              : " · free plan"}
          </p>
          <div className="field">
            <label htmlFor={ids.name}>Display name</label>
            <input
              id={ids.name}
              maxLength={60}
              value={displayName}
              onChange={(event) => setDisplayName(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.bio}>About you</label>
            <textarea
              id={ids.bio}
              rows={3}
              maxLength={500}
              value={bio}
              onChange={(event) => setBio(event.target.value)}
            />
          </div>
          {save.error ? <Notice tone="error">{save.error.message}</Notice> : null}
          <button type="submit" disabled={save.busy || profile.deactivated}>
            Save profile
          </button>
        </form>
        <div className="stack">
          <form className="card stack" onSubmit={onRename} aria-labelledby="username-heading">
            <h2 id="username-heading">Username</h2>
            <div className="field">
              <label htmlFor={ids.username}>Username</label>
              <input
                id={ids.username}
                minLength={3}
                maxLength={30}
                value={username}
                onChange={(event) => setUsername(event.target.value.trim())}
              />
            </div>
            {rename.error ? <Notice tone="error">{rename.error.message}</Notice> : null}
            <button
              type="submit"
              className="secondary"
              disabled={rename.busy || username === profile.username}
            >
              Change username
            </button>
          </form>
          <section className="card stack" aria-labelledby="danger-heading">
            <h2 id="danger-heading">Deactivate or delete</h2>
            <p className="small muted">
              Deactivating keeps everything and can be undone. Deleting removes your profile,
              username and every conversation for good (payment records are kept for accounting).
            </p>
            {toggle.error ? <Notice tone="error">{toggle.error.message}</Notice> : null}
            <div className="row">
              <button
                type="button"
                className="secondary"
                disabled={toggle.busy}
                onClick={() => void toggle.run()}
              >
                {profile.deactivated ? "Reactivate account" : "Deactivate account"}
              </button>
              <button type="button" className="danger" onClick={() => setConfirming(true)}>
                Delete account
              </button>
            </div>
          </section>
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete your account?"
        confirmLabel="Delete my account"
        confirmText="DELETE"
        danger
        busy={remove.busy}
        onConfirm={() => void remove.run()}
        onClose={() => setConfirming(false)}
      >
        <p>
          This deletes your profile, your username and all your conversations. It cannot be undone.
        </p>
        {remove.error ? <Notice tone="error">{remove.error.message}</Notice> : null}
      </ConfirmDialog>
    </div>
  );
}
