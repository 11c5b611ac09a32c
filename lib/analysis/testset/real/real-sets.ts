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

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, "utf8").split("\n").filter((line) => line.trim()).map((line, i) => {
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${path.basename(file)} line ${i + 1}: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

/** The committed sample, or the rebuilt whole (`full`), or the whole when it is present (`auto`). */
function pick(which: "sample" | "full" | "auto", fullName: string, sampleName: string): string {
  const full = path.join(REAL_DIR, fullName);
  return which === "sample" || (which === "auto" && !existsSync(full)) ? path.join(REAL_DIR, sampleName) : full;
}

/** The committed sample, or the full rebuilt set when it is present and `full` asked for. */
export function loadRealRefusal(which: "sample" | "full" | "auto" = "auto"): { file: string; rows: RealRefusalRow[] } {
  const file = pick(which, "refusal-full.jsonl", "refusal-sample.jsonl");
  return { file: path.relative(process.cwd(), file), rows: readJsonl(file, Row) };
}

const RbrRowSchema = z.object({
  id: z.string(),
  source: z.string(),
  category: z.string(),
  response: z.string(),
  /** The human annotators' propositions read as a refusal kind (build-rbr.ts, kindOf). */
  kind: z.enum(["REFUSED", "PARTIAL", "COMPLIED"]),
  /** The propositions the annotators marked true. */
  propositions: z.array(z.string()),
  split: z.enum(["tune", "holdout"]),
});
export type RbrRow = z.infer<typeof RbrRowSchema>;

/** The human-labelled three-way set (OpenAI's Safety RBR gold data): the committed sample, or the rebuilt whole. */
export function loadRbr(which: "sample" | "full" | "auto" = "auto"): { file: string; rows: RbrRow[] } {
  const file = pick(which, "refusal-rbr-full.jsonl", "refusal-rbr-sample.jsonl");
  return { file: path.relative(process.cwd(), file), rows: readJsonl(file, RbrRowSchema) };
}

const BenignRowSchema = z.object({
  id: z.string(),
  source: z.string(),
  model: z.string(),
  /** First 12 hex digits of SHA-256 of the instruction (not stored): answers to one instruction share it. */
  prompt: z.string().regex(/^[0-9a-f]{12}$/),
  response: z.string(),
  /** By the instruction, so that no instruction has answers in both halves. */
  split: z.enum(["tune", "holdout"]),
  /** In the committed sample: the response's length before it was cut to its opening. */
  truncatedFrom: z.number().int().positive().optional(),
});
export type BenignRow = z.infer<typeof BenignRowSchema>;

/**
 * Ordinary answers to benign instructions (AlpacaEval's published model outputs) that the rules
 * call complied: where a refusal hint is a false alarm, unless the answer refuses in words the
 * rules miss. The committed sample, or the rebuilt whole.
 */
export function loadBenign(which: "sample" | "full" | "auto" = "auto"): { file: string; rows: BenignRow[] } {
  const file = pick(which, "refusal-benign-full.jsonl", "refusal-benign-sample.jsonl");
  return { file: path.relative(process.cwd(), file), rows: readJsonl(file, BenignRowSchema) };
}

const Span = z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive(), lang: z.string(), text: z.string() });

const MixingRow = z.object({
  id: z.string(),
  /** Where the excerpt was read: the address, or the file and line at a fixed commit. */
  source: z.string().url(),
  licence: z.string(),
  model: z.string(),
  /** The prompt, where the source gives it (a quotation of it is not mixing). */
  prompt: z.string().optional(),
  /** The excerpt's main language, as read by the project. */
  dominant: z.string(),
  text: z.string(),
  /** The project's reading: the excerpt mixes languages. */
  mixed: z.boolean(),
  /** The intruding stretches, UTF-16 offsets into `text`, first to last letter of the intruding words. */
  spans: z.array(Span),
  note: z.string(),
  split: z.enum(["tune", "holdout"]),
});
export type RealMixingRow = z.infer<typeof MixingRow>;

/** The real-output language-mixing set (committed whole: it is small), checked as it is read. */
export function loadRealMixing(): { file: string; rows: RealMixingRow[] } {
  const file = path.join(REAL_DIR, "mixing.jsonl");
  const rows = readFileSync(file, "utf8").split("\n").filter((line) => line.trim()).map((line, i) => {
    const parsed = MixingRow.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`mixing.jsonl line ${i + 1}: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    const row = parsed.data;
    for (const span of row.spans)
      if (row.text.slice(span.start, span.end) !== span.text)
        throw new Error(`mixing.jsonl line ${i + 1}: span ${span.start}-${span.end} is not "${span.text}"`);
    if (row.mixed !== row.spans.length > 0) throw new Error(`mixing.jsonl line ${i + 1}: mixed and spans disagree`);
    return row;
  });
  return { file: path.relative(process.cwd(), file), rows };
}
