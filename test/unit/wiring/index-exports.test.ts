// functions/src/index.ts only wires handlers to triggers. These tests prove the wiring:
// every callable reaches a handler that refuses anonymous callers, and every trigger listens
// where its handler expects.
import { describe, expect, it } from "vitest";
import * as exported from "../../../functions/src/index";

/** Callables meant for signed-out clients too. */
const PUBLIC_CALLABLES = new Set(["getPaymentsConfig", "mediaStatus"]);

interface Endpoint {
  callableTrigger?: object;
  httpsTrigger?: object;
  eventTrigger?: {
    eventType: string;
    eventFilterPathPatterns?: Record<string, string>;
    eventFilters?: Record<string, string>;
  };
  scheduleTrigger?: { schedule: string };
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

describe("index.ts wiring", () => {
  it("exports only deployable functions", () => {
    for (const entry of entries) expect(entry.endpoint, entry.name).not.toBeNull();
    expect(callables.length).toBeGreaterThan(10);
  });

  for (const { name, value } of callables.filter((entry) => !PUBLIC_CALLABLES.has(entry.name))) {
    it(`${name} refuses an anonymous caller`, async () => {
      const run: unknown = Reflect.get(value as object, "run");
      expect(typeof run).toBe("function");
      const call = (run as (request: object) => Promise<unknown>)({
        data: {},
        rawRequest: {},
        acceptsStreaming: false,
      });
      await expect(call).rejects.toMatchObject({
        code: "unauthenticated",
        httpErrorCode: { status: 401 },
      });
    });
  }

  it("listens for new messages and profile writes where the handlers expect them", () => {
    const reply = endpointOf(exported.onMessageCreatedReply);
    expect(reply?.eventTrigger?.eventType).toBe("google.cloud.firestore.document.v1.created");
    expect(reply?.eventTrigger?.eventFilterPathPatterns?.document).toBe(
      "conversations/{convId}/messages/{messageId}",
    );
    const mirror = endpointOf(exported.onProfileWritten);
    expect(mirror?.eventTrigger?.eventFilterPathPatterns?.document).toBe("users/{uid}");
    expect(endpointOf(exported.sweepReplies)?.scheduleTrigger?.schedule).toBe("every 5 minutes");
    expect(endpointOf(exported.health)?.httpsTrigger).toBeDefined();
  });
});
