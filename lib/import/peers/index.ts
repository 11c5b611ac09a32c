// Peers' export formats (Label Studio, Argilla) read as canonical records for the one import
// pipeline: the formats table (formats.ts) hands a "label-studio" or "argilla" stream to peerRecords, which
// streams the file's elements (json-stream.ts) and converts each (label-studio.ts, argilla.ts).
// importPeerFile wraps importResponses to pass the peer options (checkpoint names, question
// mapping) and to bring back what was read and skipped (cancelled annotations, drafts,
// suggestions, rankings without a first), without the pipeline knowing about peers. Preferences
// travel as the canonical `preferences` field (preference-fields.ts) on a task's last row.
import type pg from "pg";
import { compileLabelValueMap } from "../label-values";
import { importResponses, ImportRequestError, type ImportOptions, type ImportSummary } from "../pipeline";
import { normValue } from "../label-values";
import {
  parseTarget,
  TARGET_LIST,
  type PeerFormat,
  type PeerOptions,
  type PeerStats,
  type QuestionTarget,
} from "./mapping";
import { PeerSource } from "./read";

export { PEER_FORMATS, type PeerFormat, type PeerOptions, type PeerStats } from "./mapping";
export { isPeerFormat, PeerSource, peerRecords } from "./read";

// ---------------------------------------------------------------------------------------------
// Detection

/**
 * The peer format of a file from its first bytes, or null for a canonical file (or when unsure).
 * A JSON array or JSON Lines whose first element has `data` + `annotations` (or `predictions`) is
 * Label Studio; one with `fields` + `responses`/`suggestions`, or keys ending in `.responses` /
 * `.suggestion`, is Argilla.
 */
export function detectPeerFormat(head: Buffer): PeerFormat | null {
  let text = head.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("[") && !trimmed.startsWith("{")) return null;
  // The first element, when it is complete in the head; else the keys seen so far.
  let first: Record<string, unknown> | null = null;
  const start = trimmed.startsWith("[") ? trimmed.slice(1).trimStart() : trimmed;
  const newline = start.indexOf("\n");
  for (const candidate of [newline === -1 ? start : start.slice(0, newline), start]) {
    try {
      const value = JSON.parse(candidate.replace(/,\s*$/, "")) as unknown;
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        first = value as Record<string, unknown>;
        break;
      }
    } catch {
      // Not complete here.
    }
  }
  if (first === null && trimmed.startsWith("[")) {
    // Pretty-printed or long: scan the element's text for its top-level keys.
    const keys = new Set([...start.slice(0, 65536).matchAll(/"([^"\\]{1,80})"\s*:/g)].map((m) => m[1]!));
    if (keys.has("annotations") && keys.has("data")) return "label-studio";
    if (keys.has("fields") && (keys.has("responses") || keys.has("suggestions"))) return "argilla";
    return null;
  }
  if (first === null) return null;
  const keys = Object.keys(first);
  if ("data" in first && ("annotations" in first || "predictions" in first || "completions" in first))
    return "label-studio";
  if ("fields" in first && ("responses" in first || "suggestions" in first)) return "argilla";
  if (keys.some((k) => k.endsWith(".responses") || k.endsWith(".suggestion"))) return "argilla";
  return null;
}

// ---------------------------------------------------------------------------------------------
// Options as the command line gives them

/** `--checkpoints a[:strategy],b[:strategy]`. */
export function parseCheckpointList(
  text: string,
): { ok: true; value: NonNullable<PeerOptions["checkpoints"]> } | { ok: false; problem: string } {
  const value: NonNullable<PeerOptions["checkpoints"]> = [];
  for (const part of text.split(",")) {
    const [name = "", strategy, extra] = part.split(":").map((s) => s.trim());
    if (name === "" || extra !== undefined || strategy === "") {
      return {
        ok: false,
        problem: `--checkpoints ${JSON.stringify(text)}: write the names in the order of the responses, each optionally with its strategy: sft-7b:sft,rl-7b:rl`,
      };
    }
    value.push(strategy === undefined ? { name } : { name, strategy });
  }
  return { ok: true, value };
}

/** `--strategy NAME=STRATEGY` (repeatable). */
export function parseStrategies(
  args: readonly string[],
): { ok: true; value: Record<string, string> } | { ok: false; problem: string } {
  const value: Record<string, string> = {};
  for (const arg of args) {
    const equals = arg.lastIndexOf("=");
    if (equals <= 0 || arg.slice(equals + 1).trim() === "")
      return {
        ok: false,
        problem: `--strategy ${JSON.stringify(arg)}: write it as CHECKPOINT=STRATEGY, e.g. r1-zero=rl`,
      };
    value[arg.slice(0, equals).trim()] = arg.slice(equals + 1).trim();
  }
  return { ok: true, value };
}

/** `--question NAME=TARGET` (repeatable). */
export function parseQuestions(
  args: readonly string[],
): { ok: true; value: Record<string, QuestionTarget> } | { ok: false; problem: string } {
  const value: Record<string, QuestionTarget> = {};
  for (const arg of args) {
    const equals = arg.lastIndexOf("=");
    const target = equals > 0 ? parseTarget(arg.slice(equals + 1)) : null;
    if (equals <= 0 || target === null) {
      return {
        ok: false,
        problem: `--question ${JSON.stringify(arg)}: write it as NAME=FIELD, where FIELD is one of ${TARGET_LIST}`,
      };
    }
    value[normValue(arg.slice(0, equals))] = target;
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// Import

export interface PeerImportOptions extends Omit<ImportOptions, "format"> {
  format: PeerFormat;
  peer?: Omit<PeerOptions, "labelValueMap">;
}

/** Imports a peer's export through the one pipeline; the summary plus what the peer reader skipped. */
export async function importPeerFile(
  pool: pg.Pool,
  options: PeerImportOptions,
): Promise<ImportSummary & { peer: PeerStats }> {
  let labelValueMap: PeerOptions["labelValueMap"];
  if (options.labelValueMap !== undefined) {
    const compiled = compileLabelValueMap(options.labelValueMap);
    if (!compiled.ok) throw new ImportRequestError(compiled.problems.join("\n"));
    labelValueMap = compiled.map;
  }
  const source = new PeerSource(options.source, { ...options.peer, labelValueMap });
  const summary = await importResponses(pool, { ...options, source });
  return { ...summary, peer: source.stats };
}
