// users/{uid}/usage/{characterId}: free-tier counts per character, written only here.
import { z } from "zod";
import { ZERO_USAGE, type UsageCounts } from "./policy";

export { usageRef } from "./store";

export const usageSchema = z.object({
  text: z.number().int().min(0).default(0),
  audio: z.number().int().min(0).default(0),
  media: z.number().int().min(0).default(0),
});

export function parseUsage(data: unknown): UsageCounts {
  const parsed = usageSchema.safeParse(data ?? {});
  return parsed.success ? parsed.data : { ...ZERO_USAGE };
}
