// Routes. Signed-out visitors see sign-in and sign-up; a new account claims a username
// first; admin screens need the admin claim (the functions check it again on every call).
import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { BackendProvider, type Backend } from "./client";
import { FlashProvider } from "./flash";
import { Layout } from "./Layout";
import { MediaProvider } from "./media";
import { SessionProvider, useSession } from "./session";
import { Spinner } from "../ui/Notice";
import { SignIn } from "../screens/auth/SignIn";
import { SignUp } from "../screens/auth/SignUp";
import { ClaimUsername } from "../screens/auth/ClaimUsername";
import { CharacterBrowser } from "../screens/characters/CharacterBrowser";
import { CharacterPage } from "../screens/characters/CharacterPage";
import { ChatScreen } from "../screens/chat/ChatScreen";
import { PremiumScreen } from "../screens/premium/PremiumScreen";
import { CheckoutSuccess } from "../screens/premium/CheckoutSuccess";
import { AccountScreen } from "../screens/account/AccountScreen";
import { NotificationsScreen } from "../screens/notifications/NotificationsScreen";

// The admin screens (and the library's admin entry) load only for admins who open them.
const AdminScreen = lazy(() =>
  import("../screens/admin/AdminScreen").then((module) => ({ default: module.AdminScreen })),
);

function SignedIn({ children }: { children: ReactNode }): ReactNode {
  const session = useSession();
  const location = useLocation();
  if (session.loading) return <Spinner />;
  if (!session.user) return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  if (!session.profile) return <Spinner label="Preparing your account" />;
  if (!session.profile.username && location.pathname !== "/welcome")
    return <Navigate to="/welcome" replace />;
  return children;
}

function SignedOut({ children }: { children: ReactNode }): ReactNode {
  const session = useSession();
  if (session.loading) return <Spinner />;
  if (session.user) return <Navigate to="/" replace />;
  return children;
}

function AdminOnly({ children }: { children: ReactNode }): ReactNode {
  const session = useSession();
  if (!session.isAdmin) return <p className="empty">This page is for admins.</p>;
  return children;
}

function NotFound(): ReactNode {
  return <p className="empty">There is nothing at this address.</p>;
}

export function App({ backend }: { backend: Backend }): ReactNode {
  return (
    <BackendProvider backend={backend}>
      <SessionProvider>
        <MediaProvider>
          <FlashProvider>
            <BrowserRouter>
              <Layout>
                <Routes>
                  <Route
                    path="/signin"
                    element={
                      <SignedOut>
                        <SignIn />
                      </SignedOut>
                    }
                  />
                  <Route
                    path="/signup"
                    element={
                      <SignedOut>
                        <SignUp />
                      </SignedOut>
                    }
                  />
                  <Route
                    path="/welcome"
                    element={
                      <SignedIn>
                        <ClaimUsername />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/"
                    element={
                      <SignedIn>
                        <CharacterBrowser />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/characters/:id"
                    element={
                      <SignedIn>
                        <CharacterPage />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/chat/:characterId"
                    element={
                      <SignedIn>
                        <ChatScreen />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/premium"
                    element={
                      <SignedIn>
                        <PremiumScreen />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/premium/success"
                    element={
                      <SignedIn>
                        <CheckoutSuccess />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/notifications"
                    element={
                      <SignedIn>
                        <NotificationsScreen />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/account"
                    element={
                      <SignedIn>
                        <AccountScreen />
                      </SignedIn>
                    }
                  />
                  <Route
                    path="/admin/*"
                    element={
                      <SignedIn>
                        <AdminOnly>
                          <Suspense fallback={<Spinner />}>
                            <AdminScreen />
                          </Suspense>
                        </AdminOnly>
                      </SignedIn>
                    }
                  />
                  <Route path="*" element={<NotFound />} />
                </Routes>
              </Layout>
            </BrowserRouter>
          </FlashProvider>
        </MediaProvider>
      </SessionProvider>
    </BackendProvider>
  );
}
