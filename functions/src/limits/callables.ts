// What a user has used and has left (the spec's GET /api/auth/usage).
import type { CallableRequest } from "firebase-functions/v2/https";
import { z } from "zod";
import { isPremiumAt } from "../identity/profile";
import { premiumUntilMs, userDoc } from "../identity/profiles";
import { parseInput, requireAuth } from "../shared/callable";
import { FREE_QUOTA, remaining } from "./policy";
import { usageCollection, usageRef } from "./store";
import { parseUsage } from "./usage";

const input = z.strictObject({ characterId: z.string().min(1).max(128).optional() });

export async function getUsage(request: CallableRequest<unknown>) {
  const caller = requireAuth(request);
  const { characterId } = parseInput(input, request.data);
  const user = userDoc(caller.uid);
  const [profile, usageDocs] = await Promise.all([
    user.get(),
    characterId
      ? usageRef(caller.uid, characterId)
          .get()
          .then((doc) => [doc])
      : usageCollection(caller.uid)
          .get()
          .then((page) => page.docs),
  ]);
  const untilMs = premiumUntilMs(profile);
  const premium = isPremiumAt(untilMs, Date.now());
  return {
    premium,
    premiumUntil: untilMs && premium ? new Date(untilMs).toISOString() : null,
    limits: premium ? null : FREE_QUOTA,
    characters: usageDocs
      .filter((doc) => doc.exists)
      .map((doc) => {
        const used = parseUsage(doc.data());
        return { characterId: doc.id, used, remaining: remaining(used, premium) };
      }),
  };
}
