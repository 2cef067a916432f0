// A chat callable acts on the caller's own conversation only: anything else is "not found",
// so ids of other users' conversations reveal nothing.
import { fail, type Caller } from "../shared/callable";
import { conversationRef } from "./store";

export async function ownConversation(caller: Caller, convId: string) {
  const snapshot = await conversationRef(convId).get();
  if (!snapshot.exists || snapshot.get("userId") !== caller.uid) {
    fail("conversation_not_found");
  }
  return snapshot;
}
