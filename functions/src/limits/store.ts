// Where the limits keep their counts.
//
// users/{uid}/quota/messages    the user's message meter: free-tier counts per character,
//                               the per-minute window of messages, and the characters the
//                               user ever started a conversation with (for honest stats)
// users/{uid}/rateLimits/{b}    per-minute windows of the callables (limits/rate-limit.ts)
//
// One meter document per user, not one per character: a reply's claim decides quota and
// rate limit with one read and charges both with one write.
import { FieldValue, type Transaction } from "firebase-admin/firestore";
import { z } from "zod";
import { userDoc } from "../identity/profiles";
import { ZERO_USAGE, type MessageKind, type UsageCounts } from "./policy";

export const usageCountsSchema = z.object({
  text: z.number().int().min(0).default(0),
  audio: z.number().int().min(0).default(0),
  media: z.number().int().min(0).default(0),
});

export const messageMeterSchema = z.object({
  /** Free-tier units used, per character id. */
  characters: z.record(z.string(), usageCountsSchema).default({}),
  /** Times (ms) of the messages in the current per-minute window. */
  hits: z.array(z.number()).default([]),
  /** Characters this user ever started a conversation with (kept across deletions). */
  started: z.record(z.string(), z.literal(true)).default({}),
});
export type MessageMeter = z.infer<typeof messageMeterSchema>;

export const EMPTY_METER: MessageMeter = { characters: {}, hits: [], started: {} };

export function messageMeterRef(uid: string) {
  return userDoc(uid).collection("quota").doc("messages");
}

export function parseMeter(data: unknown): MessageMeter {
  const parsed = messageMeterSchema.safeParse(data ?? {});
  return parsed.success ? parsed.data : EMPTY_METER;
}

export function usageOf(meter: MessageMeter, characterId: string): UsageCounts {
  return meter.characters[characterId] ?? { ...ZERO_USAGE };
}

export interface MeterChange {
  /** The new per-minute window. */
  hits?: number[] | null;
  /** +1 charges a unit, -1 gives one back. */
  unit?: { characterId: string; kind: MessageKind; delta: 1 | -1 };
  /** A conversation with this character was started. */
  started?: string;
}

/** Writes, in `tx`, what a decision changed on the meter (no read needed: increments). */
export function writeMeter(tx: Transaction, uid: string, change: MeterChange): void {
  const update: Record<string, unknown> = { updatedAt: FieldValue.serverTimestamp() };
  if (change.hits) update.hits = change.hits;
  if (change.unit) {
    update.characters = {
      [change.unit.characterId]: { [change.unit.kind]: FieldValue.increment(change.unit.delta) },
    };
  }
  if (change.started) update.started = { [change.started]: true };
  tx.set(messageMeterRef(uid), update, { merge: true });
}
