import { describe, expect, it } from "vitest";
import { DEMO_EMAIL_DOMAIN } from "../auth/users";
import { Role } from "../db/generated/enums";
import { DEMO_USERS } from "./constants";
import { DEMO_SIGN_IN_ACCOUNTS } from "./demo-credentials";

describe("the demo accounts shown on the sign-in page", () => {
  it("list exactly one account per role, each a demo user with the role it is shown with", () => {
    // Every role once, so an empty or partial list fails here rather than passing a loop over nothing.
    expect(DEMO_SIGN_IN_ACCOUNTS.map((a) => a.role).sort()).toEqual(Object.values(Role).sort());
    expect(new Set(DEMO_SIGN_IN_ACCOUNTS.map((a) => a.email)).size).toBe(DEMO_SIGN_IN_ACCOUNTS.length);
    for (const account of DEMO_SIGN_IN_ACCOUNTS) {
      expect(DEMO_USERS).toContainEqual(expect.objectContaining({ email: account.email, role: account.role }));
    }
  });

  it("are all on the demo domain, which only a demo server lets in", () => {
    expect(DEMO_USERS.length).toBeGreaterThanOrEqual(DEMO_SIGN_IN_ACCOUNTS.length);
    for (const user of DEMO_USERS) expect(user.email.endsWith(`@${DEMO_EMAIL_DOMAIN}`), user.email).toBe(true);
  });
});
