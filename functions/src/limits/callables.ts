// What a user has used and has left (the spec's GET /api/auth/usage).
import type { CallableRequest } from "firebase-functions/v2/https";
import { isPremiumAt } from "../contract/identity";
import { getUsageInput, type GetUsageOutput } from "../contract/usage";
import { premiumUntilMs, userDoc } from "../identity/profiles";
import { parseInput, requireAuth } from "../shared/callable";
import { FREE_QUOTA, remaining } from "./policy";
import { messageMeterRef, parseMeter, usageOf } from "./store";

export async function getUsage(request: CallableRequest<unknown>): Promise<GetUsageOutput> {
  const caller = requireAuth(request);
  const { characterId } = parseInput(getUsageInput, request.data);
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
    freeTier: FREE_QUOTA,
    characters: characterIds.map((id) => {
      const used = usageOf(meter, id);
      return { characterId: id, used, remaining: remaining(used, premium) };
    }),
  };
}
