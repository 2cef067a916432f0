// Where the chat loop keeps things. The document shapes are in contract/chat.ts.
//
// conversations/{uid}_{characterId}                 one per user and character
// conversations/{id}/messages/{messageId}           user messages (client-written)
// conversations/{id}/messages/{messageId}_reply     the character's reply to it
// conversations/{id}/context/window                 recent turns + rolling summary
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";

export function conversationRef(id: string) {
  return db().doc(paths.conversation(id));
}

export function messagesRef(id: string) {
  return db().collection(paths.messages(id));
}

export function contextRef(id: string) {
  return conversationRef(id).collection("context").doc("window");
}
