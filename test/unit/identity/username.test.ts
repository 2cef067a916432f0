import { describe, expect, it } from "vitest";
import {
  checkUsernameFormat,
  isPremiumAt,
  usernameKey,
} from "../../../functions/src/contract/identity";
import { initialDisplayName } from "../../../functions/src/identity/profile";

describe("username rules", () => {
  it.each([
    ["abc", true],
    ["A_b_9", true],
    ["x".repeat(30), true],
    ["ab", false],
    ["x".repeat(31), false],
    ["has space", false],
    ["dash-ed", false],
    ["émile", false],
    ["ADMIN", false],
    ["Support", false],
    [42, false],
  ])("%s valid: %s", (name, valid) => {
    expect(checkUsernameFormat(name).valid).toBe(valid);
  });

  it("explains why a name is refused", () => {
    expect(checkUsernameFormat("admin")).toEqual({ valid: false, reason: "username is reserved" });
    expect(checkUsernameFormat("ab")).toEqual({
      valid: false,
      reason: "username must be at least 3 characters",
    });
  });

  it("is unique case-insensitively", () => {
    expect(usernameKey("Alice_W")).toBe(usernameKey("alice_w"));
  });
});

describe("profile helpers", () => {
  it("starts the display name from the provider name, else the email", () => {
    expect(initialDisplayName("ada@example.com", null)).toBe("ada");
    expect(initialDisplayName("ada@example.com", "Ada Lovelace")).toBe("Ada Lovelace");
    expect(initialDisplayName(null, null)).toBe("");
    expect(initialDisplayName("x".repeat(80) + "@e.com", null)).toHaveLength(60);
  });

  it("is premium only while the expiry is in the future", () => {
    expect(isPremiumAt(null, 1000)).toBe(false);
    expect(isPremiumAt(999, 1000)).toBe(false);
    expect(isPremiumAt(1000, 1000)).toBe(false);
    expect(isPremiumAt(1001, 1000)).toBe(true);
  });
});
