import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app is served by Firebase Hosting (firebase.json `hosting.public` is web/dist). In
// `npm run dev` the Vite server talks to the emulators of a running `npm start`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Hosting serves the files with a strict CSP: no inline scripts or styles.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
});
