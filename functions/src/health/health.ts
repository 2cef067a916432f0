import type { Request } from "firebase-functions/v2/https";
import type { Response } from "express";
import { readSettings } from "../config";
import { describeFeatures } from "../shared/features";
import * as logger from "firebase-functions/logger";
import { adminAuth } from "../shared/firebase";
import { healthProbeQuery } from "./store";
import { httpStatusFor, summarizeHealth, variantForPath, type DependencyCheck } from "./summary";

const PROBE_TIMEOUT_MS = 5000;

async function probe(name: string, run: () => Promise<unknown>): Promise<DependencyCheck> {
  const started = Date.now();
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        ),
      ),
    ]);
    return { name, required: true, status: "ok", latencyMs: Date.now() - started };
  } catch (error) {
    logger.warn("health probe failed", { dependency: name, error: String(error) });
    return {
      name,
      required: true,
      status: "error",
      detail: `${name} is unreachable`,
      latencyMs: Date.now() - started,
    };
  }
}

export async function dependencyChecks(): Promise<DependencyCheck[]> {
  const features = describeFeatures(readSettings());
  const [firestore, auth] = await Promise.all([
    probe("firestore", () => healthProbeQuery().get()),
    probe("auth", () => adminAuth().listUsers(1)),
  ]);
  const optional = (["openai", "stripe", "storage"] as const).map((name): DependencyCheck => ({
    name,
    required: false,
    status: features[name].enabled ? "ok" : "disabled",
    ...(features[name].reason ? { detail: features[name].reason } : {}),
  }));
  return [firestore, auth, ...optional];
}

/** GET /health (detailed), /health/ready, /health/live. */
export async function handleHealth(req: Request, res: Response): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.status(405).set("Allow", "GET, HEAD").json({ error: "method not allowed" });
    return;
  }
  const variant = variantForPath(req.path);
  const checks =
    variant === "live"
      ? []
      : variant === "ready"
        ? (await dependencyChecks()).filter((check) => check.required)
        : await dependencyChecks();
  const report = summarizeHealth(variant, checks);
  res.status(httpStatusFor(report)).set("Cache-Control", "no-store").json(report);
}
