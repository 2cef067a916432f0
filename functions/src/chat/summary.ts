// The rolling summary: every SUMMARY_EVERY_TURNS turns, older turns are folded into a short
// summary with one model call, so long conversations keep their memory at a fixed cost. The
// finalizing transaction says when it is due, so an ordinary turn reads nothing for it.
import { readSettings } from "../config";
import { db } from "../shared/firebase";
import {
  contextWindowSchema,
  shouldRefreshSummary,
  summaryPrompt,
  turnsSinceSummaryAfterFold,
  turnsToFold,
} from "./core/memory";
import type { ReplyJob } from "./job";
import { errorFields, turnLog } from "./log";
import { complete } from "./provider";
import { contextRef } from "./store";

export async function refreshSummaryIfDue(job: ReplyJob): Promise<void> {
  const settings = readSettings();
  if (!settings.openAiApiKey) return; // the offline responder keeps no memory
  const log = turnLog(job);
  const snapshot = await contextRef(job.convId).get();
  const window = contextWindowSchema.safeParse(snapshot.data() ?? {});
  if (!window.success || !shouldRefreshSummary(window.data.turnsSinceSummary)) return;
  const previous =
    typeof snapshot.get("summary") === "string" ? String(snapshot.get("summary")) : "";
  const name = typeof job.character.name === "string" ? job.character.name : "Character";
  const folded = turnsToFold(window.data);
  try {
    const result = await complete({
      model: settings.openAiModel,
      messages: summaryPrompt(previous, folded, { char: name, user: job.userName }),
      temperature: 0.2,
      maxTokens: 400,
    });
    await db().runTransaction(async (tx) => {
      const current = contextWindowSchema.safeParse(
        (await tx.get(contextRef(job.convId))).data() ?? {},
      );
      if (!current.success) return;
      // Turns added while summarising stay counted for the next refresh.
      tx.update(contextRef(job.convId), {
        summary: result.text.trim(),
        turnsSinceSummary: turnsSinceSummaryAfterFold(current.data, folded),
      });
    });
    log.info("summary refreshed", { foldedTurns: folded.length });
  } catch (error) {
    log.warn("summary refresh failed; will retry at the next turn", errorFields(error));
  }
}
