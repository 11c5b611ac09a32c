import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../demo/constants";
import { isDemoAccount, mayUseAccount, normalizeEmail } from "./users";

const account = { email: "ada@example.org", disabled: false, placeholder: false };

describe("mayUseAccount", () => {
  it("refuses disabled and placeholder accounts", () => {
    expect(mayUseAccount(account, false)).toBe(true);
    expect(mayUseAccount({ ...account, disabled: true }, false)).toBe(false);
    expect(mayUseAccount({ ...account, placeholder: true }, true)).toBe(false);
  });

  it("lets demo accounts in only in the demo", () => {
    for (const user of DEMO_USERS) {
      expect(isDemoAccount(user.email)).toBe(true);
      expect(mayUseAccount({ ...account, email: user.email }, false)).toBe(false);
      expect(mayUseAccount({ ...account, email: user.email }, true)).toBe(true);
    }
    expect(isDemoAccount("someone@parallax.local")).toBe(false);
  });
});

describe("normalizeEmail", () => {
  it("trims and lowercases", () => {
    expect(normalizeEmail("  Ada@Example.ORG ")).toBe("ada@example.org");
  });
});
