// Reference data clients read from config/{name} (seeded; only functions and seeds write it).
// Pure: zod only.
import { z } from "zod";

/** config/traits: the personality traits characters name, by Big Five domain, and the tones. */
export const traitsConfigSchema = z.object({
  source: z.string(),
  domains: z.record(z.string(), z.array(z.string()).readonly()),
  /** How each trait reads, e.g. `warmth`: "warm, affectionate and friendly". */
  descriptions: z.record(z.string(), z.string()),
  tones: z.array(z.string()).readonly(),
});
export type TraitsConfig = z.infer<typeof traitsConfigSchema>;
