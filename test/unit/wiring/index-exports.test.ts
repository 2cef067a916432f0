// functions/src/index.ts only wires handlers to triggers. These tests prove the wiring: every
// export calls the handler it is meant to (with what its trigger delivers), importing the file
// loads no handler module (each one is imported on its function's first call), every callable
// reaches a handler that refuses anonymous callers, and every trigger listens where its handler
// expects.
//
// Each handler module is replaced by a recording copy: its functions note the call and return
// a marker, or, for the tests that need the real behaviour, call through to the original.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as exported from "../../../functions/src/index";

const recorder = vi.hoisted(() => {
  // Declaring the Storage trigger needs a default bucket, which the emulators' environment
  // gives; without them, a demo project's.
  process.env.GCLOUD_PROJECT ??= "demo-aichat";
  process.env.FIREBASE_CONFIG ??= JSON.stringify({
    projectId: process.env.GCLOUD_PROJECT,
    storageBucket: `${process.env.GCLOUD_PROJECT}.appspot.com`,
  });
  const calls: Array<{ handler: string; args: unknown[] }> = [];
  const loaded = new Set<string>();
  const state = { passThrough: false };
  const RESULT = { marker: "the handler's result" };
  function recording<M extends object>(name: string, original: M): M {
    loaded.add(name);
    const copy: Record<string, unknown> = Object.fromEntries(Object.entries(original));
    for (const [key, value] of Object.entries(original)) {
      // Functions only; classes (capitalised) stay as they are, so `instanceof` still works.
      if (typeof value !== "function" || /^[A-Z]/.test(key)) continue;
      copy[key] = (...args: unknown[]) => {
        calls.push({ handler: `${name}#${key}`, args });
        return state.passThrough ? value(...args) : RESULT;
      };
    }
    return copy as M;
  }
  return { calls, loaded, state, RESULT, recording };
});

vi.mock("../../../functions/src/health/health", async (original) =>
  recorder.recording("health/health", await original()),
);
vi.mock("../../../functions/src/identity/accounts", async (original) =>
  recorder.recording("identity/accounts", await original()),
);
vi.mock("../../../functions/src/identity/admin", async (original) =>
  recorder.recording("identity/admin", await original()),
);
vi.mock("../../../functions/src/identity/mirror", async (original) =>
  recorder.recording("identity/mirror", await original()),
);
vi.mock("../../../functions/src/chat/callables", async (original) =>
  recorder.recording("chat/callables", await original()),
);
vi.mock("../../../functions/src/chat/regenerate", async (original) =>
  recorder.recording("chat/regenerate", await original()),
);
vi.mock("../../../functions/src/chat/ai-callables", async (original) =>
  recorder.recording("chat/ai-callables", await original()),
);
vi.mock("../../../functions/src/chat/pipeline-status", async (original) =>
  recorder.recording("chat/pipeline-status", await original()),
);
vi.mock("../../../functions/src/chat/on-message", async (original) =>
  recorder.recording("chat/on-message", await original()),
);
vi.mock("../../../functions/src/chat/dispatch", async (original) =>
  recorder.recording("chat/dispatch", await original()),
);
vi.mock("../../../functions/src/chat/sweep", async (original) =>
  recorder.recording("chat/sweep", await original()),
);
vi.mock("../../../functions/src/limits/callables", async (original) =>
  recorder.recording("limits/callables", await original()),
);
vi.mock("../../../functions/src/payments/checkout", async (original) =>
  recorder.recording("payments/checkout", await original()),
);
vi.mock("../../../functions/src/payments/webhook", async (original) =>
  recorder.recording("payments/webhook", await original()),
);
vi.mock("../../../functions/src/characters/admin", async (original) =>
  recorder.recording("characters/admin", await original()),
);
vi.mock("../../../functions/src/characters/gallery", async (original) =>
  recorder.recording("characters/gallery", await original()),
);
vi.mock("../../../functions/src/characters/ratings", async (original) =>
  recorder.recording("characters/ratings", await original()),
);
vi.mock("../../../functions/src/characters/rollup", async (original) =>
  recorder.recording("characters/rollup", await original()),
);
vi.mock("../../../functions/src/media/callables", async (original) =>
  recorder.recording("media/callables", await original()),
);
vi.mock("../../../functions/src/media/on-upload", async (original) =>
  recorder.recording("media/on-upload", await original()),
);
vi.mock("../../../functions/src/characters/follows", async (original) =>
  recorder.recording("characters/follows", await original()),
);
vi.mock("../../../functions/src/notifications/announcements", async (original) =>
  recorder.recording("notifications/announcements", await original()),
);
vi.mock("../../../functions/src/notifications/fanout", async (original) =>
  recorder.recording("notifications/fanout", await original()),
);
vi.mock("../../../functions/src/notifications/read-state", async (original) =>
  recorder.recording("notifications/read-state", await original()),
);
vi.mock("../../../functions/src/notifications/expiry", async (original) =>
  recorder.recording("notifications/expiry", await original()),
);

