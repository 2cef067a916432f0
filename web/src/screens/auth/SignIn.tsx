// Sign in with email and password, or with one of the seeded demo accounts (local stack).
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { signIn } from "@aichat/client";
import { useBackend } from "../../app/client";
import { useFlash } from "../../app/flash";
import { useAction, useTitle } from "../../app/hooks";
import { Notice } from "../../ui/Notice";

const DEMO_ACCOUNTS = [
  { label: "Demo user", hint: "free tier", email: "demo@aichat.test", password: "demo-password" },
  {
    label: "Premium user",
    hint: "premium until 2099",
    email: "premium@aichat.test",
    password: "premium-password",
  },
  { label: "Admin", hint: "admin screens", email: "admin@aichat.test", password: "admin-password" },
] as const;

export function SignIn(): ReactNode {
  useTitle("Sign in");
  const { client, local } = useBackend();
  const navigate = useNavigate();
  const notice = useFlash().message;
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const emailId = useId();
  const passwordId = useId();
  const flash = useFlash();
  const action = useAction(async (address: string, secret: string) => {
    await signIn(client, address, secret);
    flash.show(null);
    await navigate("/");
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(email, password);
  };

  return (
    <div className="auth-page stack">
      <h1>Sign in</h1>
      {notice ? <Notice tone="ok">{notice}</Notice> : null}
      <form className="card stack" onSubmit={submit} aria-label="Sign in">
        <div className="field">
          <label htmlFor={emailId}>Email</label>
          <input
            id={emailId}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>Password</label>
          <input
            id={passwordId}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        {action.error ? <Notice tone="error">{action.error.message}</Notice> : null}
        <button type="submit" disabled={action.busy}>
          {action.busy ? "Signing in…" : "Sign in"}
        </button>
        <p className="small muted">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      </form>
      {local ? (
        <section className="card stack" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Demo accounts</h2>
          <p className="small muted">Seeded into the local stack; one click signs you in.</p>
          <div className="demo-accounts">
            {DEMO_ACCOUNTS.map((account) => (
              <button
                key={account.email}
                type="button"
                className="secondary"
                disabled={action.busy}
                onClick={() => void action.run(account.email, account.password)}
              >
                <span>Sign in as {account.label}</span>
                <span className="small muted">{account.hint}</span>
              </button>
            ))}
          </div>
        </section>
      ) : null}
    </div>
  );
}
