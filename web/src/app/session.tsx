// Who is signed in: the Firebase user, their profile (created by the server moments after
// sign-up), whether they are an admin (custom claim) and premium (live, ends by itself).
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import {
  startPresence,
  watchAuth,
  watchPremium,
  watchProfile,
  type Profile,
  type Session,
} from "@aichat/client";
import { useClient } from "./client";

export interface SessionState {
  /** Still finding out whether someone is signed in. */
  loading: boolean;
  user: User | null;
  /** Null while the server is still creating it. */
  profile: Profile | null;
  isAdmin: boolean;
  premium: boolean;
  premiumUntil: Date | null;
}

type User = Session["user"];

const SIGNED_OUT: SessionState = {
  loading: false,
  user: null,
  profile: null,
  isAdmin: false,
  premium: false,
  premiumUntil: null,
};

const SessionContext = createContext<SessionState>({ ...SIGNED_OUT, loading: true });

export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const client = useClient();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  // Each keyed by the uid it belongs to, so a previous user's data is never shown.
  const [profile, setProfile] = useState<{ uid: string; profile: Profile | null } | null>(null);
  const [admin, setAdmin] = useState<{ uid: string; isAdmin: boolean } | null>(null);
  const [premium, setPremium] = useState<{
    uid: string;
    premium: boolean;
    premiumUntil: Date | null;
  } | null>(null);

  useEffect(() => watchAuth(client, setUser), [client]);

  useEffect(() => {
    if (!user) return undefined;
    const uid = user.uid;
    let active = true;
    user.getIdTokenResult().then(
      (token) => {
        if (active) setAdmin({ uid, isAdmin: token.claims.admin === true });
      },
      () => undefined,
    );
    const stopProfile = watchProfile(
      client,
      (next) => setProfile({ uid, profile: next }),
      () => setProfile({ uid, profile: null }),
    );
    const stopPremium = watchPremium(client, (status) => setPremium({ uid, ...status }));
    return () => {
      active = false;
      stopProfile();
      stopPremium();
    };
  }, [client, user]);

  // The online dot others see: a heartbeat while signed in (once the profile exists and is
  // active: the rules refuse others) and the page is visible; stopped on sign-out.
  const present =
    user && profile?.uid === user.uid && profile.profile && !profile.profile.deactivated
      ? user.uid
      : null;
  useEffect(() => {
    if (!present) return undefined;
    const heartbeat = startPresence(client);
    return () => heartbeat.stop();
  }, [client, present]);

  const mine = <V extends { uid: string }>(value: V | null): V | null =>
    user && value?.uid === user.uid ? value : null;
  const state: SessionState =
    user === undefined
      ? { ...SIGNED_OUT, loading: true }
      : user === null
        ? SIGNED_OUT
        : {
            loading: false,
            user,
            profile: mine(profile)?.profile ?? null,
            isAdmin: mine(admin)?.isAdmin ?? false,
            premium: mine(premium)?.premium ?? false,
            premiumUntil: mine(premium)?.premiumUntil ?? null,
          };
  return <SessionContext value={state}>{children}</SessionContext>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}
