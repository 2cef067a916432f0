// users/{uid}/usage/{characterId}: free-tier counts per character, written only by the reply
// trigger. Its schema is in contract/usage.ts.
import { usageSchema } from "../contract/usage";
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";
import { ZERO_USAGE, type UsageCounts } from "./policy";

export function usageRef(uid: string, characterId: string) {
  return db().doc(paths.usageOf(uid, characterId));
}

export function parseUsage(data: unknown): UsageCounts {
  const parsed = usageSchema.safeParse(data ?? {});
  return parsed.success ? parsed.data : { ...ZERO_USAGE };
}
