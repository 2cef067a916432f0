import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";

export const timestampSchema = z.instanceof(Timestamp);
