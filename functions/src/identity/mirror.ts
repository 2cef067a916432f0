// Keeps publicProfiles/{uid} in step with the fields of users/{uid} it projects.
import { FieldValue } from "firebase-admin/firestore";
import { db } from "../shared/firebase";
import { safeAvatarPath } from "./profile";
import { publicProfileRef, userDoc } from "./store";

function asStringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * Writes the projection (an avatar path outside the user's own folder is shown as none) of the profile as it is now (not as the event saw it), so late or
 * repeated deliveries converge on the same result and never resurrect a deleted user.
 */
export async function mirrorPublicProfile(uid: string): Promise<void> {
  await db().runTransaction(async (tx) => {
    const current = await tx.get(userDoc(uid));
    const projectionRef = publicProfileRef(uid);
    const projection = await tx.get(projectionRef);
    if (!current.exists) {
      if (projection.exists) tx.delete(projectionRef);
      return;
    }
    const next = {
      username: asStringOrNull(current.get("username")),
      displayName: asStringOrNull(current.get("displayName")) ?? "",
      avatarPath: safeAvatarPath(uid, current.get("avatarPath")),
    };
    const same =
      projection.exists &&
      projection.get("username") === next.username &&
      projection.get("displayName") === next.displayName &&
      projection.get("avatarPath") === next.avatarPath;
    if (!same) tx.set(projectionRef, { ...next, updatedAt: FieldValue.serverTimestamp() });
  });
}
