// Demo accounts: Auth users with fixed ids, their profiles, usernames and roles.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { adminAuth, db, Timestamp } from "../shared/firebase";
import { usernameKey, usernameSchema } from "../contract/identity";
import { Tally, writeIfChanged } from "./write-if-changed";

const demoUserSchema = z.strictObject({
  uid: z.string().min(1),
  email: z.email(),
  password: z.string().min(6),
  displayName: z.string().max(60),
  username: usernameSchema,
  role: z.enum(["user", "admin"]),
  premiumUntil: z.iso.datetime({ offset: true }).nullable(),
});
export type DemoUser = z.infer<typeof demoUserSchema>;

export function readDemoUsers(file: string): DemoUser[] {
  return z.array(demoUserSchema).parse(JSON.parse(readFileSync(file, "utf8")));
}

async function ensureAuthUser(user: DemoUser): Promise<"created" | "updated" | "unchanged"> {
  const auth = adminAuth();
  const existing = await auth.getUser(user.uid).catch(() => null);
  if (!existing) {
    await auth.createUser({
      uid: user.uid,
      email: user.email,
      password: user.password,
      displayName: user.displayName,
      emailVerified: true,
    });
  }
  const wantAdmin = user.role === "admin";
  const claimsRight = (existing?.customClaims?.admin === true) === wantAdmin;
  if (!existing || !claimsRight) {
    await auth.setCustomUserClaims(user.uid, { ...existing?.customClaims, admin: wantAdmin });
  }
  if (!existing) return "created";
  return claimsRight ? "unchanged" : "updated";
}

export async function seedUsers(users: DemoUser[]): Promise<Tally> {
  const tally = new Tally();
  const firestore = db();
  for (const user of users) {
    tally.add(await ensureAuthUser(user));
    tally.add(
      await writeIfChanged(firestore.collection("users").doc(user.uid), {
        uid: user.uid,
        email: user.email,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        premiumUntil: user.premiumUntil ? Timestamp.fromDate(new Date(user.premiumUntil)) : null,
        deactivated: false,
        bio: "",
        avatarPath: null,
        preferences: {},
      }),
    );
    tally.add(
      await writeIfChanged(
        firestore.collection("usernames").doc(usernameKey(user.username)),
        { uid: user.uid, username: user.username },
        { timestamps: false },
      ),
    );
    tally.add(
      await writeIfChanged(firestore.collection("publicProfiles").doc(user.uid), {
        username: user.username,
        displayName: user.displayName,
        avatarPath: null,
      }),
    );
  }
  return tally;
}
