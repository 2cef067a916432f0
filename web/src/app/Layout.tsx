// The frame around every screen: a skip link, the header with navigation and the account,
// and the main landmark that receives focus when the route changes.
import { useEffect, useRef, type ReactNode } from "react";
import { NavLink, Link, useLocation, useNavigate } from "react-router";
import { signOut, watchUnreadCount } from "@aichat/client";
import { useBackend, useClient } from "./client";
import { useLive } from "./hooks";
import { useSession } from "./session";

function Logo(): ReactNode {
  return (
    <svg viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#5b3df5" />
      <path
        d="M16 20h32a4 4 0 0 1 4 4v14a4 4 0 0 1-4 4H30l-9 8v-8h-5a4 4 0 0 1-4-4V24a4 4 0 0 1 4-4z"
        fill="#fff"
      />
    </svg>
  );
}

function BellIcon(): ReactNode {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.5A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6zm-2.5 15.5a2.5 2.5 0 0 0 5 0z"
        fill="currentColor"
      />
    </svg>
  );
}

/** The bell in the header, with the unread count (one document listener). */
function NotificationsLink(): ReactNode {
  const client = useClient();
  const unread = useLive<number>(
    (onData, onError) => watchUnreadCount(client, onData, onError),
    [client],
  );
  const count = unread.data ?? 0;
  return (
    <NavLink
      to="/notifications"
      className="bell"
      aria-label={count > 0 ? `Notifications, ${count} unread` : "Notifications"}
    >
      <BellIcon />
      {count > 0 ? (
        <span className="unread-badge" data-testid="unread-badge" aria-hidden="true">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </NavLink>
  );
}

export function Layout({ children }: { children: ReactNode }): ReactNode {
  const session = useSession();
  const { client, local } = useBackend();
  const location = useLocation();
  const navigate = useNavigate();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Moving focus to the new screen tells keyboard and screen-reader users that it changed.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  const signedIn = session.user !== null;
  // The chat fills the window exactly (its message list scrolls, the composer stays put).
  const fill = location.pathname.startsWith("/chat/");
  return (
    <div className={fill ? "shell fill" : "shell"}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {local ? (
        <div className="local-banner">
          Local stack: Firebase emulators and stand-ins for the paid services. No real accounts or
          payments.
        </div>
      ) : null}
      <header className="app-header">
        <Link to="/" className="brand">
          <Logo />
          <span>AI Character Chat</span>
        </Link>
        {signedIn ? (
          <nav className="app-nav" aria-label="Main">
            <NavLink to="/" end>
              Characters
            </NavLink>
            <NavLink to="/premium">{session.premium ? "Premium ✓" : "Premium"}</NavLink>
            <NavLink to="/account">Account</NavLink>
            {session.isAdmin ? <NavLink to="/admin">Admin</NavLink> : null}
          </nav>
        ) : (
          <span className="app-nav" />
        )}
        {signedIn ? (
          <div className="header-account">
            <NotificationsLink />
            <span className="who">
              {session.profile?.username ? `@${session.profile.username}` : session.user?.email}
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                void signOut(client).then(() => navigate("/signin"));
              }}
            >
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
