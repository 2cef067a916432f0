// Runs once before the suite. The local doubles of OpenAI and Stripe are started here when
// the run has ports for them (inside `npm test`), so the functions emulator can reach them.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { startFakeOpenAI } from "../doubles/fake-openai";
import { startFakeStripe } from "../doubles/fake-stripe";
import { CALLABLE_ERRORS, REPLY_ERRORS } from "../../functions/src/contract/errors";
import { ERROR_CODES_SEEN_FILE } from "../helpers/error-codes";

export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  rmSync(ERROR_CODES_SEEN_FILE, { force: true });
  const openAiPort = Number(process.env.FAKE_OPENAI_PORT);
  if (openAiPort) {
    const openAi = await startFakeOpenAI(openAiPort);
    stops.push(() => openAi.stop());
  }
  const stripePort = Number(process.env.FAKE_STRIPE_PORT);
  if (stripePort) {
    // Its hosted checkout page (used by the browser tests) delivers signed events to the
    // functions' webhook, as Stripe would.
    const functionsOrigin = process.env.FUNCTIONS_EMULATOR_ORIGIN;
    const secret = process.env.STRIPE_WEBHOOK_SECRET;
    const stripe = await startFakeStripe(stripePort, {
      ...(functionsOrigin && secret
        ? {
            webhook: {
              url: `${functionsOrigin}/${process.env.GCLOUD_PROJECT}/us-central1/stripeWebhook`,
              secret,
            },
          }
        : {}),
    });
    stops.push(() => stripe.stop());
  }
  return async () => {
    for (const stop of stops) await stop();
    await saveRulesCoverage();
    reportErrorCodesSeen();
  };
}

/**
 * The Firestore emulator records which rules every request exercised. After the suite, its
 * coverage reports (the end-to-end project and the rules-matrix project) are saved under
 * coverage/.
 */
async function saveRulesCoverage(): Promise<void> {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  const projectId = process.env.GCLOUD_PROJECT;
  if (!host || !projectId) return;
  mkdirSync("coverage", { recursive: true });
  for (const [project, name] of [
    [projectId, "firestore-rules-e2e"],
    [`${projectId}-rules`, "firestore-rules-matrix"],
  ] as const) {
    const response = await fetch(
      `http://${host}/emulator/v1/projects/${project}:ruleCoverage.html`,
    ).catch(() => null);
    if (!response?.ok) continue;
    writeFileSync(`coverage/${name}.html`, await response.text());
    console.log(`Firestore rules coverage (${name}): coverage/${name}.html`);
  }
}

/** Which of the backend's error codes the end-to-end tests met (each was checked on the way). */
function reportErrorCodesSeen(): void {
  if (!existsSync(ERROR_CODES_SEEN_FILE)) return;
  const seen = new Set(readFileSync(ERROR_CODES_SEEN_FILE, "utf8").split("\n").filter(Boolean));
  const all = [
    ...Object.keys(REPLY_ERRORS).map((code) => `reply ${code}`),
    ...Object.keys(CALLABLE_ERRORS).map((code) => `callable ${code}`),
  ];
  const unseen = all.filter((code) => !seen.has(code));
  console.log(
    `Backend error codes met by the end-to-end tests: ${all.length - unseen.length} of ${all.length}` +
      (unseen.length ? ` (not met: ${unseen.join(", ")})` : ""),
  );
}
