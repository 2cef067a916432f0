// ENFORCE_APP_CHECK reaches every callable: with it set when the functions load, a callable
// request without an App Check token is refused before any handler runs. Requests go over
// real HTTP through firebase-functions' own callable handler, mounted on express with a JSON
// body parser as the Functions runtime mounts it.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appCheckEnforcedAtLoad } from "../../../functions/src/config";

/** The parts of express this test uses (the functions' own copy, which has no types here). */
interface ExpressApp {
  use(middleware: unknown): void;
  post(path: string, handler: Handler): void;
  listen(port: number, host: string): Server;
}
interface Express {
  (): ExpressApp;
  json(): unknown;
}
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const express = createRequire(import.meta.url)(
  "../../../functions/node_modules/express",
) as Express;

let origin = "";
let close: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  process.env.ENFORCE_APP_CHECK = "true";
  // What the Functions runtime provides; outside the emulators the test sets it.
  process.env.FIREBASE_CONFIG ??= JSON.stringify({
    projectId: "demo-aichat",
    storageBucket: "demo-aichat.appspot.com",
  });
  const exported: Record<string, unknown> = await import("../../../functions/src/index");
  const app = express();
  app.use(express.json());
  for (const name of ["getPaymentsConfig", "mediaStatus", "claimUsername"]) {
    const handler = exported[name];
    if (typeof handler !== "function") throw new Error(`${name} is not exported`);
    app.post(`/${name}`, handler as Handler);
  }
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  delete process.env.ENFORCE_APP_CHECK;
  await close();
});

async function call(name: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin}/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ data: {} }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("ENFORCE_APP_CHECK=true", () => {
  it("refuses a callable request that carries no App Check token, even for public callables", async () => {
    for (const name of ["getPaymentsConfig", "mediaStatus", "claimUsername"]) {
      expect(await call(name), name).toEqual({
        status: 401,
        body: { error: { message: "Unauthenticated", status: "UNAUTHENTICATED" } },
      });
    }
  });

  it("refuses a token App Check cannot verify", async () => {
    const refused = await call("getPaymentsConfig", { "X-Firebase-AppCheck": "not-a-token" });
    expect(refused.status).toBe(401);
  });
});

describe("appCheckEnforcedAtLoad", () => {
  it("is on only for ENFORCE_APP_CHECK=true; unset means the default, off", () => {
    expect(appCheckEnforcedAtLoad({})).toBe(false);
    expect(appCheckEnforcedAtLoad({ ENFORCE_APP_CHECK: "false" })).toBe(false);
    expect(appCheckEnforcedAtLoad({ ENFORCE_APP_CHECK: "1" })).toBe(false);
    expect(appCheckEnforcedAtLoad({ ENFORCE_APP_CHECK: "true" })).toBe(true);
  });
});
