// The worker's hold on a reply document while it streams: it renews its lease (so the
// sweeper never retakes a live reply), watches the document (a stop request or a lease now
// held by another worker ends the stream), and writes partial text in order. Once the lease
// is lost, this worker writes nothing more: the reply is another worker's.
import type { DocumentReference } from "firebase-admin/firestore";
import { db, FieldValue } from "../shared/firebase";
import { leaseExpiry } from "./core/reply-state";
import type { ReplyJob } from "./job";
import { errorFields, type TurnLog } from "./log";
import { messagesRef } from "./store";

export class ReplyWriter {
  private readonly controller = new AbortController();
  private readonly ref: DocumentReference;
  private pending: Promise<unknown> = Promise.resolve();
  private unwatch: (() => void) | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private lost = false;
  /** When text first became visible to listeners (a partial write), if it has. */
  firstVisibleAtMs: number | null = null;
  /** Partial text writes done (for the benchmarks). */
  textWrites = 0;

  constructor(
    private readonly job: Pick<ReplyJob, "convId" | "replyId" | "owner" | "timing">,
    private readonly log: TurnLog,
  ) {
    this.ref = messagesRef(job.convId).doc(job.replyId);
  }

  /** Aborted when the user stops the reply or this worker loses its lease. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get leaseLost(): boolean {
    return this.lost;
  }

  start(): void {
    this.unwatch = this.ref.onSnapshot(
      (snapshot) => {
        const owner: unknown = snapshot.get("lease.owner");
        if (
          !snapshot.exists ||
          (snapshot.get("status") === "generating" && owner !== this.job.owner)
        ) {
          this.loseLease("the reply was taken over or removed");
        } else if (snapshot.get("stopRequested") === true && !this.controller.signal.aborted) {
          this.controller.abort(new Error("stopped by the user"));
        }
      },
      (error) => this.log.warn("reply watcher failed", errorFields(error)),
    );
    const renewEvery = this.job.timing.renewEveryMs;
    this.renewTimer = setInterval(() => void this.renewLease(), renewEvery);
    this.renewTimer.unref();
  }

  /** Renews the lease if this worker still holds it; otherwise stops the work. */
  async renewLease(): Promise<void> {
    if (this.lost) return;
    try {
      const held = await db().runTransaction(async (tx) => {
        const snapshot = await tx.get(this.ref);
        if (
          snapshot.get("status") !== "generating" ||
          snapshot.get("lease.owner") !== this.job.owner
        )
          return false;
        tx.update(this.ref, {
          "lease.expiresAtMs": leaseExpiry(Date.now(), this.job.timing.leaseMs),
        });
        return true;
      });
      if (!held) this.loseLease("the lease was held by another worker at renewal");
    } catch (error) {
      // A failed renewal is retried at the next interval; the lease has room for that.
      this.log.warn("lease renewal failed", errorFields(error));
    }
  }

  /** Writes partial text (status and lease unchanged). Writes are chained, so they land in order. */
  writeText(text: string): void {
    if (this.lost) return;
    this.textWrites++;
    if (text !== "") this.firstVisibleAtMs ??= Date.now();
    this.pending = this.pending.then(() =>
      this.lost
        ? undefined
        : this.ref
            .update({ text, updatedAt: FieldValue.serverTimestamp() })
            .catch((error: unknown) => this.log.warn("partial write failed", errorFields(error))),
    );
  }

  /** Stops watching and renewing, and waits for partial writes to land. */
  async close(): Promise<void> {
    this.unwatch?.();
    this.unwatch = null;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    await this.pending;
  }

  private loseLease(why: string): void {
    if (this.lost) return;
    this.lost = true;
    this.log.info("lease lost; this worker stops", { why });
    this.controller.abort(new Error("lease lost"));
  }
}
