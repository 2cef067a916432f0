// An admin claim in a token issued before the user's demotion is not trusted by the rules.
import type { RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { collection, doc, getDocs, setDoc, Timestamp } from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest";
import { modular, profile, rulesEnvironment } from "./matrix";

let testEnv: RulesTestEnvironment;
beforeAll(async () => {
  testEnv = await rulesEnvironment();
});
beforeEach(async () => {
  await testEnv.clearFirestore();
});
afterAll(async () => {
  await testEnv.cleanup();
});

const DEMOTED_AT_SEC = 1_800_000_000;

async function seed(extra: Record<string, unknown> | null) {
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const db = modular(context);
    await setDoc(doc(db, "auditLog/entry-1"), { action: "setRole", actorUid: "x" });
    if (extra !== null) await setDoc(doc(db, "users/admin"), profile("admin", extra));
  });
}

/** Lists the audit log (admins only) with an admin token issued at `iat`. */
function listAuditLog(iat: number) {
  const db = modular(testEnv.authenticatedContext("admin", { admin: true, iat }));
  return getDocs(collection(db, "auditLog"));
}

describe("a demoted admin's earlier token", () => {
  it("is refused once the demotion is recorded", async () => {
    await seed({ adminRevokedAt: Timestamp.fromMillis(DEMOTED_AT_SEC * 1000 + 500) });
    await assertFails(listAuditLog(DEMOTED_AT_SEC - 60));
    await assertFails(listAuditLog(DEMOTED_AT_SEC));
  });

  it("while a token issued after it (a re-promotion) is trusted", async () => {
    await seed({ adminRevokedAt: Timestamp.fromMillis(DEMOTED_AT_SEC * 1000 + 500) });
    await assertSucceeds(listAuditLog(DEMOTED_AT_SEC + 1));
  });

  it("never demoted: the claim stands, with or without a profile", async () => {
    await seed({});
    await assertSucceeds(listAuditLog(DEMOTED_AT_SEC));
    await testEnv.clearFirestore();
    await seed(null);
    await assertSucceeds(listAuditLog(DEMOTED_AT_SEC));
  });
});
