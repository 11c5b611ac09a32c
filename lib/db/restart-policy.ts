// When the launcher restarts a crashed embedded PostgreSQL, and when it gives up. Pure, so that the
// limit and the backoff are tested without killing anything.
//
// The limit: a server that dies again and again (a full disk, a corrupted data folder, a machine out
// of memory) is not healed by restarting it; after `maxRestarts` restarts within `windowMs` the
// launcher stops with a clear message instead of restarting forever. The backoff doubles with each
// recent restart, so a crash loop does not spin the CPU, but stays short for the usual single crash
// (the app's pages answer "database unavailable" meanwhile).

export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 10 * 60_000,
  firstDelayMs: 500,
  maxDelayMs: 8_000,
};

export type RestartDecision =
  | {
      restart: true;
      delayMs: number /** 1 for the first restart within the window. */;
      ordinal: number;
      history: number[];
    }
  | { restart: false; history: number[] };

/**
 * `history`: when the earlier restarts happened (ms). Returns whether to restart after a crash at
 * `now`, after how long, and the history to keep (restarts outside the window are forgotten).
 */
export function decideRestart(
  history: readonly number[],
  now: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const recent = history.filter((at) => now - at < policy.windowMs);
  if (recent.length >= policy.maxRestarts) return { restart: false, history: recent };
  const delayMs = Math.min(policy.firstDelayMs * 2 ** recent.length, policy.maxDelayMs);
  return { restart: true, delayMs, ordinal: recent.length + 1, history: [...recent, now] };
}

/** "5 restarts in 10 minutes", for messages. */
export function describeLimit(policy: RestartPolicy = DEFAULT_RESTART_POLICY): string {
  const minutes = policy.windowMs / 60_000;
  return `${policy.maxRestarts} restart${policy.maxRestarts === 1 ? "" : "s"} in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}
