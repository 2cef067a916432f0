// The contract lists every callable the functions deploy, with who may call it: the client
// library calls by these names, so a callable missing from either side, or an admin callable
// listed as open to users, fails here.
import { describe, expect, it } from "vitest";
import { CALLABLES, type CallableName } from "../../../functions/src/contract/callables";
import * as exported from "../../../functions/src/index";

function isCallable(value: unknown): boolean {
  if ((typeof value !== "function" && typeof value !== "object") || value === null) return false;
  const endpoint: unknown = Reflect.get(value, "__endpoint");
  return typeof endpoint === "object" && endpoint !== null && "callableTrigger" in endpoint;
}

const deployed = Object.entries(exported)
  .filter(([, value]) => isCallable(value))
  .map(([name]) => name)
  .sort();

function runAs(name: string, auth: object | undefined): Promise<unknown> {
  const callable: unknown = Reflect.get(exported, name);
  const run: unknown = Reflect.get(callable as object, "run");
  return (run as (request: object) => Promise<unknown>)({
    data: {},
    rawRequest: {},
    acceptsStreaming: false,
    ...(auth ? { auth } : {}),
  });
}

describe("the callables of the contract", () => {
  it("are exactly the callables index.ts deploys", () => {
    expect(Object.keys(CALLABLES).sort()).toEqual(deployed);
  });

  const admins = (Object.keys(CALLABLES) as CallableName[]).filter(
    (name) => CALLABLES[name].access === "admin",
  );
  for (const name of admins) {
    it(`${name} is listed as admin-only and refuses a signed-in user who is not an admin`, async () => {
      await expect(
        runAs(name, { uid: "not-an-admin", token: { uid: "not-an-admin" } }),
      ).rejects.toMatchObject({ code: "permission-denied", details: { reason: "admin_only" } });
    });
  }
});
