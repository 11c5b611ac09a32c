// The sign-in and invite forms' inputs as the server checks them: the two passwords must match, an
// email is trimmed, and every field is bounded (320 characters is the longest email address RFC 3696
// allows; a password of up to 1024, of which bcrypt reads 72 bytes).
import { describe, expect, it, vi } from "vitest";

/**
 * The schemas, imported afresh inside each test: they are built when the module loads, and a
 * mutation-testing run traces a built-at-load value only to tests that load it themselves.
 */
async function schemas() {
  vi.resetModules();
  return import("./schemas");
}

const PASSWORD = "orbit-velvet-kettle-lamp";

describe("credentialsInput", () => {
  it("takes an email (trimmed) and a password, and nothing else", async () => {
    const { credentialsInput } = await schemas();
    expect(credentialsInput.parse({ email: "  rita@example.org ", password: PASSWORD, remember: "yes" })).toEqual({
      email: "rita@example.org",
      password: PASSWORD,
    });
  });

  it("refuses an empty or blank email and an empty password", async () => {
    const { credentialsInput } = await schemas();
    for (const input of [
      { email: "", password: PASSWORD },
      { email: "   ", password: PASSWORD },
      { email: "rita@example.org", password: "" },
      { email: "rita@example.org" },
      { password: PASSWORD },
    ]) {
      expect(credentialsInput.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
  });

  it("takes an email of up to 320 characters and a password of up to 1024, no longer", async () => {
    const { credentialsInput } = await schemas();
    const email = (length: number) => `${"r".repeat(length - "@example.org".length)}@example.org`;
    expect(credentialsInput.safeParse({ email: email(320), password: "p".repeat(1024) }).success).toBe(true);
    expect(credentialsInput.safeParse({ email: email(321), password: PASSWORD }).success).toBe(false);
    expect(credentialsInput.safeParse({ email: email(20), password: "p".repeat(1025) }).success).toBe(false);
    // The bound is on the trimmed address.
    expect(credentialsInput.safeParse({ email: ` ${email(320)} `, password: "p" }).success).toBe(true);
  });
});

describe("acceptInviteInput", () => {
  it("accepts two equal passwords and refuses two different ones, on the confirmation field", async () => {
    const { acceptInviteInput } = await schemas();
    const input = { token: "t", password: PASSWORD, confirm: PASSWORD };
    expect(acceptInviteInput.parse({ ...input, extra: 1 })).toEqual(input);
    const mismatch = acceptInviteInput.safeParse({ ...input, confirm: "orbit-velvet-kettle-lamb" });
    expect(mismatch.success).toBe(false);
    expect(mismatch.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [["confirm"], "The two passwords differ."],
    ]);
  });

  it("takes a token of 1 to 100 characters and passwords of up to 1024", async () => {
    const { acceptInviteInput } = await schemas();
    const ok = (token: string, password: string) =>
      acceptInviteInput.safeParse({ token, password, confirm: password }).success;
    expect(ok("t".repeat(100), "p".repeat(1024))).toBe(true);
    expect(ok("", PASSWORD)).toBe(false);
    expect(ok("t".repeat(101), PASSWORD)).toBe(false);
    expect(ok("t", "p".repeat(1025))).toBe(false);
    const longConfirm = acceptInviteInput.safeParse({ token: "t", password: PASSWORD, confirm: "p".repeat(1025) });
    expect(longConfirm.error?.issues.map((issue) => [issue.path, issue.code])).toContainEqual([["confirm"], "too_big"]);
    // An empty password passes the form's shape; the password rules (passwords.ts) refuse it.
    expect(ok("t", "")).toBe(true);
  });
});
