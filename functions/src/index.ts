// Declares the deployed functions: trigger, options and secrets. Each handler lives in its
// feature folder and is tested there; this file only wires them to Firebase.
import { setGlobalOptions } from "firebase-functions/v2";
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall, onRequest } from "firebase-functions/v2/https";
import * as v1 from "firebase-functions/v1";
import { OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET } from "./config";
import { handleHealth } from "./health/health";
import * as accounts from "./identity/accounts";
import * as adminUsers from "./identity/admin";
import { mirrorPublicProfile } from "./identity/mirror";

const REGION = "us-central1";
setGlobalOptions({ region: REGION, maxInstances: 20 });

// ---- operations ----
export const health = onRequest(
  { secrets: [OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET] },
  handleHealth,
);

// ---- identity ----
// Auth triggers are only offered by the v1 API (blocking functions would need Identity
// Platform).
export const onUserCreated = v1.region(REGION).auth.user().onCreate(accounts.onUserCreated);
export const onUserDeleted = v1.region(REGION).auth.user().onDelete(accounts.onUserDeleted);
export const onProfileWritten = onDocumentWritten("users/{uid}", (event) =>
  mirrorPublicProfile(event.params.uid),
);
export const claimUsername = onCall(accounts.claimUsername);
export const renameUsername = onCall(accounts.renameUsername);
export const checkUsername = onCall(accounts.checkUsername);
export const deactivateAccount = onCall(accounts.deactivateAccount);
export const reactivateAccount = onCall(accounts.reactivateAccount);
export const deleteAccount = onCall({ timeoutSeconds: 540, memory: "512MiB" }, accounts.deleteAccount);
export const setUserRole = onCall(adminUsers.setUserRole);
export const setPremium = onCall(adminUsers.setPremium);
