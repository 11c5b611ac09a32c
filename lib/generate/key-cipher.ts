// Endpoint API keys at rest: AES-256-GCM with a key derived (HKDF-SHA-256) from the server secret,
// NEXTAUTH_SECRET, which every instance already shares. A stored key reads "v1.<iv>.<tag>.<data>"
// (base64url); it is decrypted only by the worker that calls the endpoint, never sent to a browser.
// Changing the secret makes stored keys unreadable: the run then fails saying so, and the key must
// be entered again.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { secretProblem } from "../auth/secret";

export class KeyCipherError extends Error {}

const INFO = "parallax endpoint api key v1";

function derive(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), INFO, 32));
}

/**
 * The server secret: NEXTAUTH_SECRET, else the one `npm run demo` keeps in .parallax/demo-secret (so
 * the command line and the demo server share it).
 */
export function serverSecret(env: Record<string, string | undefined> = process.env, root = process.cwd()): string {
  const given = env.NEXTAUTH_SECRET;
  if (given && !secretProblem(given)) return given;
  const file = path.join(root, ".parallax", "demo-secret");
  if (existsSync(file)) {
    const kept = readFileSync(file, "utf8").trim();
    if (!secretProblem(kept)) return kept;
  }
  throw new KeyCipherError(
    "No server secret to encrypt the API key with: set NEXTAUTH_SECRET (the same value as the server's).",
  );
}

export function encryptApiKey(apiKey: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derive(secret), iv);
  const data = Buffer.concat([cipher.update(apiKey, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(
    ".",
  );
}

export function decryptApiKey(stored: string, secret: string): string {
  const [version, iv, tag, data] = stored.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined)
    throw new KeyCipherError("The stored API key is malformed.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", derive(secret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new KeyCipherError(
      "The checkpoint's API key cannot be decrypted with this server's secret (NEXTAUTH_SECRET changed?): enter the key again.",
    );
  }
}
