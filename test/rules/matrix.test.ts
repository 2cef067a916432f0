import type { RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import { CASES } from "./cases";
import { matrixRows, rulesEnvironment, runCell } from "./matrix";

const rows = matrixRows(CASES);
console.log(
  `rules matrix: ${CASES.length} collections x 6 actors x 5 operations = ${rows.length} cases (${rows.filter((row) => row.expected).length} allowed, ${rows.filter((row) => !row.expected).length} denied)`,
);

let testEnv: RulesTestEnvironment;
beforeAll(async () => {
  testEnv = await rulesEnvironment();
});
afterAll(async () => {
  await testEnv.clearFirestore();
  await testEnv.cleanup();
});

for (const spec of CASES) {
  describe(`rules: ${spec.name}`, () => {
    for (const row of rows.filter((each) => each.collection === spec.name)) {
      it(`${row.actor} ${row.op} is ${row.expected ? "allowed" : "denied"}`, async () => {
        await runCell(testEnv, spec, row);
      });
    }
  });
}
