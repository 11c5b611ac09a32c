import { describe, expect, it } from "vitest";
import { decideRestart, DEFAULT_RESTART_POLICY, describeLimit } from "./restart-policy";

const minute = 60_000;

describe("decideRestart", () => {
  it("restarts a first crash after a short delay", () => {
    expect(decideRestart([], 1_000_000)).toEqual({ restart: true, delayMs: 500, ordinal: 1, history: [1_000_000] });
  });

  it("doubles the delay with each recent restart, up to the cap", () => {
    let history: number[] = [];
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const decision = decideRestart(history, i * 1000);
      if (!decision.restart) throw new Error("gave up too early");
      delays.push(decision.delayMs);
      history = decision.history;
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(decideRestart([], 0, { ...DEFAULT_RESTART_POLICY, maxRestarts: 10 }).restart).toBe(true);
    const many = decideRestart([1, 2, 3, 4, 5, 6, 7], 8, { ...DEFAULT_RESTART_POLICY, maxRestarts: 10 });
    expect(many.restart && many.delayMs).toBe(8000);
  });

  it("gives up at the sixth crash within ten minutes", () => {
    const history = [0, 1 * minute, 2 * minute, 3 * minute, 4 * minute];
    expect(decideRestart(history, 5 * minute)).toEqual({ restart: false, history });
  });

  it("forgets restarts older than the window", () => {
    const history = [0, 1 * minute, 2 * minute, 3 * minute, 4 * minute];
    const decision = decideRestart(history, 10 * minute + 1);
    expect(decision).toEqual({
      restart: true,
      delayMs: 8000,
      ordinal: 5,
      history: [1 * minute, 2 * minute, 3 * minute, 4 * minute, 10 * minute + 1],
    });
    expect(decideRestart(history, 15 * minute)).toMatchObject({ restart: true, ordinal: 1, delayMs: 500 });
  });

  it("words the limit for the launcher's messages", () => {
    expect(describeLimit()).toBe("5 restarts in 10 minutes");
  });
});
