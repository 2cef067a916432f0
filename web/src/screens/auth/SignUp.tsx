// Create an account; the server makes its profile, then the user claims a username.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { signUp } from "@aichat/client";
import { useBackend } from "../../app/client";
import { useAction, useTitle } from "../../app/hooks";
import { Notice } from "../../ui/Notice";

export function SignUp(): ReactNode {
  useTitle("Create an account");
  const { client } = useBackend();
  const navigate = useNavigate();
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const ids = { name: useId(), email: useId(), password: useId(), hint: useId() };
  const action = useAction(async () => {
    await signUp(client, email, password, displayName ? { displayName } : {});
    await navigate("/welcome");
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run();
  };

  return (
    <div className="auth-page stack">
      <h1>Create an account</h1>
      <form className="card stack" onSubmit={submit} aria-label="Create an account">
        <div className="field">
          <label htmlFor={ids.name}>Display name</label>
          <input
            id={ids.name}
            autoComplete="nickname"
            maxLength={60}
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.email}>Email</label>
          <input
            id={ids.email}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>Password</label>
          <input
            id={ids.password}
            type="password"
            autoComplete="new-password"
            required
            minLength={6}
            aria-describedby={ids.hint}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <span className="hint" id={ids.hint}>
            At least 6 characters.
          </span>
        </div>
        {action.error ? <Notice tone="error">{action.error.message}</Notice> : null}
        <button type="submit" disabled={action.busy}>
          {action.busy ? "Creating your account…" : "Create account"}
        </button>
        <p className="small muted">
          Already have an account? <Link to="/signin">Sign in</Link>
        </p>
      </form>
    </div>
  );
}
