// A take of a reply that a worker holds: what the claim decided, and everything the later
// stages (prepare, stream, extras, finalize) need without reading it again.
import type { UserMessage } from "../contract/chat";

export type TakeKind = "first" | "retake" | "regenerate" | "dispatched";

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
  /**
   * The conversation's `viewingAt` as the claim read it (null: not on screen), so finalize
   * can tell an absent user their reply is ready. Undefined when the take was not started
   * from that read: finalize then notifies nobody.
   */
  viewingAtMs?: number | null;
  /** The character document as the claim read it (profile fields and server fields). */
  character: Record<string, unknown>;
  startedAtMs: number;
  timing: LeaseTiming;
  /**
   * The take came through the reply queue: when the provider turns it away (429) it goes back
   * to the queue, which retries later, instead of retrying at once.
   */
  queued?: boolean;
}
