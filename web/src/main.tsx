// Start-up: find the project (local emulators or the deployed one), connect the client
// library, render the app. A failure here is shown on the page, never a blank screen.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { connect } from "@aichat/client";
import { App } from "./app/App";
import { loadConfig } from "./config";
import "./styles.css";

const container = document.getElementById("root");

async function start(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  const client = connect({
    firebaseConfig: config.firebase,
    ...(config.emulators
      ? {
          emulators: {
            host: config.emulators.auth.host,
            authPort: config.emulators.auth.port,
            firestorePort: config.emulators.firestore.port,
            functionsPort: config.emulators.functions.port,
            storagePort: config.emulators.storage.port,
          },
        }
      : {}),
  });
  createRoot(root).render(
    <StrictMode>
      <App backend={{ client, local: config.emulators !== null }} />
    </StrictMode>,
  );
}

if (container) {
  start(container).catch((error: unknown) => {
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.textContent = `The app could not start: ${error instanceof Error ? error.message : String(error)}`;
    container.replaceChildren(message);
  });
}
