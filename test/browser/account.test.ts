// Deleting the account, with its typed confirmation, signs the person out and removes their
// data: profile, username, conversations and the Auth user.
import { describe, expect, it } from "vitest";
import { adminAuth, db } from "../helpers/admin";
import { openApp, screenshot, signInAs } from "./harness";
import { browserForFile, eventually, existingPerson } from "./fixtures";

const browser = browserForFile();

describe("account", () => {
  it(
    "deletes the account after a typed confirmation, signs out, and the data is gone",
    { timeout: 240_000 },
    async () => {
      const person = await existingPerson("Alex");
      const { page, problems, dialogs } = await openApp(browser(), "desktop", "/signin");
      await signInAs(page, person.email, person.password);
      const origin = new URL(page.url()).origin;
      // Opening a chat creates the conversation with its greeting.
      await page.goto(`${origin}/chat/willow-herbalist`);
      await eventually(() => page.getByTestId("reply").count()).toBe(1);
      const conversations = db().collection("conversations").where("userId", "==", person.uid);
      expect((await conversations.get()).size).toBe(1);

      await page.getByRole("link", { name: "Account" }).click();
      await page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
      await page.getByRole("button", { name: "Delete account" }).click();
      const dialog = page.getByRole("dialog", { name: "Delete your account?" });
      await dialog.waitFor();
      const confirm = dialog.getByRole("button", { name: "Delete my account" });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel("Type DELETE to confirm").fill("DELETE");
      await screenshot(page, "account-delete-desktop");
      await confirm.click();

      await page.waitForURL(/\/signin$/, { timeout: 120_000 });
      await page.getByText("Your account and its conversations were deleted.").waitFor();
      expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
      expect((await db().doc(`users/${person.uid}`).get()).exists).toBe(false);
      expect((await db().doc(`usernames/${person.username.toLowerCase()}`).get()).exists).toBe(
        false,
      );
      expect((await conversations.get()).size).toBe(0);
      await expect(adminAuth().getUser(person.uid)).rejects.toMatchObject({
        code: "auth/user-not-found",
      });
      // Signing in again is refused.
      await page.getByLabel("Email", { exact: true }).fill(person.email);
      await page.getByLabel("Password", { exact: true }).fill(person.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("alert").waitFor();
      expect(dialogs).toEqual([]);
      expect(problems.filter((problem) => !/400 \(Bad Request\)/.test(problem))).toEqual([]);
    },
  );
});
