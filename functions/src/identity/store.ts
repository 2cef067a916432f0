// Where accounts live in Firestore (shapes in contract/identity.ts, paths in contract/paths.ts):
//   users/{uid}                 the private profile (userProfileSchema)
//   publicProfiles/{uid}        its public projection, kept in step by the mirror trigger
//   usernames/{lowercased}      {uid, username}: one holder per name
import { userProfileSchema } from "../contract/identity";
import { paths } from "../contract/paths";
import { zodConverter } from "../shared/converter";
import { db } from "../shared/firebase";

export const profileConverter = zodConverter(userProfileSchema);

/** users/{uid} without a converter, for partial updates and field reads. */
export function userDoc(uid: string) {
  return db().doc(paths.user(uid));
}

export function profileRef(uid: string) {
  return userDoc(uid).withConverter(profileConverter);
}

export function publicProfileRef(uid: string) {
  return db().doc(paths.publicProfile(uid));
}

/** The reservation of a name, keyed by usernameKey(name). */
export function usernameRef(key: string) {
  return db().collection("usernames").doc(key);
}

/** Every reservation a user holds (normally at most one). */
export function usernamesOf(uid: string) {
  return db().collection("usernames").where("uid", "==", uid);
}
