// Reference data clients read from config/*.
import { TRAIT_DESCRIPTIONS, TRAIT_DOMAINS } from "../contract/traits";
import { TONES } from "../contract/characters";
import type { TraitsConfig } from "../contract/config";
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";
import { Tally, writeIfChanged } from "./write-if-changed";

export async function seedConfig(): Promise<Tally> {
  const tally = new Tally();
  tally.add(
    await writeIfChanged(db().doc(paths.config("traits")), {
      source: "NEO PI-R facet scales (Costa & McCrae, 1992)",
      domains: TRAIT_DOMAINS,
      descriptions: TRAIT_DESCRIPTIONS,
      tones: TONES,
    } satisfies TraitsConfig),
  );
  return tally;
}
