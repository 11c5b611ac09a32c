import { describe, expect, it } from "vitest";
import { deadImportMessage, importJobIsDead, STALE_AFTER_SECONDS } from "./import-jobs";

describe("importJobIsDead", () => {
  const running = { status: "RUNNING", heartbeatAgeSeconds: 2, backendPid: 812, backendAlive: true };
  it("keeps a running import with a fresh heartbeat and a live backend", () => {
    expect(importJobIsDead(running)).toBe(false);
  });
  it("declares dead an import whose heartbeat is older than the bound", () => {
    expect(importJobIsDead({ ...running, heartbeatAgeSeconds: STALE_AFTER_SECONDS })).toBe(false);
    expect(importJobIsDead({ ...running, heartbeatAgeSeconds: STALE_AFTER_SECONDS + 0.5 })).toBe(true);
  });
  it("declares dead an import whose backend is gone", () => {
    expect(importJobIsDead({ ...running, backendAlive: false })).toBe(true);
  });
  it("judges an import without a recorded backend by its heartbeat alone", () => {
    expect(importJobIsDead({ ...running, backendPid: null, backendAlive: false })).toBe(false);
    expect(importJobIsDead({ ...running, backendPid: null, backendAlive: false, heartbeatAgeSeconds: 60 })).toBe(true);
  });
  it("never touches a finished import", () => {
    for (const status of ["SUCCEEDED", "REJECTED", "FAILED"])
      expect(importJobIsDead({ status, heartbeatAgeSeconds: 9999, backendPid: 1, backendAlive: false })).toBe(false);
  });
  it("says where it stopped and that nothing was written", () => {
    expect(deadImportMessage(51200)).toBe("The import process stopped at row 51200; nothing of it was written.");
  });
});
