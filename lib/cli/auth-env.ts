// What the launcher adds to the web server's environment for sign-in: the session secret (required
// for `npm start`; made once and kept in .parallax/demo-secret for `npm run demo` and `npm run dev`),
// NEXTAUTH_URL, whether demo accounts may sign in, and the preload that records each request's peer
// address (lib/cli/peer-address.mjs).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { generateSecret, secretProblem } from "../auth/secret";

export type LaunchMode = "start" | "demo" | "dev";

/** A start-up refusal meant for the person at the terminal. */
export class LaunchConfigError extends Error {}

export interface AuthEnv {
  env: Record<string, string>;
  notes: string[];
}

function keptSecret(file: string): string {
  if (existsSync(file)) {
    const secret = readFileSync(file, "utf8").trim();
    if (!secretProblem(secret)) return secret;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = generateSecret();
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

function isLocalUrl(url: string): boolean {
  try {
    return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function prepareAuthEnv(options: {
  mode: LaunchMode;
  port: number;
  env: Record<string, string | undefined>;
  projectRoot: string;
}): AuthEnv {
  const { mode, env, port, projectRoot } = options;
  const notes: string[] = [];
  const result: Record<string, string> = {};

  const given = env.NEXTAUTH_SECRET;
  if (given) {
    const problem = secretProblem(given);
    if (problem) throw new LaunchConfigError(problem);
  } else if (mode === "start") {
    throw new LaunchConfigError(
      "NEXTAUTH_SECRET is not set: `npm start` needs it to encrypt sign-in sessions. Generate one with " +
        "`openssl rand -base64 32`, keep it secret, and give every instance the same value. (`npm run demo` makes its own.)",
    );
  } else {
    const file = path.join(projectRoot, ".parallax", "demo-secret");
    result.NEXTAUTH_SECRET = keptSecret(file);
    notes.push(
      `Session secret: ${path.relative(projectRoot, file)} (made once, kept; set NEXTAUTH_SECRET to use your own).`,
    );
  }

  const url = env.NEXTAUTH_URL || `http://localhost:${port}`;
  if (!env.NEXTAUTH_URL) result.NEXTAUTH_URL = url;
  try {
    new URL(url);
  } catch {
    throw new LaunchConfigError(
      `NEXTAUTH_URL must be the site's address, such as https://parallax.example.org, not "${url}".`,
    );
  }
  if (mode === "start" && url.startsWith("http://") && !isLocalUrl(url)) {
    notes.push(
      `NEXTAUTH_URL is ${url}: without https, sign-in cookies cannot be marked Secure. Serve Parallax over https and set NEXTAUTH_URL to match.`,
    );
  }

  // Set either way, so that an inherited PARALLAX_DEMO=1 cannot open demo accounts outside the demo.
  result.PARALLAX_DEMO = mode === "demo" ? "1" : "0";

  const preload = `--import=${pathToFileURL(path.join(projectRoot, "lib", "cli", "peer-address.mjs")).href}`;
  result.NODE_OPTIONS = [env.NODE_OPTIONS, preload].filter(Boolean).join(" ");
  return { env: result, notes };
}
