"use client";
// The import page: choose a file → its preview (detected format, first rows, what each column is read
// as; the server reads only the file's first bytes) → the mapping step (a field per column, constant
// fields, value rules; a remembered mapping for these columns pre-fills it) → Check (the import as a
// dry run: every check, nothing written) → Import (the same options, for real; the mapping is then
// remembered). The whole file goes as the request body to POST /api/v1/studies/{slug}/responses,
// streamed; the bar shows the bytes sent and the import job's rows read.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { inputClass, labelClass, primaryButton, secondaryButton, smallButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";
import { type MappingForm, mappingArgumentsOf } from "@/lib/import/mapping-form";
import type { ImportPreview, PreviewColumn } from "@/lib/import/preview";
import { type ImportAnswer, ImportAnswerView } from "./import-answer";
import { MappingFields } from "./mapping-fields";
import { PreviewTable } from "./preview-table";
import { type ColumnOptions, fileKind, optionQuery, sendPreview, sendUpload } from "./send-file";

interface Remembered {
  savedAt: string;
  savedBy: string | null;
  form: MappingForm;
  unshown: string[];
}
type PreviewAnswer = ImportPreview & { remembered: Remembered | null };

type Phase =
  | { kind: "idle" }
  | { kind: "sending"; dryRun: boolean; sent: number; total: number; rowsRead: number | null }
  | { kind: "done"; dryRun: boolean; ok: boolean; answer: ImportAnswer };

