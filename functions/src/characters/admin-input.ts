// The decisions the character admin callables make before touching the database: ids from
// names, partial updates merged and re-validated, audit summaries. Their input schemas are in
// contract/characters.ts. Pure: zod only.
import { Buffer } from "node:buffer";
import { z } from "zod";
import type { AiSettings, CharacterProfile } from "../contract/characters";

/** A slug from a display name: `Luna Stargazer!` -> `luna-stargazer`. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug.length >= 2 ? slug : `character${slug ? `-${slug}` : ""}`;
}

/**
 * Ids to try, in order, when the admin gave none: the slug, then numbered variants, then one
 * with a random suffix (`random` is injected so tests are deterministic).
 */
export function idCandidates(name: string, random: () => string): string[] {
  const base = slugFromName(name);
  return [base, `${base}-2`, `${base}-3`, `${base}-${random()}`];
}

/** The raw objects the caller sent, to know which keys a patch names. */
const rawPatchSchema = z.object({
  profile: z.record(z.string(), z.unknown()).optional(),
  ai: z.record(z.string(), z.unknown()).optional(),
});

export interface RawPatch {
  profile?: Record<string, unknown> | undefined;
  ai?: Record<string, unknown> | undefined;
}

/** Call only after the input passed its schema. */
export function rawPatch(data: unknown): RawPatch {
  const parsed = rawPatchSchema.safeParse(data);
  return parsed.success ? parsed.data : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The stored profile with the patch's keys replaced. `personality` is merged one level
 * deeper, so `{ personality: { humor: 8 } }` keeps the traits. Returns the merged profile
 * still to be validated (the caller validates it so errors name `profile.<field>`).
 */
export function mergeProfile(
  stored: CharacterProfile,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored, ...patch };
  const personality = patch.personality;
  if (isRecord(personality)) merged.personality = { ...stored.personality, ...personality };
  return merged;
}

/** The stored AI settings with the patch's keys replaced (arrays and maps replaced whole). */
export function mergeAi(
  stored: AiSettings,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  return { ...stored, ...patch };
}

// ---- audit ----------------------------------------------------------------------------

export type AuditValue = string | number | boolean | null;

export interface AuditChanges {
  /** Changed fields, e.g. `profile.name`, `ai.temperature`. */
  fields: string[];
  before: Record<string, AuditValue>;
  after: Record<string, AuditValue>;
}

const AUDIT_TEXT_LIMIT = 200;

/** Short scalars are recorded as they are; long text and structures only as a summary. */
export function auditValue(value: unknown): AuditValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") {
    return value.length <= AUDIT_TEXT_LIMIT
      ? value
      : `${value.slice(0, AUDIT_TEXT_LIMIT)}… (${value.length} chars)`;
  }
  if (Array.isArray(value)) return `(list of ${value.length})`;
  return "(object)";
}

/** JSON with object keys sorted, so key order never reads as a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * What changed between two versions of an object, for the audit log. Entries stay small
 * whatever the settings hold (a knowledge base can be megabytes), so a log entry always fits.
 */
export function auditChanges(prefix: string, before: object, after: object): AuditChanges {
  const beforeMap = new Map<string, unknown>(Object.entries(before));
  const afterMap = new Map<string, unknown>(Object.entries(after));
  const keys = [...new Set([...beforeMap.keys(), ...afterMap.keys()])].sort();
  const changes: AuditChanges = { fields: [], before: {}, after: {} };
  for (const key of keys) {
    const was = beforeMap.get(key);
    const now = afterMap.get(key);
    if (sameValue(was, now)) continue;
    const field = `${prefix}.${key}`;
    changes.fields.push(field);
    changes.before[field] = auditValue(was);
    changes.after[field] = auditValue(now);
  }
  return changes;
}

export function combineChanges(...parts: AuditChanges[]): AuditChanges {
  const combined: AuditChanges = { fields: [], before: {}, after: {} };
  for (const part of parts) {
    combined.fields.push(...part.fields);
    combined.before = { ...combined.before, ...part.before };
    combined.after = { ...combined.after, ...part.after };
  }
  return combined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 to bytes (a `data:` URL prefix and line breaks are tolerated); null if malformed. */
export function decodeBase64Bytes(text: string): Uint8Array | null {
  const compact = text.replace(/^data:[^,]*;base64,/, "").replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(compact, "base64"));
}
