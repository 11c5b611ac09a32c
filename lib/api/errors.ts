// The one way an /api/v1 route answers an error: JSON `{ error, message, ... }` with no-store, and
// for whatever a handler throws, one line in the server log and a JSON answer instead of Next's
// empty 500. Framework-free (plain Request/Response), so it is unit-tested as it is.
import { isDatabaseUnavailable } from "../db/availability";

/** How long a client is told to wait before retrying when the database is unavailable or busy. */
export const RETRY_AFTER_SECONDS = 5;

export function apiError(
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error, message, ...extra }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** 503 with Retry-After: the database cannot be reached, or every connection is busy. */
export function databaseUnavailable(reason: string): Response {
  return apiError(
    503,
    "database_unavailable",
    `The database is unavailable or busy (${reason}). Try again in a few seconds.`,
    { reason, retryAfterSeconds: RETRY_AFTER_SECONDS },
    { "Retry-After": String(RETRY_AFTER_SECONDS) },
  );
}

/** SQLSTATE 57014 with this text: the pool's statement_timeout (lib/db/pool.ts) cut a query off. */
function isStatementTimeout(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "57014" && typeof message === "string" && /statement timeout/i.test(message);
}

/** An error, or one of its causes, with this SQLSTATE. */
function hasCode(error: unknown, code: string, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  if ((error as { code?: unknown }).code === code) return true;
  return hasCode((error as { cause?: unknown }).cause, code, depth + 1);
}

/** Next's own control-flow errors (redirect(), notFound(), dynamic usage) carry a digest: not ours to answer. */
function isFrameworkSignal(error: unknown): boolean {
  return typeof (error as { digest?: unknown } | null)?.digest === "string";
}

/** A client that went away before its answer: nothing to answer, nothing to log. */
function isClientGone(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "ExportAbortedError" || name === "ResponseAborted";
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 500);
}

/** The message of an error and of its causes, on one line. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const message =
      current instanceof Error ? current.message : typeof current === "string" ? current : JSON.stringify(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = (current as { cause?: unknown }).cause;
  }
  return oneLine(parts.join(": ") || "unknown error");
}

/** Where a bug was thrown from (the first stack frame), so the one log line is enough to find it. */
function thrownAt(error: unknown): string {
  const stack = error instanceof Error ? error.stack : undefined;
  const frame = stack?.split("\n").find((line) => line.trim().startsWith("at "));
  return frame ? ` (${frame.trim()})` : "";
}

export type LogLine = (line: string) => void;

const defaultLog: LogLine = (line) => console.error(line);

/** The log line's start: `[parallax] api GET /api/v1/studies/x/export`. */
export function requestLabel(request: Request): string {
  let path = request.url;
  try {
    path = new URL(request.url).pathname;
  } catch {
    // keep the raw url
  }
  return `[parallax] api ${request.method} ${path}`;
}

/** The JSON answer for an error thrown by a route handler (and its one log line). */
export function answerThrown(request: Request, error: unknown, log: LogLine = defaultLog): Response {
  const label = requestLabel(request);
  if (isClientGone(error)) return new Response(null, { status: 499 });
  // 25P03: PostgreSQL ended a transaction left idle too long (lib/db/pool.ts): the request itself
  // stalled (an upload whose client stopped sending), so retrying as it was will not help.
  if (hasCode(error, "25P03")) {
    log(`${label} 408 idle-in-transaction timeout: ${describeError(error)}`);
    return apiError(
      408,
      "request_timeout",
      "The request stalled (nothing came for too long) and its database transaction was ended; nothing of it was saved. Send it again.",
    );
  }
  if (isDatabaseUnavailable(error)) {
    const reason = describeError(error);
    log(`${label} 503 database unavailable: ${reason}`);
    return databaseUnavailable(reason);
  }
  if (isStatementTimeout(error)) {
    log(`${label} 503 statement timeout: ${describeError(error)}`);
    return databaseUnavailable("a query took longer than the statement timeout");
  }
  log(`${label} 500 internal error: ${describeError(error)}${thrownAt(error)}`);
  return apiError(500, "internal_error", "Something went wrong on the server; the server log says what.");
}

/**
 * Wraps a route handler: anything it throws becomes a JSON answer (503 with Retry-After when the
 * database is unavailable or the pool exhausted, else 500) and one log line. Errors after the
 * headers were sent (a streamed download) cannot change the status; the export's web stream logs
 * and ends those itself (lib/export/export-web-stream.ts).
 */
export function withApiErrors<Context>(
  handler: (request: Request, context: Context) => Promise<Response>,
  log: LogLine = defaultLog,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (isFrameworkSignal(error)) throw error;
      return answerThrown(request, error, log);
    }
  };
}
