// A one-off message for the next screen (e.g. "your account was deleted" on the sign-in
// screen), kept above the routes so it survives the redirect that signing out causes.
import { createContext, useContext, useState, type ReactNode } from "react";

interface Flash {
  message: string | null;
  show: (message: string | null) => void;
}

const FlashContext = createContext<Flash>({ message: null, show: () => undefined });

export function FlashProvider({ children }: { children: ReactNode }): ReactNode {
  const [message, show] = useState<string | null>(null);
  return <FlashContext value={{ message, show }}>{children}</FlashContext>;
}

export function useFlash(): Flash {
  return useContext(FlashContext);
}
