// Where limits keep their counts, under the user they belong to:
//   users/{uid}/usage/{characterId}   free-tier counts {text, audio, media}
//   users/{uid}/rateLimits/{bucket}   sliding-window logs {hits}
import { userDoc } from "../identity/store";
import type { RateBucket } from "./policy";

export function usageCollection(uid: string) {
  return userDoc(uid).collection("usage");
}

export function usageRef(uid: string, characterId: string) {
  return usageCollection(uid).doc(characterId);
}

export function rateLimitRef(uid: string, bucket: RateBucket) {
  return userDoc(uid).collection("rateLimits").doc(bucket);
}
