// Declares the deployed functions: trigger, options and secrets. Each handler lives in its
// feature folder and is tested there; this file only wires them to Firebase.
import { setGlobalOptions } from "firebase-functions/v2";
import { onRequest } from "firebase-functions/v2/https";
import { handleHealth } from "./health/health";
import { OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET } from "./config";

setGlobalOptions({ region: "us-central1", maxInstances: 20 });

export const health = onRequest(
  { secrets: [OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET], cors: false },
  handleHealth,
);
