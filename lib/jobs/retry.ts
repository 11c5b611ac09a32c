// When to try an item's request again and how long to wait first: the rule every leased run
// (lib/jobs/leased-run.ts) applies to its endpoint calls. Pure, apart from the wait itself.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First back-off delay; doubled per attempt, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** What a failed attempt says about the next one (an endpoint error: 429/5xx/timeouts are retryable). */
export interface AttemptError {
  retryable: boolean;
  /** From Retry-After, when the endpoint sent one. */
  retryAfterMs: number | null;
}

/** The wait before attempt `attempt + 1`: Retry-After when the endpoint gave one, else exponential back-off with jitter. */
export function retryDelay(error: AttemptError, attempt: number, policy: RetryPolicy, random = Math.random): number {
  if (error.retryAfterMs !== null) return error.retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Whether attempt `attempt` (1-based) that failed with `error` is followed by another. */
export function shouldRetry(error: AttemptError, attempt: number, policy: RetryPolicy, stopped: boolean): boolean {
  return error.retryable && attempt < policy.attempts && !stopped;
}

export interface Attempted<T, E> {
  value: T | null;
  error: E | null;
  attempts: number;
}

/**
 * Calls `attempt` until it answers, fails with an error that no retry fixes, the last attempt fails,
 * or `stop()` turns true (checked before and after each wait). `toError` reads what was thrown.
 */
export async function withRetries<T, E extends AttemptError>(
  attempt: () => Promise<T>,
  toError: (caught: unknown) => E,
  policy: RetryPolicy = DEFAULT_RETRY,
  stop: () => boolean = () => false,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Attempted<T, E>> {
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      return { value: await attempt(), error: null, attempts };
    } catch (caught) {
      const error = toError(caught);
      if (!shouldRetry(error, attempts, policy, stop())) return { value: null, error, attempts };
      await sleep(retryDelay(error, attempts, policy));
      if (stop()) return { value: null, error, attempts };
    }
  }
}
