import { describe, expect, it } from "vitest";
import { canApply, etaSeconds, refusalMessage } from "./run-control";

describe("run actions", () => {
  it("pause a queued or running run, resume a paused one, cancel any unfinished one", () => {
    expect(canApply("QUEUED", "pause")).toBe(true);
    expect(canApply("RUNNING", "pause")).toBe(true);
    expect(canApply("PAUSED", "pause")).toBe(false);
    expect(canApply("PAUSED", "resume")).toBe(true);
    expect(canApply("RUNNING", "resume")).toBe(false);
    for (const status of ["QUEUED", "RUNNING", "PAUSED"] as const) expect(canApply(status, "cancel")).toBe(true);
    for (const status of ["SUCCEEDED", "FAILED", "CANCELLED"] as const)
      for (const action of ["pause", "resume", "cancel"] as const) expect(canApply(status, action)).toBe(false);
  });

  it("say why they were refused, naming the kind of run", () => {
    expect(refusalMessage("run", "SUCCEEDED", "pause")).toBe("The run is succeeded: it cannot be paused.");
    expect(refusalMessage("judge run", "RUNNING", "resume")).toBe("The judge run is running: it cannot be resumed.");
    expect(refusalMessage("run", "CANCELLED", "cancel")).toBe("The run is cancelled: it cannot be cancelled.");
  });
});

describe("ETA", () => {
  it("is the time left at the pace so far, only while running and once an item ended", () => {
    expect(etaSeconds({ status: "RUNNING", total: 100, done: 20, failed: 5, elapsed: 50 })).toBe(150);
    expect(etaSeconds({ status: "RUNNING", total: 100, done: 0, failed: 0, elapsed: 50 })).toBeNull();
    expect(etaSeconds({ status: "RUNNING", total: 100, done: 10, failed: 0, elapsed: null })).toBeNull();
    expect(etaSeconds({ status: "PAUSED", total: 100, done: 10, failed: 0, elapsed: 5 })).toBeNull();
    expect(etaSeconds({ status: "RUNNING", total: 3, done: 2, failed: 0, elapsed: 1 })).toBe(1);
  });
});