// Taken before any test calls a function: what importing index.ts alone loaded.
const loadedAtImport = [...recorder.loaded];

/** One event that carries what every event trigger reads. */
const EVENT = {
  id: "event-1",
  params: {
    uid: "u1",
    convId: "u1_c1",
    messageId: "m1",
    characterId: "c1",
    itemId: "i1",
    jobId: "j1",
    notificationId: "n1",
  },
  data: {
    data: () => ({ role: "user", text: "hello" }),
    before: { data: () => ({ stars: 2 }) },
    after: { data: () => ({ stars: 5 }) },
    name: "user-content/u1/photo.jpg",
  },
};

interface Wire {
  /** "<feature>/<module>#<function>" */
  handler: string;
  /** The arguments the handler receives; by default, exactly what the trigger delivered. */
  args?: unknown[];
}

const WIRING: Record<string, Wire> = {
  health: { handler: "health/health#handleHealth" },
  onUserCreated: { handler: "identity/accounts#onUserCreated" },
  onUserDeleted: { handler: "identity/accounts#onUserDeleted" },
  onProfileWritten: { handler: "identity/mirror#mirrorPublicProfile", args: ["u1"] },
  claimUsername: { handler: "identity/accounts#claimUsername" },
  renameUsername: { handler: "identity/accounts#renameUsername" },
  checkUsername: { handler: "identity/accounts#checkUsername" },
  deactivateAccount: { handler: "identity/accounts#deactivateAccount" },
  reactivateAccount: { handler: "identity/accounts#reactivateAccount" },
  deleteAccount: { handler: "identity/accounts#deleteAccount" },
  setUserRole: { handler: "identity/admin#setUserRole" },
  setPremium: { handler: "identity/admin#setPremium" },
  setRateLimitExempt: { handler: "identity/admin#setRateLimitExempt" },
  onMessageCreatedReply: {
    handler: "chat/on-message#onMessageCreated",
    args: [{ convId: "u1_c1", messageId: "m1", data: { role: "user", text: "hello" } }],
  },
  dispatchReply: { handler: "chat/dispatch#dispatchReply" },
  sweepReplies: { handler: "chat/sweep#sweepStaleReplies", args: [] },
  startConversation: { handler: "chat/callables#startConversation" },
  stopReply: { handler: "chat/callables#stopReply" },
  regenerateReply: { handler: "chat/regenerate#regenerateReply" },
  selectReplyVersion: { handler: "chat/callables#selectReplyVersion" },
  deleteConversation: { handler: "chat/callables#deleteConversation" },
  searchMessages: { handler: "chat/callables#searchMessages" },
  conversationStats: { handler: "chat/callables#conversationStats" },
  getUsage: { handler: "limits/callables#getUsage" },
  aiStatus: { handler: "chat/ai-callables#aiStatus" },
  listModels: { handler: "chat/ai-callables#listModels" },
  estimateCost: { handler: "chat/ai-callables#estimateCost" },
  testGeneration: { handler: "chat/ai-callables#testGeneration" },
  aiUsageStats: { handler: "chat/ai-callables#aiUsageStats" },
  replyPipelineStatus: { handler: "chat/pipeline-status#replyPipelineStatus" },
  getPaymentsConfig: { handler: "payments/checkout#getPaymentsConfig" },
  createCheckoutSession: { handler: "payments/checkout#createCheckoutSession" },
  createPortalSession: { handler: "payments/checkout#createPortalSession" },
  verifyCheckoutSession: { handler: "payments/checkout#verifyCheckoutSession" },
  stripeWebhook: { handler: "payments/webhook#handleStripeWebhook" },
  createCharacter: { handler: "characters/admin#createCharacter" },
  updateCharacter: { handler: "characters/admin#updateCharacter" },
  updateAiSettings: { handler: "characters/admin#updateAiSettings" },
  setCharacterPublished: { handler: "characters/admin#setCharacterPublished" },
  deleteCharacter: { handler: "characters/admin#deleteCharacter" },
  importCharacterCard: { handler: "characters/admin#importCharacterCard" },
  exportCharacterCard: { handler: "characters/admin#exportCharacterCard" },
  addGalleryItem: { handler: "characters/gallery#addGalleryItem" },
  removeGalleryItem: { handler: "characters/gallery#removeGalleryItem" },
  refreshCharacterStats: { handler: "characters/rollup#refreshCharacterStats" },
  onGalleryView: {
    handler: "characters/gallery#countGalleryView",
    args: [{ eventId: "event-1", characterId: "c1", itemId: "i1" }],
  },
  onRatingWritten: {
    handler: "characters/ratings#applyRatingEvent",
    args: [{ eventId: "event-1", characterId: "c1", before: { stars: 2 }, after: { stars: 5 } }],
  },
  rollupStats: { handler: "characters/rollup#rollupRecentStats", args: [] },
  onMediaUploaded: { handler: "media/on-upload#onMediaUploaded", args: [EVENT.data] },
  mediaStatus: { handler: "media/callables#mediaStatus" },
  uploadLimits: { handler: "media/callables#uploadLimits" },
  listMyMedia: { handler: "media/callables#listMyMedia" },
  deleteMedia: { handler: "media/callables#deleteMedia" },
  getSignedUrl: { handler: "media/callables#getSignedUrl" },
  onFollowWritten: {
    handler: "characters/follows#applyFollowEvent",
    args: [{ eventId: "event-1", characterId: "c1", before: { stars: 2 }, after: { stars: 5 } }],
  },
  sendAnnouncement: { handler: "notifications/announcements#sendAnnouncement" },
  markAllNotificationsRead: { handler: "notifications/read-state#markAllNotificationsRead" },
  onNotificationRead: {
    handler: "notifications/read-state#countNotificationRead",
    args: [{ eventId: "event-1", uid: "u1", before: { stars: 2 }, after: { stars: 5 } }],
  },
  onNotificationJobWritten: {
    handler: "notifications/fanout#continueFanout",
    args: [{ jobId: "j1", after: { stars: 5 } }],
  },
  notifyPremiumExpiry: { handler: "notifications/expiry#notifyPremiumExpiry", args: [] },
};

