// Rebuilds the real-output refusal set from a local clone of github.com/JailbreakBench/artifacts
// (MIT licence): every attack artifact's model responses with the benchmark's own verdicts.
//   npx tsx lib/analysis/testset/real/build-refusal.ts --git-dir PATH/TO/artifacts/.git [--sample N]
// Writes refusal-full.jsonl (ignored by git) and, with --sample, refusal-sample.jsonl (committed).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { safeSlice } from "../../safe-slice";
import { REAL_DIR, type RealRefusalRow } from "./real-sets";

const Artifact = z.object({
  parameters: z.object({ method: z.string(), model: z.string() }),
  jailbreaks: z.array(z.object({
    index: z.number().int(),
    goal: z.string(),
    category: z.string(),
    prompt: z.string().nullable(),
    response: z.string().nullable(),
    jailbroken: z.boolean(),
    jailbroken_llama_guard1: z.boolean().optional(),
  })),
});

function git(gitDir: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** Tune or hold-out half, fixed by the row's id so it never moves between rebuilds. */
export function splitOf(id: string): "tune" | "holdout" {
  return createHash("sha256").update(id).digest()[0]! % 2 === 0 ? "tune" : "holdout";
}

export function buildRows(gitDir: string): { commit: string; rows: RealRefusalRow[]; skipped: Record<string, number> } {
  const commit = git(gitDir, "rev-parse", "HEAD").trim();
  const files = git(gitDir, "ls-tree", "-r", "--name-only", "HEAD").split("\n")
    .filter((f) => /^attack-artifacts\/[^/]+\/[^/]+\/[^/]+\.json$/.test(f) && !f.includes("test-artifact") && !f.endsWith("attack-info.json"));
  const rows: RealRefusalRow[] = [];
  const skipped = { noResponse: 0, judgesDisagree: 0 };
  for (const file of files) {
    const artifact = Artifact.parse(JSON.parse(git(gitDir, "show", `${commit}:${file}`)));
    for (const j of artifact.jailbreaks) {
      if (!j.response || !j.response.trim()) {
        skipped.noResponse += 1;
        continue;
      }
      // Two independent judges: keep the rows they agree on, so a label error of one does not count
      // against the detector.
      if (j.jailbroken_llama_guard1 !== undefined && j.jailbroken_llama_guard1 !== j.jailbroken) {
        skipped.judgesDisagree += 1;
        continue;
      }
      const id = `jbb:${artifact.parameters.method}:${artifact.parameters.model}:${j.index}`;
      rows.push({
        id,
        source: `JailbreakBench/artifacts ${file}`,
        model: artifact.parameters.model,
        attack: artifact.parameters.method,
        category: j.category,
        goal: j.goal,
        response: j.response,
        complied: j.jailbroken,
        split: splitOf(id),
      });
    }
  }
  return { commit, rows, skipped };
}

/** A stratified, deterministic sample: every (model, attack, verdict) cell keeps its share. */
export function sampleRows(rows: RealRefusalRow[], size: number): RealRefusalRow[] {
  const ranked = [...rows].sort((a, b) => createHash("sha256").update(a.id).digest("hex").localeCompare(createHash("sha256").update(b.id).digest("hex")));
  const cells = new Map<string, RealRefusalRow[]>();
  for (const row of ranked) {
    const key = `${row.model}|${row.attack}|${row.complied}`;
    cells.set(key, [...(cells.get(key) ?? []), row]);
  }
  const picked: RealRefusalRow[] = [];
  for (const cell of cells.values()) picked.push(...cell.slice(0, Math.max(1, Math.round((cell.length / rows.length) * size))));
  return picked.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The committed sample keeps the first 600 characters of each response: enough for the detector
 * (it reads the opening 400 characters of a long answer), and it leaves out the bulk of the
 * harmful instructions the jailbroken responses go on to give.
 */
export const SAMPLE_CHARS = 600;

export function truncateForSample<T extends { response: string; truncatedFrom?: number }>(row: T): T {
  if (row.response.length <= SAMPLE_CHARS) return row;
  return { ...row, response: safeSlice(row.response, 0, SAMPLE_CHARS), truncatedFrom: row.response.length };
}

const toJsonl = (rows: RealRefusalRow[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { "git-dir": { type: "string" }, sample: { type: "string" } } });
  if (!values["git-dir"]) {
    console.error("Usage: npx tsx lib/analysis/testset/real/build-refusal.ts --git-dir PATH/TO/JailbreakBench-artifacts.git [--sample 300]");
    process.exit(2);
  }
  const { commit, rows, skipped } = buildRows(values["git-dir"]);
  writeFileSync(path.join(REAL_DIR, "refusal-full.jsonl"), toJsonl(rows));
  console.log(`JailbreakBench/artifacts@${commit}: ${rows.length} responses (${rows.filter((r) => r.complied).length} complied), ` +
    `${skipped.noResponse} without a response, ${skipped.judgesDisagree} where the two judges disagree left out.`);
  if (values.sample) {
    const sample = sampleRows(rows, Number(values.sample)).map(truncateForSample);
    writeFileSync(path.join(REAL_DIR, "refusal-sample.jsonl"), toJsonl(sample));
    console.log(`sample: ${sample.length} rows (${sample.filter((r) => r.complied).length} complied; ${sample.filter((r) => r.split === "holdout").length} hold-out)`);
  }
}
