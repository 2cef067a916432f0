// Produces a claimed take of a reply, stage by stage: prepare (transcript, settings,
// context, prompt), stream (model and moderation, text into the reply document), extras
// (speech or a gallery photo), then the finalizing transaction.
import { readSettings, type Settings } from "../config";
import { PromptBudgetError } from "./core/prompt";
import { userFacingFailure, type ErrorKind } from "./core/retry";
import { deferTake, finalizeTake, type FinalizeResult, type TakeOutcome } from "./finalize";
import type { ReplyJob } from "./job";
import { errorFields, turnLog } from "./log";
import { prepareTurn, type PreparedTurn } from "./prepare";
import { attachReplyExtras } from "./reply-extras";
import { ReplyWriter } from "./reply-writer";
import { streamTake, type StreamOptions } from "./stream";

export interface GenerateResult extends FinalizeResult {
  /**
   * The take's final status; `lease_lost` when another worker took the reply over;
   * `deferred` when the provider turned a queued take away and it went back to the queue.
   */
  status: TakeOutcome["status"] | "lease_lost" | "deferred";
  /** Partial text writes to the reply document during the stream. */
  textWrites: number;
}

function failure(kind: ErrorKind): TakeOutcome {
  return { status: "failed", text: "", error: userFacingFailure(kind), errorKind: kind };
}

function diagnosticsOf(turn: PreparedTurn) {
  return {
    promptTokens: turn.prompt.promptTokens,
    budget: turn.prompt.budget,
    includedTurns: turn.prompt.includedTurnCount,
    droppedTurns: turn.prompt.droppedTurnCount,
    knowledge: turn.prompt.activatedKnowledgeIds,
  };
}

export async function generateReply(
  job: ReplyJob,
  settings: Settings = readSettings(),
  options: StreamOptions = {},
): Promise<GenerateResult> {
  const log = turnLog(job);
  let turn: PreparedTurn;
  try {
    turn = await prepareTurn(job, settings);
  } catch (error) {
    if (!(error instanceof PromptBudgetError)) throw error;
    log.error("character AI settings leave no room for a prompt", errorFields(error));
    const final = await finalizeTake(job, failure("bad_request"), null, log);
    return { status: "failed", textWrites: 0, ...final };
  }

  const writer = new ReplyWriter(turn.job, log);
  writer.start();
  let outcome: TakeOutcome;
  try {
    const streamed = await streamTake(turn, writer, settings, log, options);
    if (streamed.ended === "lease_lost") {
      return {
        status: "lease_lost",
        textWrites: writer.textWrites,
        committed: false,
        summaryDue: false,
      };
    }
    if (streamed.ended === "deferred") {
      await writer.close();
      const committed = await deferTake(turn.job);
      log.info("provider at capacity; the take goes back to the reply queue", { committed });
      return { status: "deferred", textWrites: writer.textWrites, committed, summaryDue: false };
    }
    outcome = streamed.outcome;
    if (outcome.status === "complete" || outcome.status === "stopped") {
      outcome = { ...outcome, diagnostics: diagnosticsOf(turn) };
    }
    if (outcome.status === "complete") {
      outcome = {
        ...outcome,
        ...(await attachReplyExtras(turn.job, turn.plan, outcome.text, settings)),
      };
    }
  } finally {
    await writer.close();
  }
  const final = await finalizeTake(turn.job, outcome, turn.context, log);
  log.info("reply finished", {
    status: outcome.status,
    ms: Date.now() - job.startedAtMs,
    textWrites: writer.textWrites,
  });
  return { status: outcome.status, textWrites: writer.textWrites, ...final };
}

/** Like generateReply, but a crash (a bug, unreadable stored data) still ends the reply. */
export async function generateReplySafely(
  job: ReplyJob,
  settings?: Settings,
  options?: StreamOptions,
): Promise<GenerateResult> {
  try {
    return await generateReply(job, settings, options);
  } catch (error) {
    const log = turnLog(job);
    log.error("reply generation crashed", errorFields(error));
    const final = await finalizeTake(job, failure("unknown"), null, log);
    return { status: "failed", textWrites: 0, ...final };
  }
}
