// Runs `npm run parallax -- …` as a user would (a child process on the given database) and hands back
// its exit code and output, for the integration tests of the command line.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../db/schema-engine";

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runParallax(args: string[], databaseUrl: string, timeoutMs = 120_000): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      path.join(projectRoot, "node_modules/.bin/tsx"),
      ["lib/cli/parallax.ts", ...args],
      {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        timeout: timeoutMs,
        maxBuffer: 64 << 20,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
