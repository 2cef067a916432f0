import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global.ts"],
    // Emulator tests share one Firestore and clear it between tests, so files run one
    // after another; the machine has two cores and the emulators use them.
    fileParallelism: false,
    // Generous: a test makes several callable and trigger round trips through the emulators,
    // each of which can take seconds on a busy 2-core machine (a cold function worker).
    testTimeout: 90_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/setup/summary-reporter.ts"],
  },
});
