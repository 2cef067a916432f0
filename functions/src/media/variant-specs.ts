// The WebP variants made for every uploaded image, and where they are stored.
//
// Path convention: an original at `<dir>/<file>` gets its variants at
// `<dir>/variants/<file>/<name>.webp`, e.g. `user-content/u1/cat.jpg` ->
// `user-content/u1/variants/cat.jpg/thumbnail.webp`. The folder keeps the whole file name,
// extension included, so `cat.jpg` and `cat.png` in one folder never overwrite each other's
// variants. A `variants` folder is reserved: nothing under it is treated as an original,
// which is what stops the upload trigger from processing its own output.

export type VariantName = "thumbnail" | "small" | "medium" | "large";

export interface VariantSpec {
  readonly name: VariantName;
  readonly width: number;
  readonly height: number;
  /** `cover` fills the box exactly and crops the overflow; `inside` fits within the box. */
  readonly fit: "cover" | "inside";
  /** WebP quality, 1-100. */
  readonly quality: number;
}

export const VARIANT_SPECS: readonly VariantSpec[] = [
  { name: "thumbnail", width: 150, height: 150, fit: "cover", quality: 80 },
  { name: "small", width: 400, height: 400, fit: "inside", quality: 85 },
  { name: "medium", width: 800, height: 800, fit: "inside", quality: 85 },
  { name: "large", width: 1200, height: 1200, fit: "inside", quality: 90 },
];

export const VARIANTS_FOLDER = "variants";

/** Object paths of every variant of the original at `originalPath`. */
export function variantPathsFor(originalPath: string): Record<VariantName, string> {
  const slash = originalPath.lastIndexOf("/");
  const dir = slash === -1 ? "" : originalPath.slice(0, slash + 1);
  const file = originalPath.slice(slash + 1);
  if (file === "") throw new Error(`Not an object path: "${originalPath}"`);
  // Variants of a variant would be a loop; callers filter these out before getting here.
  if (isVariantPath(originalPath)) throw new Error(`Already a variant: "${originalPath}"`);
  const folder = `${dir}${VARIANTS_FOLDER}/${file}/`;
  return {
    thumbnail: `${folder}thumbnail.webp`,
    small: `${folder}small.webp`,
    medium: `${folder}medium.webp`,
    large: `${folder}large.webp`,
  };
}

/** True when the path lies inside a `variants` folder at any depth. */
export function isVariantPath(path: string): boolean {
  const folders = path.split("/").slice(0, -1);
  return folders.includes(VARIANTS_FOLDER);
}
