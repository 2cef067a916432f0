// Firestore timestamps as both SDKs return them. A structural check rather than
// `instanceof`, so the same schemas parse documents read with firebase-admin (the functions)
// and with the web SDK (apps). Pure: zod only.
import { z } from "zod";

/** What firebase-admin's and the web SDK's Timestamp classes have in common. */
export interface TimestampLike {
  readonly seconds: number;
  readonly nanoseconds: number;
  toMillis(): number;
  toDate(): Date;
}

function isTimestampLike(value: unknown): value is TimestampLike {
  return (
    typeof value === "object" &&
    value !== null &&
    "toMillis" in value &&
    typeof value.toMillis === "function" &&
    "toDate" in value &&
    typeof value.toDate === "function" &&
    "seconds" in value &&
    typeof value.seconds === "number"
  );
}

export const timestampSchema = z.custom<TimestampLike>(isTimestampLike, "must be a timestamp");
