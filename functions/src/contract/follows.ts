// Following characters. Pure: zod only.
//
// users/{uid}/following/{characterId}   the owner creates (published characters only) and
//                                        deletes it; followers hear of new gallery items
import { z } from "zod";
import { timestampSchema } from "./timestamp.js";

export const followSchema = z.object({
  characterId: z.string(),
  createdAt: timestampSchema,
});
export type Follow = z.infer<typeof followSchema>;
