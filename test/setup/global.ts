// Runs once before the suite. The local doubles of OpenAI and Stripe are started here when
// the run has ports for them (inside `npm test`), so the functions emulator can reach them.
import type { TestProject } from "vitest/node";
import { startFakeOpenAI } from "../doubles/fake-openai";
import { startFakeStripe } from "../doubles/fake-stripe";

export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  const openAiPort = Number(process.env.FAKE_OPENAI_PORT);
  if (openAiPort) {
    const openAi = await startFakeOpenAI(openAiPort);
    stops.push(() => openAi.stop());
  }
  const stripePort = Number(process.env.FAKE_STRIPE_PORT);
  if (stripePort) {
    const stripe = await startFakeStripe(stripePort);
    stops.push(() => stripe.stop());
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}
