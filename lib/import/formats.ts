// The one table of import formats: how each is named (--format, ?format=), recognised (file name,
// Content-Type, the first bytes) and read (records in file order). The command line, the HTTP upload
// and the pipeline ask this table instead of testing format names themselves.
import type { Readable } from "node:stream";
import { detectInspectLog, inspectLogRecords } from "./harness/inspect-log";
import { detectLmEvalHarness, lmEvalHarnessRecords } from "./harness/lm-eval-harness";
import { detectOpenAiEvals, OpenAiEvalsReader } from "./harness/openai-evals";
import { detectPromptfoo, promptfooRecords } from "./harness/promptfoo";
import { detectPeerFormat } from "./peers";
import { jsonElements } from "./peers/json-stream";
import { peerRecords } from "./peers/read";
import { csvRecords, jsonlRecords, type SourceItem } from "./read-records";

export const IMPORT_FORMAT_NAMES = [
  "jsonl",
  "csv",
  "csv-per-model",
  "label-studio",
  "argilla",
  "lm-eval-harness",
  "inspect",
  "promptfoo",
  "openai-evals",
] as const;

export type ImportFormat = (typeof IMPORT_FORMAT_NAMES)[number];

type Source = Readable | AsyncIterable<Buffer | string>;

export interface ImportFormatSpec {
  name: ImportFormat;
  /** What it is, for --help and the docs. */
  description: string;
  /** Recognised from its first bytes (at most 256 KB); absent: only by name or extension. */
  detect?: (head: Buffer) => boolean;
  /** Records of the file, in order, each with the line where it starts. */
  records: (source: Source, onBytes: (n: number) => void) => AsyncGenerator<SourceItem>;
  /** The harnesses' column names (completion → response…) are read; a peer's reader names fields itself. */
  builtInNames: boolean;
  /** The file does not name its model: the checkpoint must come from an option (or the file name). */
  checkpoint?: "option" | "file name";
}

/** JSON elements of a file (JSON Lines, a JSON array, or one object), each converted to records. */
function elementRecords(convert: () => (value: unknown, line: number) => SourceItem[]): ImportFormatSpec["records"] {
  return async function* (source, onBytes) {
    const toRecords = convert();
    for await (const item of jsonElements(source as AsyncIterable<Buffer | string>, onBytes)) {
      if (item.kind === "error") {
        yield { kind: "error", error: { line: item.line, field: null, message: item.message } };
        if (item.index === null) return;
        continue;
      }
      yield* toRecords(item.value, item.line);
    }
  };
}

export const IMPORT_FORMATS: readonly ImportFormatSpec[] = [
  // Peers' exports and harness logs first: detection tries the table in order, and plain JSON Lines
  // (any object per line) would match everything.
  {
    name: "label-studio",
    description: "a Label Studio JSON export (tasks with annotations)",
    detect: (head) => detectPeerFormat(head) === "label-studio",
    records: (source, onBytes) => peerRecords(source, "label-studio", onBytes),
    builtInNames: false,
  },
  {
    name: "argilla",
    description: "Argilla records (to_json, to_list as JSON Lines, or the flat Hugging Face export)",
    detect: (head) => detectPeerFormat(head) === "argilla",
    records: (source, onBytes) => peerRecords(source, "argilla", onBytes),
    builtInNames: false,
  },
  {
    name: "inspect",
    description: "an Inspect AI JSON eval log (one object with eval and samples)",
    detect: detectInspectLog,
    records: elementRecords(() => inspectLogRecords),
    builtInNames: true,
  },
  {
    name: "promptfoo",
    description: "promptfoo's results.json (promptfoo eval -o results.json)",
    detect: detectPromptfoo,
    records: elementRecords(() => promptfooRecords),
    builtInNames: true,
  },
  {
    name: "openai-evals",
    description: "an OpenAI evals JSON Lines log (spec, then sampling events)",
    detect: detectOpenAiEvals,
    records: elementRecords(() => {
      const reader = new OpenAiEvalsReader();
      return (value, line) => reader.records(value, line);
    }),
    builtInNames: true,
  },
  {
    name: "lm-eval-harness",
    description: "lm-evaluation-harness samples_<task>_<date>.jsonl (--log_samples); give --set checkpoint=…",
    detect: detectLmEvalHarness,
    records: elementRecords(() => lmEvalHarnessRecords),
    builtInNames: true,
    checkpoint: "option",
  },
  {
    name: "jsonl",
    description: "JSON Lines (or a JSON array over HTTP) in Parallax's fields",
    records: (source, onBytes) => jsonlRecords(source, onBytes),
    builtInNames: true,
  },
  {
    name: "csv",
    description: "CSV with a header row in Parallax's fields",
    records: (source, onBytes) => csvRecords(source, onBytes),
    builtInNames: true,
  },
  {
    name: "csv-per-model",
    description: "one CSV per model: the checkpoint is the file's name (without .csv) unless --set checkpoint=…",
    records: (source, onBytes) => csvRecords(source, onBytes),
    builtInNames: true,
    checkpoint: "file name",
  },
];

const BY_NAME = new Map(IMPORT_FORMATS.map((f) => [f.name, f]));

export const isImportFormat = (name: string): name is ImportFormat => BY_NAME.has(name as ImportFormat);

export function importFormat(name: ImportFormat): ImportFormatSpec {
  return BY_NAME.get(name)!;
}

/** The format a file's name tells: .jsonl / .ndjson / .json are JSON Lines, .csv CSV (a .gz ending is looked through). */
export function formatFromFileName(fileName: string): ImportFormat | undefined {
  const lower = fileName.toLowerCase().replace(/\.gz$/, "");
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) return "jsonl";
  if (lower.endsWith(".csv")) return "csv";
  return undefined;
}

/** A peer's or harness's format recognised from a JSON file's first bytes, or null (then plain JSON Lines). */
export function detectFormat(head: Buffer): ImportFormat | null {
  for (const format of IMPORT_FORMATS) if (format.detect?.(head)) return format.name;
  return null;
}

/** The checkpoint a per-model file gives when no option names one: its name without extensions. */
export function checkpointFromFileName(fileName: string): string {
  return fileName.replace(/\.gz$/i, "").replace(/\.[^.]+$/, "");
}

/** Records of a byte stream in the given format, in file order, each with its starting line. */
export function readRecords(source: Source, format: ImportFormat, onBytes: (n: number) => void = () => {}) {
  return importFormat(format).records(source, onBytes);
}
