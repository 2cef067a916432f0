// A take of a reply that a worker holds: what the claim decided, and everything the later
// stages (prepare, stream, extras, finalize) need without reading it again.
import type { UserMessage } from "../contract/chat";

export type TakeKind = "first" | "retake" | "regenerate";

export interface LeaseTiming {
  /** How long the lease lasts without renewal. */
  leaseMs: number;
  /** How often the worker renews it while it streams. */
  renewEveryMs: number;
}

export interface ReplyJob {
  convId: string;
  messageId: string;
  replyId: string;
  message: UserMessage;
  /** This worker's lease owner id: only its writes count. */
  owner: string;
  take: TakeKind;
  premium: boolean;
  userName: string;
  /** The character document as the claim read it (profile fields and server fields). */
  character: Record<string, unknown>;
  startedAtMs: number;
  timing: LeaseTiming;
  /** The conversation's `viewingAt` as the claim read it: finalize notifies an absent user. */
  viewingAtMs: number | null;
}
