// Schemas shared by several features' callables. Pure: zod only.
import { z } from "zod";

/** Callables that take no arguments accept `{}` (or nothing) and refuse any other key. */
export const emptyInput = z.strictObject({});
export type EmptyInput = z.input<typeof emptyInput>;

/** Whether an optional feature works here and, if not, why (in words an operator can act on). */
export const featureStateSchema = z.object({
  enabled: z.boolean(),
  reason: z.string().optional(),
});
export type FeatureState = z.infer<typeof featureStateSchema>;

/** A schema whose parsed value has type `T` (for code that takes any of the schemas above). */
export type Schema<T> = z.ZodType<T>;
