// The rolling summary: every SUMMARY_EVERY_TURNS turns, older turns are folded into a short
// summary with one model call, so long conversations keep their memory at a fixed cost.
import * as logger from "firebase-functions/logger";
import { readSettings } from "../config";
import { db } from "../shared/firebase";
import {
  contextWindowSchema,
  shouldRefreshSummary,
  summaryPrompt,
  turnsToFold,
} from "./core/memory";
import { complete } from "./provider";
import { contextRef } from "./store";

export async function refreshSummaryIfDue(
  convId: string,
  characterId: string,
  userName: string,
): Promise<void> {
  const settings = readSettings();
  if (!settings.openAiApiKey) return; // the offline responder keeps no memory
  const snapshot = await contextRef(convId).get();
  const window = contextWindowSchema.safeParse(snapshot.data() ?? {});
  if (!window.success || !shouldRefreshSummary(window.data.turnsSinceSummary)) return;
  const previous =
    typeof snapshot.get("summary") === "string" ? String(snapshot.get("summary")) : "";
  const character = await db().collection("characters").doc(characterId).get();
  const name =
    typeof character.get("name") === "string" ? String(character.get("name")) : "Character";
  const folded = turnsToFold(window.data);
  try {
    const result = await complete({
      model: settings.openAiModel,
      messages: summaryPrompt(previous, folded, { char: name, user: userName }),
      temperature: 0.2,
      maxTokens: 400,
    });
    const foldedIds = new Set(folded.map((turn) => turn.id));
    await db().runTransaction(async (tx) => {
      const current = contextWindowSchema.safeParse(
        (await tx.get(contextRef(convId))).data() ?? {},
      );
      if (!current.success) return;
      // Turns added while summarising stay counted for the next refresh.
      const newer = current.data.turns.filter((turn) => !foldedIds.has(turn.id)).length;
      const sinceSummary = Math.min(current.data.turnsSinceSummary, newer);
      tx.update(contextRef(convId), {
        summary: result.text.trim(),
        turnsSinceSummary: sinceSummary,
      });
    });
  } catch (error) {
    logger.warn("summary refresh failed; will retry at the next turn", {
      convId,
      error: String(error),
    });
  }
}
