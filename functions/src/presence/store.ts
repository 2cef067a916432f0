// presence/{uid}: written by the user's app (firestore.rules check it), never by a function;
// no trigger watches it. Functions only remove it with the account.
import { paths } from "../contract/paths";
import { db } from "../shared/firebase";

export function presenceRef(uid: string) {
  return db().doc(paths.presence(uid));
}
