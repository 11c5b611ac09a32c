// Mutation-score floors per module of lib/: reads Stryker's JSON reports (mutation-testing-report
// schema), prints one line per module and tells whether every floor is met. Stryker itself has
// one global `thresholds.break`; the modules here deserve different bars.
import { readFileSync } from "node:fs";

export interface MutationModule {
  /** Folder under lib/. */
  name: string;
  /** The floor the project holds this module to (issue 21). */
  target: number;
  /**
   * The floor enforced today when a module has not reached its target yet: its last measured
   * score, rounded down (a ratchet: it may rise, never fall). Absent once the target is met.
   */
  ratchet?: number;
  /** Its tests need PostgreSQL (integration tests join the mutation run). */
  database: boolean;
  /** The files mutated (Stryker globs); the whole module when absent. */
  mutate?: string[];
  /**
   * The test files that may kill its mutants (Vitest globs); every test of lib/ when absent. A
   * module whose code every route imports (lib/auth) would otherwise drag half the integration
   * suite into each mutant's run.
   */
  tests?: string[];
  /**
   * Why the module is not mutated by default yet (no committed incremental file, so a run would
   * mutate all of it from scratch): `npm run test:mutation -- <name>` still runs it.
   */
  pending?: string;
}

/** Stryker's `mutate` globs of a module. */
export function mutateGlobs(m: MutationModule): string[] {
  return [
    ...(m.mutate ?? [`lib/${m.name}/**/*.ts`]),
    "!lib/**/*.test.ts",
    "!lib/**/*.fixture.ts",
    "!lib/**/fixtures.ts",
  ];
}

export const MUTATION_MODULES: readonly MutationModule[] = [
  { name: "stats", target: 90, database: false },
  // Its own unit and integration tests (sign-in, tokens, the guard against PostgreSQL); the
  // other modules' integration tests import the guard too, which made a run of every test of
  // lib/ on course for well over an hour on the two shared cores.
  { name: "auth", target: 90, database: true, tests: ["lib/auth/**/*.test.ts"] },
  // The signals reviewers see as suggestions (issue 21): refusal so far.
  {
    name: "analysis",
    target: 80,
    database: false,
    // language-decide.ts is next: each of its ~500 mutants runs the language test sets, about
    // 1.5 hours for one run on the shared cores, which did not fit yet.
    mutate: ["lib/analysis/refusal.ts"],
  },
  // Where a reviewer's labels are written: the one path that can lose work.
  { name: "review", target: 80, database: true, mutate: ["lib/review/submit.ts"] },
  // Its own tests, the export request's parser and the documented CSV header (lib/labels). The
  // importer's tests export too (round trip, exact text, presets), but each seeds and imports whole
  // studies: as related tests they made every mutant of the columns rerun them.
  {
    name: "export",
    target: 80,
    database: true,
    // Its first full run (990 mutants): 23 minutes on the machine alone, where a loaded one was on
    // course for 4½ hours (every mutant that hangs a stream times out and restarts a worker).
    tests: ["lib/export/**/*.test.ts", "lib/api/export-request.test.ts", "lib/labels/labels.test.ts"],
  },
  // What turns counted judgements into the numbers a researcher reads: the failure rules, the
  // filters, the paired statistics and the rows of the page, the API and the CSV. The statements
  // that only count (failure rates, agreement, signals against labels: about 700 mutants, each
  // rerunning seeded studies) are not mutated yet; tests recompute their numbers independently.
  {
    name: "analytics",
    target: 80,
    database: true,
    mutate: [
      "lib/analytics/judgement.ts",
      "lib/analytics/filters.ts",
      "lib/analytics/url-filters.ts",
      "lib/analytics/analytics-request.ts",
      "lib/analytics/failure-kinds.ts",
      "lib/analytics/paired-sums.ts",
      "lib/analytics/paired-comparisons.ts",
      "lib/analytics/analytics-rows.ts",
      "lib/analytics/chart-rows.ts",
    ],
    tests: ["lib/analytics/**/*.test.ts"],
  },
  // What a file's rows become before anything is written: each record's fields, label values and
  // preferences checked and normalised (a bad value must be refused with its line, never dropped).
  // Their unit tests give every case by value; the writers and the pipeline (about 7,000 more
  // mutants, each rerunning whole imports against PostgreSQL) are not mutated yet.
  {
    name: "import",
    target: 80,
    database: false,
    mutate: [
      "lib/import/normalize-record.ts",
      "lib/import/label-values.ts",
      "lib/import/label-fields.ts",
      "lib/import/preference-fields.ts",
    ],
    tests: ["lib/import/**/*.test.ts"],
  },
];

interface ReportMutant {
  status: string;
}

export interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface ModuleScore {
  module: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Killed or timed out over every mutant that ran or had no test; undefined with no mutant. */
  score: number | undefined;
  floor: number;
  target: number;
  pass: boolean;
}

/** The module a reported file belongs to: `lib/<module>/…`, with or without a leading path. */
export function moduleOf(file: string): string | undefined {
  const match = /(?:^|\/)lib\/([^/]+)\//.exec(file.replaceAll("\\", "/"));
  return match?.[1];
}

/** Scores every module of `modules` found in the reports; a module without mutants fails. */
export function scoreModules(reports: MutationReport[], modules: readonly MutationModule[]): ModuleScore[] {
  return modules.map((m) => {
    const counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const report of reports) {
      for (const [file, { mutants }] of Object.entries(report.files)) {
        if (moduleOf(file) !== m.name) continue;
        for (const mutant of mutants) {
          if (mutant.status === "Killed") counts.killed++;
          else if (mutant.status === "Timeout") counts.timeout++;
          else if (mutant.status === "Survived") counts.survived++;
          else if (mutant.status === "NoCoverage") counts.noCoverage++;
          // Ignored, CompileError and RuntimeError mutants are no test of the tests: not counted.
        }
      }
    }
    const detected = counts.killed + counts.timeout;
    const total = detected + counts.survived + counts.noCoverage;
    const score = total === 0 ? undefined : (detected / total) * 100;
    const floor = m.ratchet ?? m.target;
    return { module: m.name, ...counts, score, floor, target: m.target, pass: score !== undefined && score >= floor };
  });
}

export function formatScore(s: ModuleScore): string {
  const score = s.score === undefined ? "no mutants" : `${s.score.toFixed(2)} %`;
  const floor = s.floor === s.target ? `floor ${s.target} %` : `floor ${s.floor} % (ratchet; target ${s.target} %)`;
  return [
    `${s.pass ? "PASS" : "FAIL"} lib/${s.module}`.padEnd(20),
    score.padStart(10),
    `  killed ${s.killed + s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage}`.padEnd(48),
    floor,
  ].join("");
}

function main(files: string[]) {
  const reports = files.map((file) => JSON.parse(readFileSync(file, "utf8")) as MutationReport);
  const present = new Set(reports.flatMap((r) => Object.keys(r.files).map(moduleOf)));
  const scores = scoreModules(
    reports,
    MUTATION_MODULES.filter((m) => present.has(m.name)),
  );
  for (const s of scores) console.log(formatScore(s));
  process.exit(scores.length > 0 && scores.every((s) => s.pass) ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