/** Callables meant for signed-out clients too. */
const PUBLIC_CALLABLES = new Set(["getPaymentsConfig", "mediaStatus"]);

interface Endpoint {
  platform?: string;
  callableTrigger?: object;
  httpsTrigger?: object;
  eventTrigger?: {
    eventType: string;
    eventFilterPathPatterns?: Record<string, string>;
    eventFilters?: Record<string, string>;
  };
  scheduleTrigger?: { schedule: string };
  taskQueueTrigger?: { rateLimits?: object; retryConfig?: object };
  blockingTrigger?: object;
}

function endpointOf(value: unknown): Endpoint | null {
  if ((typeof value !== "function" && typeof value !== "object") || value === null) return null;
  const endpoint: unknown = Reflect.get(value, "__endpoint");
  return endpoint && typeof endpoint === "object" ? endpoint : null;
}

const entries = Object.entries(exported).map(([name, value]) => ({
  name,
  value,
  endpoint: endpointOf(value),
}));
const callables = entries.filter((entry) => entry.endpoint?.callableTrigger);

type Run = (...args: unknown[]) => Promise<unknown>;
function runOf(value: unknown): Run {
  const run: unknown = Reflect.get(value as object, "run");
  if (typeof run !== "function") throw new Error("export without a run function");
  return run as Run;
}

/** Calls an export the way its trigger would; returns what it delivered and the result. */
async function trigger(
  value: unknown,
  endpoint: Endpoint,
): Promise<{ delivered: unknown[]; result: unknown }> {
  if (endpoint.callableTrigger) {
    const request = {
      data: { probe: true },
      auth: { uid: "u1", token: {} },
      rawRequest: { headers: {} },
      acceptsStreaming: false,
    };
    return { delivered: [request], result: await runOf(value)(request) };
  }
  if (endpoint.httpsTrigger) {
    const request = { method: "GET", path: "/", headers: {} };
    const response = {};
    return { delivered: [request, response], result: await (value as Run)(request, response) };
  }
  if (endpoint.platform === "gcfv1") {
    const user = { uid: "u1", email: "u1@example.test" };
    const context = { eventId: "event-1" };
    return { delivered: [user, context], result: await runOf(value)(user, context) };
  }
  return { delivered: [EVENT], result: await runOf(value)(EVENT) };
}

beforeEach(() => {
  recorder.calls.length = 0;
  recorder.state.passThrough = false;
});

