// npm start's local timer and `npm run fire` know every scheduled function index.ts deploys,
// with the schedule it deploys with.
import { describe, expect, it, vi } from "vitest";
import { SCHEDULED } from "../../../emulators/schedule.mjs";

vi.hoisted(() => {
  // Declaring the Storage trigger needs a default bucket (as in index-exports.test.ts).
  process.env.GCLOUD_PROJECT ??= "demo-aichat";
  process.env.FIREBASE_CONFIG ??= JSON.stringify({
    projectId: process.env.GCLOUD_PROJECT,
    storageBucket: `${process.env.GCLOUD_PROJECT}.appspot.com`,
  });
});

describe("the local schedule", () => {
  it("lists every scheduled function with its deployed schedule", async () => {
    const exported: Record<string, unknown> = await import("../../../functions/src/index");
    const deployed = Object.entries(exported)
      .map(([name, value]) => {
        const endpoint: unknown =
          typeof value === "function" || (typeof value === "object" && value !== null)
            ? Reflect.get(value, "__endpoint")
            : undefined;
        const schedule: unknown =
          typeof endpoint === "object" && endpoint !== null
            ? Reflect.get(endpoint, "scheduleTrigger")
            : undefined;
        return typeof schedule === "object" && schedule !== null
          ? { name, deployed: String(Reflect.get(schedule, "schedule")) }
          : null;
      })
      .filter((each) => each !== null)
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(deployed.length).toBeGreaterThanOrEqual(3);
    expect(
      SCHEDULED.map(({ name, deployed }) => ({ name, deployed })).sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    ).toEqual(deployed);
    // Locally each runs within a few minutes, never more often than every 30 s.
    for (const each of SCHEDULED) expect(each.localSeconds).toBeGreaterThanOrEqual(30);
  });
});
