#!/usr/bin/env node
// Scheduled functions in a local stack. The Functions emulator loads them (beside the Pub/Sub
// emulator) but runs none on a clock, and firebase-tools 14.18 cannot deliver a Pub/Sub
// message to a 2nd-gen scheduled function. So a local run does what Cloud Scheduler does in
// production: an HTTP POST to the function.
//
//   npm run fire -- rollupStats            run one now, against `npm start`'s stack
//   npm run fire -- --list                 the scheduled functions and their local timers
//
// `npm start` also runs each on the short timer below (AICHAT_LOCAL_SCHEDULE=0 turns it off).
import { fileURLToPath } from "node:url";

/** Every scheduled function, how often it runs when deployed, and how often locally. */
export const SCHEDULED = [
  { name: "sweepReplies", deployed: "every 5 minutes", localSeconds: 60 },
  { name: "rollupStats", deployed: "every 10 minutes", localSeconds: 60 },
  { name: "notifyPremiumExpiry", deployed: "every 15 minutes", localSeconds: 120 },
];

/**
 * The emulator's endpoint of a scheduled function is `<name>-<generation>` (the generation
 * goes up when the emulator reloads its triggers); a request by the bare name answers 404
 * listing every current endpoint.
 */
async function endpointOf(origin, projectId, name) {
  const listing = await (await fetch(`${origin}/${projectId}/us-central1/${name}`)).text();
  const generations = [...listing.matchAll(new RegExp(`us-central1-${name}-(\\d+)`, "g"))].map(
    (match) => Number(match[1]),
  );
  if (generations.length === 0) throw new Error(`the emulator has no scheduled function ${name}`);
  return `${origin}/${projectId}/us-central1/${name}-${Math.max(...generations)}`;
}

/** Runs one scheduled function and resolves when it has finished. */
export async function fireScheduled({ origin, projectId, name }) {
  const response = await fetch(await endpointOf(origin, projectId, name), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-cloudscheduler-jobname": `local-${name}`,
      "x-cloudscheduler-scheduletime": new Date().toISOString(),
    },
    body: "{}",
  });
  if (response.status !== 200) {
    throw new Error(`${name} answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * Runs every scheduled function on its local timer (the next run of one starts after its
 * previous run has ended); returns a function that stops them.
 */
export function startLocalSchedule({ origin, projectId, log = console.log }) {
  let stopped = false;
  const timers = new Map();
  const plan = ({ name, localSeconds }) => {
    timers.set(
      name,
      setTimeout(() => {
        fireScheduled({ origin, projectId, name })
          .catch((error) => log(`Scheduled ${name} failed: ${error.message}`))
          .finally(() => {
            if (!stopped) plan({ name, localSeconds });
          });
      }, localSeconds * 1000),
    );
  };
  SCHEDULED.forEach(plan);
  return () => {
    stopped = true;
    for (const timer of timers.values()) clearTimeout(timer);
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name] = process.argv.slice(2);
  const projectId = process.env.AICHAT_PROJECT_ID ?? "demo-aichat";
  const origin = process.env.FUNCTIONS_EMULATOR_ORIGIN ?? "http://127.0.0.1:5001";
  if (!name || name === "--list") {
    for (const each of SCHEDULED)
      console.log(
        `${each.name.padEnd(22)} ${each.deployed.padEnd(18)} locally every ${each.localSeconds} s`,
      );
    process.exit(name ? 0 : 2);
  }
  if (!SCHEDULED.some((each) => each.name === name)) {
    console.error(`${name} is not a scheduled function; try --list`);
    process.exit(2);
  }
  const started = Date.now();
  await fireScheduled({ origin, projectId, name });
  console.log(`${name} ran in ${Date.now() - started} ms`);
}