describe("index.ts wiring", () => {
  it("exports only deployable functions, each with a wiring expectation here", () => {
    for (const entry of entries) expect(entry.endpoint, entry.name).not.toBeNull();
    expect(callables.length).toBeGreaterThan(10);
    expect(entries.map((entry) => entry.name).sort()).toEqual(Object.keys(WIRING).sort());
  });

  it("loads no handler module when the file is imported", () => {
    expect(loadedAtImport).toEqual([]);
  });

  it("imports only trigger builders, the params and the lazy loader at load", () => {
    const source = readFileSync(join(__dirname, "../../../functions/src/index.ts"), "utf8");
    const imports = [...source.matchAll(/^import\s+(type\s+)?(?:[^;]*?\s+from\s+)?"([^"]+)";/gms)]
      .filter((match) => !match[1])
      .map((match) => match[2]);
    expect(imports.length).toBeGreaterThan(3);
    for (const specifier of imports) {
      // The v1 and v2 roots load every provider: only subpaths are allowed.
      expect(specifier).toMatch(
        /^(firebase-functions\/v[12]\/[a-z]+|\.\/config|\.\/shared\/lazy)$/,
      );
    }
  });

  for (const { name, value, endpoint } of entries) {
    it(`${name} calls ${WIRING[name]?.handler ?? "its handler"} with what its trigger delivers`, async () => {
      const wire = WIRING[name];
      expect(wire, `no wiring expectation for ${name}`).toBeDefined();
      if (!wire || !endpoint) return;
      const { delivered, result } = await trigger(value, endpoint);
      expect(recorder.calls.map((call) => call.handler)).toEqual([wire.handler]);
      const received = recorder.calls[0]?.args ?? [];
      if (wire.args) {
        expect(received).toEqual(wire.args);
      } else {
        // The very objects the trigger delivered, passed on untouched.
        expect(received.length).toBeGreaterThanOrEqual(1);
        received.forEach((arg, index) => expect(arg).toBe(delivered[index]));
        // Callables and v1 triggers answer with the handler's result.
        if (endpoint.callableTrigger) expect(result).toBe(recorder.RESULT);
      }
    });
  }

  for (const { name, value } of callables.filter((entry) => !PUBLIC_CALLABLES.has(entry.name))) {
    it(`${name} refuses an anonymous caller`, async () => {
      recorder.state.passThrough = true;
      const call = runOf(value)({ data: {}, rawRequest: {}, acceptsStreaming: false });
      await expect(call).rejects.toMatchObject({
        code: "unauthenticated",
        httpErrorCode: { status: 401 },
      });
    });
  }

  it("listens for new messages, profile writes and Auth users where the handlers expect them", () => {
    const reply = endpointOf(exported.onMessageCreatedReply);
    expect(reply?.eventTrigger?.eventType).toBe("google.cloud.firestore.document.v1.created");
    expect(reply?.eventTrigger?.eventFilterPathPatterns?.document).toBe(
      "conversations/{convId}/messages/{messageId}",
    );
    const mirror = endpointOf(exported.onProfileWritten);
    expect(mirror?.eventTrigger?.eventFilterPathPatterns?.document).toBe("users/{uid}");
    expect(endpointOf(exported.sweepReplies)?.scheduleTrigger?.schedule).toBe("every 5 minutes");
    const queue = endpointOf(exported.dispatchReply)?.taskQueueTrigger;
    expect(queue?.rateLimits).toBeDefined();
    expect(queue?.retryConfig).toBeDefined();
    expect(endpointOf(exported.health)?.httpsTrigger).toBeDefined();
    expect(endpointOf(exported.onUserCreated)?.eventTrigger?.eventType).toBe(
      "providers/firebase.auth/eventTypes/user.create",
    );
    expect(endpointOf(exported.onUserDeleted)?.eventTrigger?.eventType).toBe(
      "providers/firebase.auth/eventTypes/user.delete",
    );
    expect(
      endpointOf(exported.onFollowWritten)?.eventTrigger?.eventFilterPathPatterns?.document,
    ).toBe("users/{uid}/following/{characterId}");
    const read = endpointOf(exported.onNotificationRead);
    expect(read?.eventTrigger?.eventType).toBe("google.cloud.firestore.document.v1.updated");
    expect(read?.eventTrigger?.eventFilterPathPatterns?.document).toBe(
      "users/{uid}/notifications/{notificationId}",
    );
    expect(
      endpointOf(exported.onNotificationJobWritten)?.eventTrigger?.eventFilterPathPatterns
        ?.document,
    ).toBe("notificationJobs/{jobId}");
  });
});
