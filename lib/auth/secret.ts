// The secret that encrypts session cookies (NEXTAUTH_SECRET). Every instance serving the same users
// needs the same one; `npm start` refuses to run without it, `npm run demo` makes one and keeps it.
import { randomBytes } from "node:crypto";

export const MIN_SECRET_LENGTH = 32;

export class AuthSecretError extends Error {}

/** Why a secret is unusable, or null. */
export function secretProblem(secret: string): string | null {
  return secret.length < MIN_SECRET_LENGTH
    ? `NEXTAUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters (it is ${secret.length}).`
    : null;
}

export function generateSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** The configured secret; throws with what to do when it is missing or too short. */
export function authSecret(env: Record<string, string | undefined> = process.env): string {
  const secret = env.NEXTAUTH_SECRET;
  if (!secret) {
    throw new AuthSecretError(
      "NEXTAUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and give every Parallax instance the same value (`npm run demo` makes its own).",
    );
  }
  const problem = secretProblem(secret);
  if (problem) throw new AuthSecretError(problem);
  return secret;
}
