import bcrypt from "bcryptjs";
import { describe, expect, it, vi } from "vitest";
import {
  BCRYPT_COST,
  generatePassword,
  hashPassword,
  passwordProblem,
  spendPasswordCheck,
  verifyPassword,
} from "./passwords";

describe("hashPassword / verifyPassword", () => {
  it("hashes with bcrypt at cost 12 and checks", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(new RegExp(`^\\$2[aby]\\$${BCRYPT_COST}\\$`));
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  it("spends a real password check on accounts without a hash: one bcrypt comparison at cost 12, the decoy hashed once", async () => {
    // Counted, not timed: the work is what an attacker's stopwatch would see (speed: npm run bench).
    const compare = vi.spyOn(bcrypt, "compare");
    const hash = vi.spyOn(bcrypt, "hash");
    try {
      expect(await spendPasswordCheck("anything")).toBe(false);
      expect(await spendPasswordCheck("decoy-anything")).toBe(false);
      expect(compare.mock.calls.map(([password, stored]) => [password, bcrypt.getRounds(stored as string)])).toEqual([
        ["anything", BCRYPT_COST],
        ["decoy-anything", BCRYPT_COST],
      ]);
      expect(hash.mock.calls.length).toBeLessThanOrEqual(1); // made once, on the first call of the process
      expect(await compare.mock.results[0]!.value).toBe(false);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("passwordProblem", () => {
  it("wants 12 to 72 bytes, some variety, and not the email", () => {
    expect(passwordProblem("short")).toMatch(/at least 12/);
    expect(passwordProblem("a".repeat(73))).toMatch(/at most 72/);
    expect(passwordProblem("é".repeat(40))).toMatch(/at most 72 bytes/);
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toMatch(/different/);
    expect(passwordProblem("ada.lovelace-2024!", { email: "ada.lovelace@example.org" })).toMatch(/email/);
    expect(passwordProblem("tulip-arch-canal-9")).toBeNull();
  });
});

describe("generatePassword", () => {
  it("makes four groups of five unambiguous characters, different each time", () => {
    const passwords = Array.from({ length: 50 }, generatePassword);
    for (const password of passwords) {
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
      expect(passwordProblem(password)).toBeNull();
    }
    expect(new Set(passwords).size).toBe(50);
  });
});

describe("passwordProblem at its bounds", () => {
  it("accepts exactly 12 characters and exactly 72 bytes, counting characters, not UTF-16 units", () => {
    expect(passwordProblem("abcdefghijkl")).toBeNull();
    expect(passwordProblem("abcdefghijk")).toMatch(/at least 12/);
    expect(passwordProblem(`abcdefgh${"x".repeat(64)}`)).toBeNull();
    // 34 two-byte characters and 4 one-byte ones: 72 bytes.
    expect(passwordProblem(`${"é".repeat(34)}abcd`)).toBeNull();
    // Eleven emoji are 22 UTF-16 units but 11 characters: too short.
    expect(passwordProblem("😀😁😂🤣😃😄😅😆😉😊😋")).toMatch(/at least 12/);
  });
});

describe("passwordProblem and the email", () => {
  it("judges a password without an email on its own, and ignores email names shorter than 4 characters", () => {
    expect(passwordProblem("orbit-velvet-kettle-lamp")).toBeNull();
    expect(passwordProblem("orbit-velvet-kettle-lamp", {})).toBeNull();
    expect(passwordProblem("abc-orbit-velvet-kettle", { email: "abc@example.org" })).toBeNull();
    expect(passwordProblem("abcd-orbit-velvet-kettle", { email: "abcd@example.org" })).toBe(
      "Do not use your email address in the password.",
    );
    expect(passwordProblem("ABCD-orbit-velvet-kettle", { email: "Abcd@example.org" })).toBe(
      "Do not use your email address in the password.",
    );
  });
});
