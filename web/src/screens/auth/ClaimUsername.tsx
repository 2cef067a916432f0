// A new account picks its username (unique, case-insensitive), checked as it is typed.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { checkUsername, claimUsername, type CheckUsernameOutput } from "@aichat/client";
import { useBackend } from "../../app/client";
import { useAction, useTitle } from "../../app/hooks";
import { useSession } from "../../app/session";
import { Notice } from "../../ui/Notice";

export function ClaimUsername(): ReactNode {
  useTitle("Choose a username");
  const { client } = useBackend();
  const session = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [checked, setChecked] = useState<{ name: string; result: CheckUsernameOutput } | null>(
    null,
  );
  const check = checked && checked.name === name ? checked.result : null;
  const inputId = useId();
  const statusId = useId();

  useEffect(() => {
    if (session.profile?.username) void navigate("/", { replace: true });
  }, [session.profile?.username, navigate]);

  useEffect(() => {
    if (!name) return undefined;
    let active = true;
    const timer = setTimeout(() => {
      checkUsername(client, name).then(
        (result) => {
          if (active) setChecked({ name, result });
        },
        () => undefined,
      );
    }, 300);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [client, name]);

  const action = useAction(async () => {
    await claimUsername(client, name);
    await navigate("/", { replace: true });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run();
  };

  return (
    <div className="auth-page stack">
      <h1>Choose a username</h1>
      <p className="muted">
        Characters call you by your display name; your username is how others find you.
      </p>
      <form className="card stack" onSubmit={submit} aria-label="Choose a username">
        <div className="field">
          <label htmlFor={inputId}>Username</label>
          <input
            id={inputId}
            autoComplete="username"
            required
            minLength={3}
            maxLength={30}
            aria-describedby={statusId}
            value={name}
            onChange={(event) => setName(event.target.value.trim())}
          />
          <span
            id={statusId}
            className={check && !check.available ? "error" : "hint"}
            aria-live="polite"
          >
            {check === null
              ? name.length >= 3
                ? "Checking…"
                : "3 to 30 letters, digits or underscores."
              : check.available
                ? `${name} is available.`
                : (check.reason ?? "That name is not available.")}
          </span>
        </div>
        {action.error ? <Notice tone="error">{action.error.message}</Notice> : null}
        <button type="submit" disabled={action.busy || (check !== null && !check.available)}>
          {action.busy ? "Claiming…" : "Claim username"}
        </button>
      </form>
    </div>
  );
}
