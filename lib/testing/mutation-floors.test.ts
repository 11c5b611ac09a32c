import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatScore,
  MUTATION_MODULES,
  type MutationModule,
  moduleOf,
  mutateGlobs,
  scoreModules,
} from "./mutation-floors";

const mutants = (status: string, count: number) => Array.from({ length: count }, () => ({ status }));

const modules: MutationModule[] = [
  { name: "stats", target: 90, database: false },
  { name: "import", target: 80, ratchet: 72, database: true },
];

describe("mutation floors", () => {
  it("finds the module of a reported file, with or without a sandbox path in front", () => {
    expect(moduleOf("lib/stats/agreement.ts")).toBe("stats");
    expect(moduleOf("/tmp/sandbox-1/lib/auth/guard.ts")).toBe("auth");
    expect(moduleOf("components/review/item.tsx")).toBeUndefined();
  });

  it("scores killed and timed-out mutants over all that ran or had no test, per module", () => {
    const [stats, imports] = scoreModules(
      [
        {
          files: {
            "lib/stats/a.ts": { mutants: [...mutants("Killed", 17), ...mutants("Survived", 2)] },
            "lib/stats/b.ts": {
              mutants: [...mutants("Timeout", 1), ...mutants("NoCoverage", 1), ...mutants("Ignored", 5)],
            },
          },
        },
        { files: { "lib/import/c.ts": { mutants: [...mutants("Killed", 3), ...mutants("Survived", 1)] } } },
      ],
      modules,
    );
    // 18 detected of 21 counted (the ignored ones are no test of the tests): 85.71 %, below 90.
    expect(stats).toMatchObject({ killed: 17, timeout: 1, survived: 2, noCoverage: 1, floor: 90, pass: false });
    expect(stats?.score).toBeCloseTo(85.714, 3);
    // 75 %: below its target of 80, above its ratchet of 72.
    expect(imports).toMatchObject({ score: 75, floor: 72, target: 80, pass: true });
  });

  it("passes a module exactly at its floor and fails one without mutants in the reports", () => {
    const [stats, imports] = scoreModules(
      [{ files: { "lib/stats/a.ts": { mutants: [...mutants("Killed", 9), ...mutants("Survived", 1)] } } }],
      modules,
    );
    expect(stats).toMatchObject({ score: 90, pass: true });
    expect(imports).toMatchObject({ score: undefined, pass: false });
  });

  it("prints one line per module with the verdict, score, counts and floor", () => {
    const [stats, imports] = scoreModules(
      [
        {
          files: {
            "lib/stats/a.ts": { mutants: [...mutants("Killed", 17), ...mutants("Survived", 3)] },
            "lib/import/c.ts": { mutants: [...mutants("Killed", 3), ...mutants("NoCoverage", 1)] },
          },
        },
      ],
      modules,
    );
    const statsLine = formatScore(stats!);
    expect(statsLine).toMatch(/^FAIL lib\/stats +85\.00 % +killed 17, survived 3, no coverage 0 +floor 90 %$/);
    expect(formatScore(imports!)).toMatch(
      /^PASS lib\/import +75\.00 % +killed 3, survived 0, no coverage 1 +floor 72 % \(ratchet; target 80 %\)$/,
    );
  });
});

describe("the modules CI mutates", () => {
  it("each have a committed incremental file, so CI mutates only what changed", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const missing = MUTATION_MODULES.filter(
      (m) => !m.pending && !existsSync(path.join(root, "stryker-incremental", `${m.name}.json`)),
    ).map((m) => m.name);
    expect(missing).toEqual([]);
  });

  it("hold a ratchet only below their target, and mutate no test files", () => {
    for (const m of MUTATION_MODULES) {
      if (m.ratchet !== undefined) expect(m.ratchet, m.name).toBeLessThan(m.target);
      expect(mutateGlobs(m), m.name).toContain("!lib/**/*.test.ts");
    }
  });
});
