// Where the limits keep their counts. Shapes in contract/usage.ts.
//
// users/{uid}/quota/messages    the user's message meter: free-tier counts per character,
//                               the per-minute window of messages, and the characters the
//                               user ever started a conversation with (for honest stats)
// users/{uid}/rateLimits/{b}    per-minute windows of the callables (limits/rate-limit.ts)
import { FieldValue, type Transaction } from "firebase-admin/firestore";
import { paths } from "../contract/paths";
import { messageMeterSchema, type MessageMeter } from "../contract/usage";
import { db } from "../shared/firebase";
import { ZERO_USAGE, type MessageKind, type RateBucket, type UsageCounts } from "./policy";

export function rateLimitRef(uid: string, bucket: RateBucket) {
  return db().doc(paths.rateLimit(uid, bucket));
}

export const EMPTY_METER: MessageMeter = { characters: {}, hits: [], started: {} };

export function messageMeterRef(uid: string) {
  return db().doc(paths.messageMeter(uid));
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
