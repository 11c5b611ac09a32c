import { describe, expect, it } from "vitest";
import { DEMO_EMAIL_DOMAIN } from "../auth/users";
import { DEMO_USERS } from "./constants";
import { DEMO_SIGN_IN_ACCOUNTS } from "./demo-credentials";

describe("the demo accounts shown on the sign-in page", () => {
  it("are demo users with the role they are shown with, on the demo domain", () => {
    for (const account of DEMO_SIGN_IN_ACCOUNTS) {
      expect(DEMO_USERS).toContainEqual(expect.objectContaining({ email: account.email, role: account.role }));
    }
    for (const user of DEMO_USERS) expect(user.email.endsWith(`@${DEMO_EMAIL_DOMAIN}`)).toBe(true);
  });
});
