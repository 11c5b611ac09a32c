// Password hashing (bcrypt, cost 12: about 0.35 s per hash or check on these machines, in pure JS so
// nothing native to build), the rules a new password must meet, and generated passwords.
import { randomInt } from "node:crypto";
import bcrypt from "bcryptjs";

export const BCRYPT_COST = 12;
export const MIN_PASSWORD_LENGTH = 12;
/** bcrypt ignores everything after 72 bytes; longer passwords are refused rather than cut silently. */
export const MAX_PASSWORD_BYTES = 72;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let decoyHash: Promise<string> | undefined;

/**
 * Checks a password against a hash that nobody's password matches, so that a sign-in for an unknown
 * or password-less account takes as long as one for a real account and does not reveal which
 * accounts exist.
 */
export async function spendPasswordCheck(password: string): Promise<false> {
  decoyHash ??= bcrypt.hash(`decoy-${randomInt(1 << 30)}-${Date.now()}`, BCRYPT_COST);
  await bcrypt.compare(password, await decoyHash);
  return false;
}

/** Why a new password is not acceptable, or null when it is. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES)
    return `Use at most ${MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest).`;
  if (new Set(password).size < 5) return "Use more different characters.";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local))
    return "Do not use your email address in the password.";
  return null;
}

// No 0/O, 1/l/I: generated passwords are read off a terminal and typed.
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A random password of 4 groups of 5 characters (about 116 bits), e.g. "k7Qm2-…". */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = "";
    for (let i = 0; i < 5; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join("-");
}
