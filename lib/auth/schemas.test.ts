// The invite form's input: the two passwords must match, checked on the server like the sign-in form.
import { describe, expect, it } from "vitest";
import { acceptInviteInput } from "./schemas";

describe("acceptInviteInput", () => {
  it("accepts two equal passwords and refuses two different ones, on the confirmation field", () => {
    const input = { token: "t", password: "orbit-velvet-kettle-lamp", confirm: "orbit-velvet-kettle-lamp" };
    expect(acceptInviteInput.parse(input)).toEqual(input);
    const mismatch = acceptInviteInput.safeParse({ ...input, confirm: "orbit-velvet-kettle-lamb" });
    expect(mismatch.success).toBe(false);
    expect(mismatch.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [["confirm"], "The two passwords differ."],
    ]);
  });
});
