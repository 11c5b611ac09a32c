import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, retryDelay, shouldRetry, withRetries } from "./retry";

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
const retryable = { retryable: true, retryAfterMs: null };

class Refused extends Error {
  constructor(
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(retryable ? "try again" : "never");
  }
}
const toError = (caught: unknown) => (caught instanceof Refused ? caught : new Refused(false));

describe("retry decisions", () => {
  it("waits what Retry-After says, whatever the attempt", () => {
    expect(retryDelay({ retryable: true, retryAfterMs: 7000 }, 1, policy)).toBe(7000);
    expect(retryDelay({ retryable: true, retryAfterMs: 0 }, 3, policy)).toBe(0);
  });

  it("else doubles the back-off per attempt, with jitter between half and all of it, up to the ceiling", () => {
    expect(retryDelay(retryable, 1, policy, () => 0)).toBe(50);
    expect(retryDelay(retryable, 1, policy, () => 1)).toBe(100);
    expect(retryDelay(retryable, 2, policy, () => 1)).toBe(200);
    expect(retryDelay(retryable, 3, policy, () => 0.5)).toBe(300);
    expect(retryDelay(retryable, 10, policy, () => 1)).toBe(1000);
    expect(retryDelay(retryable, 10, policy, () => 0)).toBe(500);
  });

  it("retries only what may succeed, before the last attempt, while not stopped", () => {
    expect(shouldRetry(retryable, 1, policy, false)).toBe(true);
    expect(shouldRetry(retryable, 3, policy, false)).toBe(true);
    expect(shouldRetry(retryable, 4, policy, false)).toBe(false);
    expect(shouldRetry({ retryable: false, retryAfterMs: null }, 1, policy, false)).toBe(false);
    expect(shouldRetry(retryable, 1, policy, true)).toBe(false);
  });

  it("defaults to six attempts from half a second up to 30 s", () => {
    expect(DEFAULT_RETRY).toEqual({ attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 });
  });
});

describe("withRetries", () => {
  function attempts(outcomes: (Refused | string)[]) {
    let n = 0;
    return async () => {
      const next = outcomes[n++]!;
      if (next instanceof Refused) throw next;
      return next;
    };
  }

  it("retries until an answer, sleeping the delays Retry-After and the back-off give", async () => {
    const slept: number[] = [];
    const result = await withRetries(
      attempts([new Refused(true, 2500), new Refused(true), "answer"]),
      toError,
      { attempts: 5, baseDelayMs: 100, maxDelayMs: 100 },
      () => false,
      async (ms) => {
        slept.push(ms);
      },
    );
    expect(result).toEqual({ value: "answer", error: null, attempts: 3 });
    expect(slept[0]).toBe(2500);
    expect(slept[1]).toBeGreaterThanOrEqual(50);
    expect(slept[1]).toBeLessThanOrEqual(100);
  });

  it("stops at an error no retry fixes, and at the last attempt, with that error", async () => {
    const never = new Refused(false);
    const once = await withRetries(attempts([never, "unused"]), toError, policy, undefined, async () => {});
    expect(once).toEqual({ value: null, error: never, attempts: 1 });
    const busy = new Refused(true);
    const all = await withRetries(
      attempts([busy, busy, busy, busy, "unused"]),
      toError,
      policy,
      undefined,
      async () => {},
    );
    expect(all).toEqual({ value: null, error: busy, attempts: 4 });
  });

  it("gives up when stopped during a wait, and reads anything thrown as final", async () => {
    let stopped = false;
    const result = await withRetries(
      attempts([new Refused(true), "unused"]),
      toError,
      policy,
      () => stopped,
      async () => {
        stopped = true;
      },
    );
    expect(result.value).toBeNull();
    expect(result.attempts).toBe(1);
    const thrown = await withRetries(
      async () => {
        throw new TypeError("boom");
      },
      toError,
      policy,
      undefined,
      async () => {},
    );
    expect(thrown.attempts).toBe(1);
    expect(thrown.error?.retryable).toBe(false);
  });
});
