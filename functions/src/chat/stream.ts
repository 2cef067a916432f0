// The streaming stage: the model is asked at once, while the user's input is moderated
// beside it (so moderation adds nothing to the wait when it is quicker than the first token);
// text reaches the reply document only once the input has passed and, by default, once the
// text itself has passed moderation (core/stream-flush.ts decides each step). A flagged input
// or reply ends the stream: nothing of it is kept.
import type { Settings } from "../config";
import { blockedMessage, moderationInput } from "./core/moderation";
import { offlineReply } from "./core/offline-responder";
import { ProviderError, userFacingFailure, type ErrorKind } from "./core/retry";
import {
  afterCleared,
  afterModerationStarted,
  afterRestart,
  afterWrite,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MODERATION_LEAD_MS,
  INITIAL_FLUSH_STATE,
  nextFlushStep,
  type FlushPolicy,
  type FlushState,
  type OutputModeration,
} from "./core/stream-flush";
import type { TakeOutcome } from "./finalize";
import { errorFields, type TurnLog } from "./log";
import type { PreparedTurn } from "./prepare";
import { moderate, streamCompletion, type StreamOutcome } from "./provider";
import type { ReplyWriter } from "./reply-writer";

export interface StreamOptions {
  /** "concurrent" (default): moderation beside the model call; "before": the model waits. */
  inputModeration?: "concurrent" | "before";
  output?: OutputModeration;
  flushIntervalMs?: number;
  /**
   * A queued take the provider turns away (429) is handed back (`deferred`) for the queue
   * to retry later, instead of being retried at once.
   */
  deferOnRateLimit?: boolean;
}

export type StreamResult =
  | { ended: "lease_lost" }
  | { ended: "deferred" }
  | { ended: "outcome"; outcome: TakeOutcome; stream: StreamOutcome | null };

/** Wakes a waiting loop; a notification that comes before the wait is not lost. */
class Wakeup {
  private notified = false;
  private resolve: (() => void) | null = null;

  notify(): void {
    this.notified = true;
    this.resolve?.();
  }

  wait(untilMs: number | null): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.resolve = null;
        this.notified = false;
        resolve();
      };
      if (untilMs !== null) timer = setTimeout(done, Math.max(0, untilMs - Date.now()));
      this.resolve = done;
    });
  }
}

