// What a user has used and has left (the spec's GET /api/auth/usage).
import type { CallableRequest } from "firebase-functions/v2/https";
import { z } from "zod";
import { isPremiumAt } from "../identity/profile";
import { premiumUntilMs, userDoc } from "../identity/profiles";
import { parseInput, requireAuth } from "../shared/callable";
import { FREE_QUOTA, remaining } from "./policy";
import { messageMeterRef, parseMeter, usageOf } from "./store";

const input = z.strictObject({ characterId: z.string().min(1).max(128).optional() });

export async function getUsage(request: CallableRequest<unknown>) {
  const caller = requireAuth(request);
  const { characterId } = parseInput(input, request.data);
  const [profile, meterSnap] = await Promise.all([
    userDoc(caller.uid).get(),
    messageMeterRef(caller.uid).get(),
  ]);
  const meter = parseMeter(meterSnap.data());
  const untilMs = premiumUntilMs(profile);
  const premium = isPremiumAt(untilMs, Date.now());
  const characterIds = characterId ? [characterId] : Object.keys(meter.characters).sort();
  return {
    premium,
    premiumUntil: untilMs && premium ? new Date(untilMs).toISOString() : null,
    limits: premium ? null : FREE_QUOTA,
    characters: characterIds.map((id) => {
      const used = usageOf(meter, id);
      return { characterId: id, used, remaining: remaining(used, premium) };
    }),
  };
}
