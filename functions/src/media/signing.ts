// V4 signed read URLs. In Cloud Functions the Admin SDK signs through the IAM signBlob API
// as the runtime service account (it needs roles/iam.serviceAccountTokenCreator on itself);
// elsewhere it signs with the service-account key of its credentials.
//
// A signer is a plain function so a caller (or a test) can supply one built from other
// credentials without the handler knowing how signing works.
import { mediaBucket, storageReachable } from "../shared/storage";

export type UrlSigner = (path: string, expiresAtMs: number) => Promise<string>;

export const adminSigner: UrlSigner = async (path, expiresAtMs) => {
  // Against the emulators without a Storage emulator there are no credentials to sign with,
  // and looking for them (the metadata server) only costs time.
  if (!storageReachable()) throw new Error("no Storage backend is reachable here");
  const [url] = await mediaBucket().file(path).getSignedUrl({
    version: "v4",
    action: "read",
    expires: expiresAtMs,
  });
  return url;
};
