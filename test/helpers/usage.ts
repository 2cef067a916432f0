// A user's free-tier counts as the server keeps them (the message meter), for arranging and
// checking state from tests.
import { messageMeterRef, parseMeter, usageOf } from "../../functions/src/limits/store";
import type { MessageKind, UsageCounts } from "../../functions/src/limits/policy";

export async function usageWith(uid: string, characterId: string): Promise<UsageCounts> {
  return usageOf(parseMeter((await messageMeterRef(uid).get()).data()), characterId);
}

export async function usedFree(
  uid: string,
  characterId: string,
  kind: MessageKind = "text",
): Promise<number> {
  return (await usageWith(uid, characterId))[kind];
}

/** Sets the counts as if the user had sent that many messages to the character. */
export async function setUsage(
  uid: string,
  characterId: string,
  counts: Partial<UsageCounts>,
): Promise<void> {
  await messageMeterRef(uid).set(
    { characters: { [characterId]: { text: 0, audio: 0, media: 0, ...counts } } },
    { merge: true },
  );
}

/** The per-minute message window, as the meter holds it. */
export async function messageHits(uid: string): Promise<number[]> {
  return parseMeter((await messageMeterRef(uid).get()).data()).hits;
}

/** Fills the per-minute message window as if these messages had just been sent. */
export async function setMessageHits(uid: string, hits: number[]): Promise<void> {
  await messageMeterRef(uid).set({ hits }, { merge: true });
}
