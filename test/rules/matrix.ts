// The rules test matrix: for every collection, every actor and every operation, an explicit
// expected allow or deny.
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import type { Firestore, Query } from "firebase/firestore";
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  limit,
  query,
  setDoc,
  Timestamp,
  updateDoc,
  writeBatch,
} from "firebase/firestore";
import { readFileSync } from "node:fs";
import { emulatorEnv } from "../helpers/env";

export const ACTORS = [
  "anonymous",
  "stranger",
  "owner",
  "premiumOwner",
  "deactivatedOwner",
  "admin",
] as const;
export type Actor = (typeof ACTORS)[number];
export const OPERATIONS = ["get", "list", "create", "update", "delete"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The uid each actor signs in with; anonymous has none. */
export const ACTOR_UID: Record<Actor, string | null> = {
  anonymous: null,
  stranger: "stranger",
  owner: "owner",
  premiumOwner: "premium-owner",
  deactivatedOwner: "deactivated-owner",
  admin: "admin",
};

/** Owner-like actors act on their own documents; the others on the plain owner's. */
export function targetUid(actor: Actor): string {
  if (actor === "premiumOwner") return "premium-owner";
  if (actor === "deactivatedOwner") return "deactivated-owner";
  return "owner";
}

export type Data = Record<string, unknown>;

export interface CollectionCase {
  name: string;
  /** The `match` block of firestore.rules this case exercises, as written there (nested
   * blocks joined): `/characters/{characterId}/ratings/{uid}`. */
  match: string;
  /** An existing document of `uid` (read, update, delete target). */
  existingPath(uid: string): string;
  /** A path with nothing yet, where `uid` would create. */
  newPath(uid: string): string;
  /** What is stored at existingPath before each case. */
  existing(uid: string): Data;
  /** A payload the owner would try to create. */
  create(uid: string): Data;
  /** A field change the owner would try. */
  update(uid: string): Data;
  /** The list query a client would run. */
  list(db: Firestore, uid: string): Query;
  expect: Record<Actor, Partial<Record<Operation, boolean>>>;
  /** Extra documents the case needs (character, gallery item...). */
  fixtures?(uid: string): Record<string, Data>;
}

const FAR_FUTURE = Timestamp.fromDate(new Date("2099-01-01T00:00:00Z"));

function profile(uid: string, extra: Data = {}): Data {
  return {
    uid,
    email: `${uid}@example.test`,
    username: null,
    displayName: uid,
    bio: "",
    avatarPath: null,
    preferences: {},
    role: uid === "admin" ? "admin" : "user",
    premiumUntil: uid === "premium-owner" ? FAR_FUTURE : null,
    deactivated: uid === "deactivated-owner",
    createdAt: Timestamp.fromMillis(0),
    updatedAt: Timestamp.fromMillis(0),
    ...extra,
  };
}

export async function rulesEnvironment(): Promise<RulesTestEnvironment> {
  const env = emulatorEnv();
  const [host, port] = env.firestoreHost.split(":");
  return initializeTestEnvironment({
    // A project of its own: the functions emulator's triggers listen to the main project
    // only, so rules cases run without triggers writing behind them.
    projectId: `${env.projectId}-rules`,
    firestore: {
      rules: readFileSync(new URL("../../firestore.rules", import.meta.url), "utf8"),
      host: host ?? "127.0.0.1",
      port: Number(port),
    },
  });
}

const PROFILE_UIDS = ["owner", "premium-owner", "deactivated-owner", "admin", "stranger"];

/**
 * rules-unit-testing hands out the compat Firestore type; at run time it is the same
 * instance the modular functions accept.
 */
export function modular(context: RulesTestContext): Firestore {
  return context.firestore() as unknown as Firestore;
}

function contextFor(testEnv: RulesTestEnvironment, actor: Actor): Firestore {
  const uid = ACTOR_UID[actor];
  if (uid === null) return modular(testEnv.unauthenticatedContext());
  return modular(testEnv.authenticatedContext(uid, actor === "admin" ? { admin: true } : {}));
}

async function attempt(
  db: Firestore,
  spec: CollectionCase,
  op: Operation,
  uid: string,
): Promise<unknown> {
  switch (op) {
    case "get":
      return getDoc(doc(db, spec.existingPath(uid)));
    case "list":
      return getDocs(query(spec.list(db, uid), limit(10)));
    case "create":
      return setDoc(doc(db, spec.newPath(uid)), spec.create(uid));
    case "update":
      return updateDoc(doc(db, spec.existingPath(uid)), spec.update(uid));
    case "delete":
      return deleteDoc(doc(db, spec.existingPath(uid)));
  }
}

export interface MatrixRow {
  collection: string;
  actor: Actor;
  op: Operation;
  expected: boolean;
}

export function matrixRows(cases: CollectionCase[]): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const spec of cases) {
    for (const actor of ACTORS) {
      for (const op of OPERATIONS) {
        const expected = spec.expect[actor][op];
        if (expected === undefined) {
          throw new Error(`matrix for ${spec.name} has no expectation for ${actor} ${op}`);
        }
        rows.push({ collection: spec.name, actor, op, expected });
      }
    }
  }
  return rows;
}

/**
 * Runs one cell on a freshly cleared and seeded database. The seed (the actors' profiles, the
 * case's fixtures and its existing document) is one batch: one round trip, not one a document.
 */
export async function runCell(
  testEnv: RulesTestEnvironment,
  spec: CollectionCase,
  row: MatrixRow,
): Promise<void> {
  await testEnv.clearFirestore();
  const uid = targetUid(row.actor);
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const db = modular(context);
    const seed = writeBatch(db);
    for (const profileUid of PROFILE_UIDS)
      seed.set(doc(db, "users", profileUid), profile(profileUid));
    for (const [path, data] of Object.entries(spec.fixtures?.(uid) ?? {}))
      seed.set(doc(db, path), data);
    seed.set(doc(db, spec.existingPath(uid)), spec.existing(uid));
    await seed.commit();
  });
  const db = contextFor(testEnv, row.actor);
  const outcome = attempt(db, spec, row.op, uid);
  if (row.expected) await assertSucceeds(outcome);
  else await assertFails(outcome);
}

export { collection, profile, FAR_FUTURE };
