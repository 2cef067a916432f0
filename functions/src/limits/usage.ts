// users/{uid}/usage/{characterId}: free-tier counts per character, written only here.
import { z } from "zod";
import { userDoc } from "../identity/profiles";
import { ZERO_USAGE, type UsageCounts } from "./policy";

export const usageSchema = z.object({
  text: z.number().int().min(0).default(0),
  audio: z.number().int().min(0).default(0),
  media: z.number().int().min(0).default(0),
});

export function usageRef(uid: string, characterId: string) {
  return userDoc(uid).collection("usage").doc(characterId);
}

export function parseUsage(data: unknown): UsageCounts {
  const parsed = usageSchema.safeParse(data ?? {});
  return parsed.success ? parsed.data : { ...ZERO_USAGE };
}
