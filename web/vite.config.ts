import react from "@vitejs/plugin-react";
import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vite";

// The app is served by Firebase Hosting (firebase.json `hosting.public` is web/dist). In
// `npm run dev` the Vite server (hot reload) talks to the emulators of a running `npm start`,
// at the ports firebase.json gives them.
function localStackForDev(): Plugin {
  return {
    name: "aichat-local-stack",
    configureServer(server) {
      server.middlewares.use("/local-stack.json", (_request, response) => {
        const firebase = JSON.parse(
          readFileSync(new URL("../firebase.json", import.meta.url), "utf8"),
        ) as { emulators: Record<string, { host: string; port: number }> };
        const pick = (name: string) => ({
          host: firebase.emulators[name]?.host ?? "127.0.0.1",
          port: firebase.emulators[name]?.port ?? 0,
        });
        response.setHeader("Content-Type", "application/json");
        response.end(
          JSON.stringify({
            projectId: "demo-aichat",
            emulators: {
              auth: pick("auth"),
              firestore: pick("firestore"),
              functions: pick("functions"),
              storage: pick("storage"),
            },
          }),
        );
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), localStackForDev()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Hosting serves the files with a strict CSP: no inline scripts or styles.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    // Most of the main chunk is the Firebase SDK (Auth, Firestore, Functions, Storage); the
    // admin screens are split off. The gzip size is what the closing figures report.
    chunkSizeWarningLimit: 1500,
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
});
