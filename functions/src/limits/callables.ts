// What a user has used and has left (the spec's GET /api/auth/usage).
import type { CallableRequest } from "firebase-functions/v2/https";
import { isPremiumAt } from "../contract/identity";
import { getUsageInput, type GetUsageOutput } from "../contract/usage";
import { premiumUntilMs, userDoc } from "../identity/profiles";
import { parseInput, requireAuth } from "../shared/callable";
import { FREE_QUOTA, remaining } from "./policy";
import { parseUsage } from "./usage";

export async function getUsage(request: CallableRequest<unknown>): Promise<GetUsageOutput> {
  const caller = requireAuth(request);
  const { characterId } = parseInput(getUsageInput, request.data);
  const user = userDoc(caller.uid);
  const [profile, usageDocs] = await Promise.all([
    user.get(),
    characterId
      ? user
          .collection("usage")
          .doc(characterId)
          .get()
          .then((doc) => [doc])
      : user
          .collection("usage")
          .get()
          .then((page) => page.docs),
  ]);
  const untilMs = premiumUntilMs(profile);
  const premium = isPremiumAt(untilMs, Date.now());
  return {
    premium,
    premiumUntil: untilMs && premium ? new Date(untilMs).toISOString() : null,
    limits: premium ? null : FREE_QUOTA,
    freeTier: FREE_QUOTA,
    characters: usageDocs
      .filter((doc) => doc.exists)
      .map((doc) => {
        const used = parseUsage(doc.data());
        return { characterId: doc.id, used, remaining: remaining(used, premium) };
      }),
  };
}