const FRESH_FORM: MappingForm = {
  columns: {},
  constants: [
    { field: "checkpoint", value: "" },
    { field: "strategy", value: "" },
  ],
  rules: [],
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const NO_OPTIONS: ColumnOptions = { set: [], rename: [], derive: [] };

export function UploadForm({ slug, maxBytes, maxLabel }: { slug: string; maxBytes: number; maxLabel: string }) {
  const router = useRouter();
  const checkpoints = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<PreviewAnswer | null>(null);
  const [defaults, setDefaults] = useState<PreviewColumn[]>([]);
  const [form, setForm] = useState<MappingForm>(FRESH_FORM);
  const [remembered, setRemembered] = useState<Remembered | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });

  const defaultFields = (columns: readonly PreviewColumn[]) =>
    Object.fromEntries(columns.map((c) => [c.name, c.field]));
  const optionsOf = (f: MappingForm, columns = defaults) => mappingArgumentsOf(f, defaultFields(columns));

  async function showPreview(chosen: File, options: ColumnOptions): Promise<PreviewAnswer | null> {
    const { status, body } = await sendPreview(slug, chosen, options).catch(() => ({ status: 0, body: null }));
    if (status !== 200 || body === null) {
      setPreview(null);
      setProblem(
        (body as { message?: string } | null)?.message ??
          "The preview could not be made (connection lost); choose the file again.",
      );
      return null;
    }
    setProblem(null);
    setPreview(body as PreviewAnswer);
    return body as PreviewAnswer;
  }

  async function choose(chosen: File | undefined) {
    setPhase({ kind: "idle" });
    setRemembered(null);
    setPreview(null);
    setFile(chosen ?? null);
    if (!chosen) return;
    if (!fileKind(chosen.name))
      return setProblem(`"${chosen.name}" is not .jsonl, .ndjson, .json or .csv (or one of them .gz).`);
    if (chosen.size > maxBytes)
      return setProblem(
        `"${chosen.name}" is ${megabytes(chosen.size)}: larger than the limit of ${maxLabel}. Split it, or use the command line.`,
      );
    const first = await showPreview(chosen, NO_OPTIONS);
    if (first === null) return;
    setDefaults(first.columns);
    if (first.remembered) {
      const known = new Set(first.remembered.form.constants.map((c) => c.field));
      const next = {
        ...first.remembered.form,
        constants: [...first.remembered.form.constants, ...FRESH_FORM.constants.filter((c) => !known.has(c.field))],
      };
      setForm(next);
      setRemembered(first.remembered);
      const options = optionsOf(next, first.columns);
      if (options.rename.length > 0) await showPreview(chosen, options);
    } else setForm(FRESH_FORM);
  }

  async function chooseField(column: string, field: string) {
    const next = { ...form, columns: { ...form.columns, [column]: field } };
    setForm(next);
    if (file) await showPreview(file, optionsOf(next));
  }

  async function clearRemembered() {
    if (!preview) return;
    const query = new URLSearchParams({ format: preview.format });
    for (const column of defaults) query.append("column", column.name);
    await fetch(`/api/v1/studies/${slug}/import-mapping?${query.toString()}`, { method: "DELETE" });
    setRemembered(null);
    setForm(FRESH_FORM);
    if (file) await showPreview(file, NO_OPTIONS);
  }

  async function send(dryRun: boolean) {
    if (!file || !preview) return;
    setProblem(null);
    const query = optionQuery(file.name, optionsOf(form));
    const named = checkpoints.current?.value.trim() ?? "";
    if (named !== "") query.set("checkpoints", named);
    if (dryRun) query.set("dryRun", "true");
    else {
      query.set("remember", preview.format);
      for (const column of defaults) query.append("column", column.name);
    }
    let before = 0;
    try {
      const response = await fetch(`/api/v1/studies/${slug}/imports`, { cache: "no-store" });
      before = ((await response.json()) as { jobs: { id: number }[] }).jobs[0]?.id ?? 0;
    } catch {
      // Without it the progress shows bytes only.
    }
    setPhase({ kind: "sending", dryRun, sent: 0, total: file.size, rowsRead: null });
    let finished = false;
    const poll = async () => {
      while (!finished) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (finished) break;
        try {
          const response = await fetch(`/api/v1/studies/${slug}/imports`, { cache: "no-store" });
          const { jobs } = (await response.json()) as { jobs: { id: number; fileName: string; rowsRead: number }[] };
          const job = jobs.find((j) => j.id > before && j.fileName === file.name);
          if (job && !finished) setPhase((p) => (p.kind === "sending" ? { ...p, rowsRead: job.rowsRead } : p));
        } catch {
          // A missed poll only delays the figure.
        }
      }
    };
    void poll();
    const { status, body } = await sendUpload(slug, file, query, (sent, total) =>
      setPhase((p) => (p.kind === "sending" ? { ...p, sent, total } : p)),
    );
    finished = true;
    const answer: ImportAnswer =
      status === 0
        ? { message: "The upload was interrupted (connection lost). Nothing was imported; try again." }
        : ((body as ImportAnswer | null) ?? { message: `The server answered ${status} without a summary.` });
    setPhase({ kind: "done", dryRun, ok: status === 200 || status === 201, answer });
    if (!dryRun) router.refresh();
  }

  const mapsColumns = preview !== null && preview.format !== "label-studio" && preview.format !== "argilla";
  const options = preview ? optionsOf(form) : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-4">
        <div>
          <label htmlFor="upload-file" className={labelClass}>
            File (.jsonl, .ndjson, .json or .csv, also .gz; at most {maxLabel})
          </label>
          <input
            id="upload-file"
            type="file"
            name="file"
            accept=".jsonl,.ndjson,.json,.csv,.gz"
            className="block text-sm"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </div>
        <div>
          <label htmlFor="upload-checkpoints" className={labelClass}>
            Checkpoints, for a Label Studio / Argilla export whose records do not name them (optional)
          </label>
          <input
            id="upload-checkpoints"
            ref={checkpoints}
            type="text"
            name="checkpoints"
            placeholder="sft-7b:sft,rl-7b:rl"
            spellCheck={false}
            className={`${inputClass} font-mono`}
          />
        </div>
        {problem ? (
          <p role="alert" className="basis-full text-sm text-red-700 wrap-anywhere">
            {problem}
          </p>
        ) : null}
      </div>

      {preview && file ? (
        <section aria-labelledby="preview-heading" className="space-y-4">
          <h2 id="preview-heading" className="text-xl">
            Preview and mapping
          </h2>
          <p className="text-sm text-zinc-700">
            Format: <strong data-testid="detected-format">{preview.format}</strong> ·{" "}
            {preview.partial ? `the first ${preview.rows.length} rows` : `all ${preview.rows.length} rows`}
            {mapsColumns
              ? ". Choose what each column is; columns left as metadata are kept with the response."
              : ". This export names its own fields; no column mapping applies."}
          </p>
          {remembered ? (
            <p
              className="flex flex-wrap items-center gap-2 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900"
              role="note"
            >
              <span>
                Using the mapping from {remembered.savedAt.slice(0, 16).replace("T", " ")} UTC
                {remembered.savedBy ? ` (${remembered.savedBy})` : ""}, the last import of a file with these columns.
                {remembered.unshown.length > 0 ? ` Not applied: ${remembered.unshown.join("; ")}.` : ""}
              </span>
              <button
                type="button"
                className={`${secondaryButton} ${smallButton}`}
                onClick={() => void clearRemembered()}
              >
                Clear the remembered mapping
              </button>
            </p>
          ) : null}
          <PreviewTable
            preview={preview}
            defaults={defaults}
            chosen={form.columns}
            mapsColumns={mapsColumns}
            onChoose={(column, field) => void chooseField(column, field)}
          />
          {preview.errors.length > 0 ? (
            <ul role="alert" aria-label="Problems in the first rows" className="list-disc pl-5 text-sm text-red-700">
              {preview.errors.map((e, i) => (
                <li key={i}>
                  line {e.line}
                  {e.field ? `, ${e.field}` : ""}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          {[...preview.optionProblems, ...preview.mappingProblems].length > 0 ? (
            <ul aria-label="Problems with the mapping" className="list-disc pl-5 text-sm text-red-700">
              {[...preview.optionProblems, ...preview.mappingProblems].map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          ) : null}
          {mapsColumns ? <MappingFields form={form} columns={defaults.map((c) => c.name)} onChange={setForm} /> : null}
          {options && options.set.length + options.rename.length + options.derive.length > 0 ? (
            <p className="text-xs text-zinc-600">
              On the command line:{" "}
              <code className="wrap-anywhere">
                {[
                  ...options.set.map((o) => `--set ${o}`),
                  ...options.rename.map((o) => `--rename ${o}`),
                  ...options.derive.map((o) => `--derive '${o}'`),
                ].join(" ")}
              </code>
            </p>
          ) : null}
          <div className="flex flex-wrap gap-3">
            <button
              type="button"
              className={secondaryButton}
              disabled={phase.kind === "sending"}
              onClick={() => void send(true)}
            >
              Check
            </button>
            <button
              type="button"
              className={primaryButton}
              disabled={phase.kind === "sending"}
              onClick={() => void send(false)}
            >
              Import
            </button>
          </div>
        </section>
      ) : null}

      {phase.kind === "sending" ? (
        <div className="space-y-1 text-sm" aria-live="polite">
          <progress
            aria-label="Upload progress"
            max={Math.max(phase.total, 1)}
            value={phase.sent}
            className="h-3 w-full"
          />
          <p>
            {phase.sent < phase.total
              ? `Sending ${megabytes(phase.sent)} of ${megabytes(phase.total)}`
              : phase.dryRun
                ? "Sent; checking"
                : "Sent; finishing the import"}
            {phase.rowsRead === null ? "" : ` · ${formatCount(phase.rowsRead)} rows read`}
          </p>
        </div>
      ) : null}

      {phase.kind === "done" ? (
        <ImportAnswerView ok={phase.ok} answer={phase.answer} label={phase.dryRun ? "Check" : "Import"} />
      ) : null}
    </div>
  );
}
