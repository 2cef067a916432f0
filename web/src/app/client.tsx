// The one backend client of the app (from @aichat/client), and what the backend says about
// this deployment (media availability, payments), for every screen through React context.
import { createContext, useContext, type ReactNode } from "react";
import type { AiChatClient } from "@aichat/client";

export interface Backend {
  client: AiChatClient;
  /** A local run against the emulators (npm start, npm test, npm run dev). */
  local: boolean;
}

const BackendContext = createContext<Backend | null>(null);

export function BackendProvider({
  backend,
  children,
}: {
  backend: Backend;
  children: ReactNode;
}): ReactNode {
  return <BackendContext value={backend}>{children}</BackendContext>;
}

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error("useBackend outside BackendProvider");
  return backend;
}

export function useClient(): AiChatClient {
  return useBackend().client;
}
