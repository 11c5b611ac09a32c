import { describe, expect, it } from "vitest";
import { firstLine, vitestFailureLine } from "./failure-lines";

describe("the summary's line for a failed test", () => {
  it("is the first line of the failure that has text", () => {
    expect(firstLine("\n  \nAssertionError: expected 1 to be 2\n    at x.test.ts:3:5")).toBe(
      "AssertionError: expected 1 to be 2",
    );
    expect(firstLine(undefined)).toBe("");
    expect(vitestFailureLine("Error: connection refused\n    at y")).toBe("Error: connection refused");
  });

  it("says a timeout where Vitest's report holds only the declaring placeholder's stack", () => {
    // The failureMessages entry of a test that ran past its 120 s limit, as Vitest 4 writes it.
    const stack =
      "Error: STACK_TRACE_ERROR\n    at lib/import/pipeline.int.test.ts:88:3\n    at new Promise (<anonymous>)";
    expect(vitestFailureLine(stack, 120_012)).toBe("timed out after 120.0 s (Vitest's report keeps no other message)");
    expect(vitestFailureLine(stack)).toBe("timed out (Vitest's report keeps no other message)");
  });

  it("never prints an empty reason", () => {
    expect(vitestFailureLine("")).toBe("(no message)");
    expect(vitestFailureLine(undefined, 5)).toBe("(no message)");
  });
});