function offlineStream(
  turn: PreparedTurn,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  const reply = offlineReply({
    profile: turn.profile,
    userName: turn.job.userName,
    userText: turn.userText,
    chunkCount: 6,
  });
  return (async () => {
    let text = "";
    let firstTextAtMs: number | null = null;
    for (const chunk of reply.chunks) {
      if (signal.aborted) break;
      text += chunk;
      firstTextAtMs ??= Date.now();
      onText(text);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return {
      text,
      usage: null,
      finishReason: signal.aborted ? "stopped" : "stop",
      model: turn.model,
      attempts: 1,
      firstTextAtMs,
    };
  })();
}

function failed(kind: ErrorKind): TakeOutcome {
  return { status: "failed", text: "", error: userFacingFailure(kind), errorKind: kind };
}

interface Run {
  flush: FlushState;
  blocked: "input" | "output" | null;
  failure: ErrorKind | null;
  streamed: StreamOutcome | null;
}

export async function streamTake(
  turn: PreparedTurn,
  writer: ReplyWriter,
  settings: Settings,
  log: TurnLog,
  options: StreamOptions = {},
): Promise<StreamResult> {
  const policy: FlushPolicy = {
    output: turn.offline ? "none" : (options.output ?? settings.outputModeration),
    intervalMs: options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    moderationLeadMs: DEFAULT_MODERATION_LEAD_MS,
  };
  // `model` ends the model call: a stop request, a lost lease, a flagged input or reply.
  // `checks` ends moderation calls: a lost lease, or the end of this stage. A stopped reply
  // keeps its moderation running, so its partial text is checked before it is kept.
  const model = new AbortController();
  const checks = new AbortController();
  const onWriterAbort = () => {
    model.abort(writer.signal.reason);
    if (writer.leaseLost) checks.abort(writer.signal.reason);
  };
  writer.signal.addEventListener("abort", onWriterAbort);
  const wakeup = new Wakeup();
  const noRetry: ErrorKind[] = options.deferOnRateLimit ? ["rate_limited"] : [];
  const run: Run = { flush: INITIAL_FLUSH_STATE, blocked: null, failure: null, streamed: null };

  // Input moderation, beside the model call (or before it, the earlier order).
  const needsInputCheck = !turn.offline && (turn.userText !== "" || turn.imageUrl !== undefined);
  const inputDone = (
    needsInputCheck
      ? moderate(
          moderationInput(turn.userText, turn.imageUrl),
          settings,
          checks.signal,
          noRetry,
          (attempt, kind) => log.warn("input moderation failed; retrying", { attempt, kind }),
        ).then(
          (verdict) => {
            if (verdict.allowed) return;
            log.info("input blocked by moderation", { categories: verdict.categories });
            run.blocked = "input";
            model.abort(new Error("input blocked"));
          },
          (error: unknown) => {
            if (checks.signal.aborted) return;
            log.warn("input moderation failed", errorFields(error));
            run.failure = error instanceof ProviderError ? error.kind : "unknown";
            model.abort(new Error("input moderation failed"));
          },
        )
      : Promise.resolve()
  ).then(() => {
    if (!run.blocked && run.failure === null) run.flush = { ...run.flush, inputCleared: true };
    wakeup.notify();
  });
  if (options.inputModeration === "before") await inputDone;

  const onText = (text: string) => {
    if (text === "") {
      // A retried call starts over; what listeners saw of the failed try goes.
      run.flush = afterRestart(run.flush);
      if (run.flush.written !== "") {
        writer.writeText("");
        run.flush = afterWrite(run.flush, "", Date.now());
      }
    } else {
      run.flush = { ...run.flush, received: text };
    }
    wakeup.notify();
  };
  const request: Promise<StreamOutcome | null> =
    run.blocked || run.failure !== null
      ? Promise.resolve(null)
      : turn.offline
        ? offlineStream(turn, onText, model.signal)
        : streamCompletion(
            {
              model: turn.model,
              messages: turn.prompt.messages,
              temperature: turn.ai.temperature,
              maxTokens: turn.ai.maxTokens,
            },
            onText,
            model.signal,
            settings,
            noRetry,
            (attempt, kind) => log.warn("model call failed; retrying", { attempt, kind }),
          );
  void request.then(
    (outcome) => {
      run.streamed = outcome;
      run.flush = { ...run.flush, ...(outcome ? { received: outcome.text } : {}), ended: true };
      wakeup.notify();
    },
    (error: unknown) => {
      run.failure ??= error instanceof ProviderError ? error.kind : "unknown";
      log.warn("generation failed", errorFields(error));
      run.flush = { ...run.flush, ended: true };
      wakeup.notify();
    },
  );

  const checkText = (text: string) => {
    run.flush = afterModerationStarted(run.flush, text);
    moderate(text, settings, checks.signal, [], (attempt, kind) =>
      log.warn("reply moderation failed; retrying", { attempt, kind }),
    ).then(
      (verdict) => {
        if (!verdict.allowed) {
          log.info("reply blocked by moderation", { categories: verdict.categories });
          run.blocked = "output";
          model.abort(new Error("reply blocked"));
        } else {
          run.flush = afterCleared(run.flush, text);
        }
        wakeup.notify();
      },
      (error: unknown) => {
        // Output moderation failing does not hold the reply back (the input passed); it is
        // logged so an operator sees it.
        if (!checks.signal.aborted)
          log.warn("output moderation failed; text released", errorFields(error));
        run.flush = afterCleared(run.flush, text);
        wakeup.notify();
      },
    );
  };

  try {
    for (;;) {
      if (writer.leaseLost) return { ended: "lease_lost" };
      if (run.blocked) {
        return {
          ended: "outcome",
          outcome: {
            status: "blocked",
            text: "",
            error: blockedMessage(run.blocked),
            usage: run.streamed?.usage ?? null,
            ...(run.streamed ? { model: run.streamed.model } : {}),
          },
          stream: run.streamed,
        };
      }
      if (run.failure === "rate_limited" && options.deferOnRateLimit && run.flush.written === "")
        return { ended: "deferred" };
      if (run.failure !== null)
        return { ended: "outcome", outcome: failed(run.failure), stream: run.streamed };
      const step = nextFlushStep(run.flush, policy, Date.now());
      if (step.step === "moderate") {
        checkText(step.text);
      } else if (step.step === "write") {
        writer.writeText(step.text);
        run.flush = afterWrite(run.flush, step.text, Date.now());
      } else if (step.step === "wait") {
        await wakeup.wait(step.untilMs);
      } else {
        const outcome = run.streamed;
        const stopped = outcome?.finishReason === "stopped" || writer.signal.aborted;
        return {
          ended: "outcome",
          outcome: {
            status: stopped ? "stopped" : "complete",
            text: step.text,
            usage: outcome?.usage ?? null,
            model: outcome?.model ?? turn.model,
            finishReason: stopped ? "stopped" : (outcome?.finishReason ?? null),
            firstVisibleAtMs: writer.firstVisibleAtMs,
            attempts: outcome?.attempts ?? 1,
          },
          stream: outcome,
        };
      }
    }
  } finally {
    writer.signal.removeEventListener("abort", onWriterAbort);
    model.abort(new Error("stream stage ended"));
    checks.abort(new Error("stream stage ended"));
    await inputDone;
  }
}
