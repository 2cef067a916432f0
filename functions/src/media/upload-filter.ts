// Decides what the Storage trigger does with a newly written object. Pure: it sees only the
// object's metadata, never its bytes (makeVariants checks those).
//
// Order matters. The loop guard comes first, so the trigger's own writes (variants, and
// originals it marks as failed) are always skipped, even when they would fail a later rule.
import { isVariantPath } from "./variant-specs";

export interface UploadedObject {
  /** Full object path, e.g. `user-content/u1/photos/cat.jpg`. */
  name: string;
  contentType?: string | undefined;
  size: number;
  /** Custom metadata. */
  metadata?: Record<string, string> | undefined;
}

export type UploadOwner =
  /** `avatar`: the file is in the user's avatars/ folder (profile pictures). */
  | { type: "user"; uid: string; avatar: boolean }
  | { type: "character"; characterId: string; scope: "gallery" | "avatar" };

export type UploadKind = "image" | "audio";

export type UploadDecision =
  | { action: "process"; kind: UploadKind; owner: UploadOwner }
  | { action: "skip"; reason: string }
  | { action: "reject"; reason: string };

/** Custom metadata set on every variant the trigger writes. */
export const VARIANT_MARKER = "aichatVariant";
/** Custom metadata set on an original the trigger gave up on; its value is the failure code. */
export const FAILED_MARKER = "aichatFailed";

const MIB = 1024 * 1024;
/** Limits are in MiB, the unit of the usual `request.resource.size < 10 * 1024 * 1024` rule. */
export const MAX_IMAGE_BYTES = 10 * MIB;
export const MAX_AUDIO_BYTES = 50 * MIB;

/**
 * Formats the installed sharp can decode. HEIC/HEIF is left out: sharp's prebuilt libvips
 * reads only AVIF from the HEIF family (`sharp.format.heif.input.fileSuffix` is `[".avif"]`),
 * because the HEVC decoder is not bundled.
 */
export const IMAGE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/gif",
  "image/avif",
]);

export const AUDIO_CONTENT_TYPES: ReadonlySet<string> = new Set([
  "audio/mpeg",
  "audio/mp4",
  "audio/aac",
  "audio/ogg",
  "audio/webm",
  "audio/wav",
  "audio/x-wav",
  "audio/flac",
]);

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function decideUpload(object: UploadedObject): UploadDecision {
  const custom = object.metadata ?? {};
  if (isVariantPath(object.name) || custom[VARIANT_MARKER] === "true") {
    return { action: "skip", reason: "The object is a generated variant." };
  }
  if (custom[FAILED_MARKER] !== undefined) {
    return { action: "skip", reason: "The object was already marked as failed." };
  }
  // The Console's "create folder" writes an empty object whose name ends in a slash.
  if (object.name.endsWith("/")) {
    return { action: "skip", reason: "The object is a folder placeholder." };
  }

  const placement = placeObject(object.name);
  if (placement.action !== "place") return placement;

  if (!Number.isFinite(object.size) || object.size <= 0) {
    return { action: "reject", reason: "The file is empty." };
  }
  const kind = kindOf(object.contentType);
  if (kind === undefined) {
    return { action: "reject", reason: `Unsupported file type "${object.contentType ?? "none"}".` };
  }
  const owner = placement.owner;
  const avatar = owner.type === "character" ? owner.scope === "avatar" : owner.avatar;
  if (kind === "audio" && avatar) {
    return { action: "reject", reason: "An avatar must be an image." };
  }
  const limit = kind === "image" ? MAX_IMAGE_BYTES : MAX_AUDIO_BYTES;
  if (object.size > limit) {
    return { action: "reject", reason: `The ${kind} is larger than ${limit / MIB} MB.` };
  }
  return { action: "process", kind, owner };
}

type Placement =
  | { action: "place"; owner: UploadOwner }
  | { action: "skip"; reason: string }
  | { action: "reject"; reason: string };

/**
 * Finds the owner from the path. Objects outside the media folders belong to other
 * features and are skipped; inside them, a malformed path is rejected.
 */
function placeObject(name: string): Placement {
  const segments = name.split("/");
  const [root, id = "", scope] = segments;
  let owner: UploadOwner;
  let fileSegments: string[];
  if (root === "user-content") {
    owner = { type: "user", uid: id, avatar: scope === "avatars" && segments.length > 3 };
    fileSegments = segments.slice(2);
  } else if (root === "characters" && (scope === "gallery" || scope === "avatar")) {
    owner = { type: "character", characterId: id, scope };
    fileSegments = segments.slice(3);
  } else {
    return { action: "skip", reason: "The object is outside the media folders." };
  }

  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return { action: "reject", reason: "The path has an empty, '.' or '..' segment." };
  }
  if (!ID_PATTERN.test(id)) {
    return { action: "reject", reason: "The owner id in the path is not valid." };
  }
  if (fileSegments.length === 0) {
    return { action: "reject", reason: "The path has no file name." };
  }
  return { action: "place", owner };
}

/** Content types are compared without parameters or case: `Image/JPEG; q=1` is a JPEG. */
function kindOf(contentType: string | undefined): UploadKind | undefined {
  const bare = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (IMAGE_CONTENT_TYPES.has(bare)) return "image";
  if (AUDIO_CONTENT_TYPES.has(bare)) return "audio";
  return undefined;
}
