// Decisions behind the `health` function. Pure: no Firebase imports.

export type CheckStatus = "ok" | "disabled" | "error";

export interface DependencyCheck {
  name: string;
  /** A required dependency that fails makes the service not ready. */
  required: boolean;
  status: CheckStatus;
  detail?: string;
  latencyMs?: number;
}

export type HealthVariant = "live" | "ready" | "detailed";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  variant: HealthVariant;
  checks: DependencyCheck[];
}

/** `/live` and `/ready` as in the spec; anything else is the detailed report. */
export function variantForPath(path: string): HealthVariant {
  const last = path.replace(/\/+$/, "").split("/").pop() ?? "";
  if (last === "live") return "live";
  if (last === "ready") return "ready";
  return "detailed";
}

export function summarizeHealth(variant: HealthVariant, checks: DependencyCheck[]): HealthReport {
  const requiredFailing = checks.some((check) => check.required && check.status !== "ok");
  const optionalFailing = checks.some((check) => !check.required && check.status !== "ok");
  const status = requiredFailing ? "down" : optionalFailing ? "degraded" : "ok";
  return { status, variant, checks };
}

/** Degraded still serves traffic; only a required dependency failing answers 503. */
export function httpStatusFor(report: HealthReport): number {
  return report.status === "down" ? 503 : 200;
}
