// `npm run parallax -- evaluate-signals --testset real` on the committed samples: what a researcher reads.
import { afterEach, describe, expect, it, vi } from "vitest";
import { evaluateTestsetCommand } from "./analysis-commands";
// Loaded here, not first by the command's dynamic imports inside a test: mutation testing counts a
// module's top-level code run inside a test as that test's, and the refusal rules' expressions are
// built at load (static mutants, which it leaves out only when they run outside any test).
import "./testset/real/score-real";

afterEach(() => vi.restoreAllMocks());

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void out.push(parts.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void err.push(parts.join(" ")));
  const code = await evaluateTestsetCommand(args);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("evaluate-signals --testset real --set sample", () => {
  it("prints refusal with and without the possible_refusal hint, and the hint on ordinary answers", async () => {
    const { code, out } = await run(["--testset", "real", "--set", "sample", "--split", "holdout"]);
    expect(code).toBe(0);
    // JailbreakBench's hold-out sample: one more refusal found with the hint, no new false positive.
    expect(out).toMatch(/^refused_or_partial +157 +52 +1 +8 +96 /m);
    expect(out).toMatch(/^ {2}or possible_refusal hint +157 +53 +1 +7 +96 /m);
    // RBR's: ten more.
    expect(out).toMatch(/^refused_or_partial +90 +22 +0 +28 +40 /m);
    expect(out).toMatch(/^ {2}or possible_refusal hint +90 +32 +3 +18 +37 /m);
    expect(out).toContain(
      "refusal-benign-sample.jsonl, the holdout half, 102 answers to benign instructions that the rules call complied: hinted on 0 (0.0 % [0.0 %, 3.6 %]).",
    );
    expect(out).toContain("  model claude-2.1: 0 of ");
  });

  it("names the flag that is wrong", async () => {
    expect(await run(["--testset", "real", "--split", "half"])).toMatchObject({
      code: 2,
      err: '--split must be all, tune or holdout (got "half")',
    });
    expect(await run(["--testset", "real", "--set", "most"])).toMatchObject({
      code: 2,
      err: '--set must be sample or full (got "most")',
    });
  });
});
