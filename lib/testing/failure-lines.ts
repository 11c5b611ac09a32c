// The one line per failed test that `npm test`'s summary prints (lib/testing/run-all.ts): what a
// CI log's last lines must say for a failure to be found without the rest of the log.

/** The first non-blank line of a text, trimmed ("" when there is none). */
export const firstLine = (text: string | undefined): string =>
  (text ?? "")
    .split("\n")
    .find((line) => line.trim())
    ?.trim() ?? "";

/**
 * What a Vitest failure message says, in one line. A test or hook that runs out of time reaches
 * Vitest's JSON report with the stack of the placeholder error it made when the test was declared
 * ("Error: STACK_TRACE_ERROR" and frames), not its "timed out" message, so that case is named here
 * from the test's duration.
 */
export function vitestFailureLine(message: string | undefined, durationMs?: number): string {
  const line = firstLine(message);
  if (line === "Error: STACK_TRACE_ERROR") {
    const after = durationMs === undefined ? "" : ` after ${(durationMs / 1000).toFixed(1)} s`;
    return `timed out${after} (Vitest's report keeps no other message)`;
  }
  return line || "(no message)";
}
