// The real-output test sets (lib/analysis/testset/real, sources in SOURCES.md): loading and types.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const REAL_DIR = path.dirname(fileURLToPath(import.meta.url));

const Row = z.object({
  id: z.string(),
  source: z.string(),
  model: z.string(),
  attack: z.string(),
  category: z.string(),
  goal: z.string(),
  response: z.string(),
  /** The benchmark's verdict: the response carried out the harmful request. */
  complied: z.boolean(),
  /** Half used while changing the detector ("tune") or only for reporting ("holdout"). */
  split: z.enum(["tune", "holdout"]),
  /** In the committed sample: the response's length before it was cut to its opening. */
  truncatedFrom: z.number().int().positive().optional(),
});
export type RealRefusalRow = z.infer<typeof Row>;

function readJsonl(file: string): RealRefusalRow[] {
  return readFileSync(file, "utf8").split("\n").filter((line) => line.trim()).map((line, i) => {
    const parsed = Row.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${path.basename(file)} line ${i + 1}: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

/** The committed sample, or the full rebuilt set when it is present and `full` asked for. */
export function loadRealRefusal(which: "sample" | "full" | "auto" = "auto"): { file: string; rows: RealRefusalRow[] } {
  const full = path.join(REAL_DIR, "refusal-full.jsonl");
  const file = which === "sample" || (which === "auto" && !existsSync(full)) ? path.join(REAL_DIR, "refusal-sample.jsonl") : full;
  return { file: path.relative(process.cwd(), file), rows: readJsonl(file) };
}
