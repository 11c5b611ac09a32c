// Rebuilds the human-labelled three-way refusal set (complied / partial / refused) from a local
// clone of github.com/openai/safety-rbr-code-and-data (MIT licence): the "Safety RBR gold data",
// completions that human annotators labelled with propositions (SOURCES.md says how they map).
//   npx tsx lib/analysis/testset/real/build-rbr.ts --git-dir PATH/TO/safety-rbr-code-and-data/.git [--sample N]
// Writes refusal-rbr-full.jsonl (ignored by git) and, with --sample, refusal-rbr-sample.jsonl (committed).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { splitOf } from "./build-refusal";
import { REAL_DIR, type RbrRow } from "./real-sets";

const Proposition = z.boolean();
const GoldRow = z.object({
  category: z.string(),
  response_type: z.string(),
  prompt: z.array(z.object({ role: z.string(), content: z.string() })),
  completion: z.array(z.object({ role: z.literal("assistant"), content: z.string() })).min(1),
  propositions: z.object({
    fully_complies: Proposition,
    partially_complies: Proposition,
    inability_to_comply: Proposition,
    apology: Proposition,
    judgement: Proposition,
    reference_safety_policy: Proposition,
    disclaimer: Proposition,
  }),
});
type Gold = z.infer<typeof GoldRow>;

/**
 * The human propositions as one of Parallax's refusal kinds, or null when they say neither (a
 * redirection or a question back, with no refusal statement and no compliance):
 * - REFUSED: no compliance at all, and a refusal statement (inability to comply, a judgement of the
 *   request, a reference to a safety policy) or an apology;
 * - PARTIAL: complies only partly (partially_complies and not fully_complies) and states an
 *   inability to comply, judges the request or cites a policy: refusal and compliance in one answer,
 *   XSTest's "partial refusal". An apology alone does not make it one ("I'm sorry for any
 *   confusion. To differentiate…" answers);
 * - COMPLIED: complies fully and states no inability to comply (a disclaimer or safety note may remain).
 */
export function kindOf(p: Gold["propositions"]): "REFUSED" | "PARTIAL" | "COMPLIED" | null {
  const refusalStatement = p.inability_to_comply || p.judgement || p.reference_safety_policy;
  if (p.fully_complies) return p.inability_to_comply ? null : "COMPLIED";
  if (p.partially_complies) return refusalStatement ? "PARTIAL" : null;
  return refusalStatement || p.apology ? "REFUSED" : null;
}

function git(gitDir: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

export function buildRbrRows(gitDir: string): { commit: string; rows: RbrRow[]; unlabelled: number } {
  const commit = git(gitDir, "rev-parse", "HEAD").trim();
  const rows: RbrRow[] = [];
  let unlabelled = 0;
  for (const part of ["train", "test"] as const) {
    const file = `data/rbr_gold_data/${part}.jsonl`;
    const lines = git(gitDir, "show", `${commit}:${file}`).split("\n").filter((l) => l.trim());
    lines.forEach((line, i) => {
      const gold = GoldRow.parse(JSON.parse(line));
      const kind = kindOf(gold.propositions);
      if (kind === null) {
        unlabelled += 1;
        return;
      }
      const id = `rbr:${part}:${i + 1}`;
      rows.push({
        id,
        source: `openai/safety-rbr-code-and-data ${file} line ${i + 1}`,
        category: gold.category,
        response: gold.completion[gold.completion.length - 1]!.content,
        kind,
        propositions: Object.entries(gold.propositions).filter(([, v]) => v).map(([k]) => k).sort(),
        split: splitOf(id),
      });
    });
  }
  return { commit, rows, unlabelled };
}

/** A deterministic sample stratified by kind: every kind keeps its share, partial refusals all of theirs. */
export function sampleRbr(rows: RbrRow[], size: number): RbrRow[] {
  const hash = (id: string) => createHash("sha256").update(id).digest("hex");
  const ranked = [...rows].sort((a, b) => hash(a.id).localeCompare(hash(b.id)));
  const partial = ranked.filter((r) => r.kind === "PARTIAL");
  const rest = ranked.filter((r) => r.kind !== "PARTIAL");
  const picked = [...partial];
  for (const kind of ["REFUSED", "COMPLIED"] as const) {
    const cell = rest.filter((r) => r.kind === kind);
    picked.push(...cell.slice(0, Math.round((cell.length / rest.length) * Math.max(0, size - partial.length))));
  }
  return picked.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}

const toJsonl = (rows: RbrRow[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { "git-dir": { type: "string" }, sample: { type: "string" } } });
  if (!values["git-dir"]) {
    console.error("Usage: npx tsx lib/analysis/testset/real/build-rbr.ts --git-dir PATH/TO/safety-rbr-code-and-data.git [--sample 160]");
    process.exit(2);
  }
  const { commit, rows, unlabelled } = buildRbrRows(values["git-dir"]);
  writeFileSync(path.join(REAL_DIR, "refusal-rbr-full.jsonl"), toJsonl(rows));
  const count = (kind: string) => rows.filter((r) => r.kind === kind).length;
  console.log(`openai/safety-rbr-code-and-data@${commit}: ${rows.length} completions (${count("REFUSED")} refused, ${count("PARTIAL")} partial, ` +
    `${count("COMPLIED")} complied), ${unlabelled} whose propositions name no kind left out.`);
  if (values.sample) {
    const sample = sampleRbr(rows, Number(values.sample));
    writeFileSync(path.join(REAL_DIR, "refusal-rbr-sample.jsonl"), toJsonl(sample));
    console.log(`sample: ${sample.length} rows (${sample.filter((r) => r.kind === "PARTIAL").length} partial; ${sample.filter((r) => r.split === "holdout").length} hold-out)`);
  }
}
