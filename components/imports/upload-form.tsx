"use client";
// The browser upload: the file is sent as the request body (streamed, never read into the page)
// to POST /api/v1/studies/{slug}/responses with the sign-in cookie. The bar shows the bytes sent;
// the import job's rows read come from polling /api/v1/studies/{slug}/imports; the answer lists
// the row errors of a rejected file.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { inputClass, labelClass, primaryButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";

interface RowError {
  line: number;
  field: string | null;
  message: string;
}
interface Answer {
  status?: "succeeded" | "rejected";
  message: string;
  inserted?: number;
  alreadyPresent?: number;
  rowsRead?: number;
  rejected?: number;
  errors?: RowError[];
  errorsTruncated?: boolean;
}
type Phase =
  | { kind: "idle" }
  | { kind: "sending"; sent: number; total: number; rowsRead: number | null }
  | { kind: "done"; ok: boolean; answer: Answer };

const CONTENT_TYPES: Record<string, string> = {
  jsonl: "application/x-ndjson",
  ndjson: "application/x-ndjson",
  json: "application/json",
  csv: "text/csv",
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function UploadForm({ slug, maxBytes, maxLabel }: { slug: string; maxBytes: number; maxLabel: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const checkpoints = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [problem, setProblem] = useState<string | null>(null);

  async function latestJobId(): Promise<number> {
    const response = await fetch(`/api/v1/studies/${slug}/imports`, { cache: "no-store" });
    const { jobs } = (await response.json()) as { jobs: { id: number }[] };
    return jobs[0]?.id ?? 0;
  }

  async function upload(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    const file = input.current?.files?.[0];
    if (!file) return setProblem("Choose a file first.");
    const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
    const contentType = CONTENT_TYPES[extension];
    if (!contentType) return setProblem(`"${file.name}" is not .jsonl, .ndjson, .json or .csv.`);
    if (file.size > maxBytes)
      return setProblem(
        `"${file.name}" is ${megabytes(file.size)}: larger than the limit of ${maxLabel}. Split it, or use the command line.`,
      );

    const before = await latestJobId().catch(() => 0);
    setPhase({ kind: "sending", sent: 0, total: file.size, rowsRead: null });
    let finished = false;
    // The job's rows read, while the server is at it.
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

    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({ fileName: file.name });
    const named = checkpoints.current?.value.trim() ?? "";
    if (named !== "") query.set("checkpoints", named);
    xhr.open("POST", `/api/v1/studies/${slug}/responses?${query.toString()}`);
    xhr.setRequestHeader("Content-Type", contentType);
    xhr.upload.onprogress = (e) =>
      setPhase((p) =>
        p.kind === "sending" ? { ...p, sent: e.loaded, total: e.lengthComputable ? e.total : file.size } : p,
      );
    xhr.onload = () => {
      finished = true;
      let answer: Answer;
      try {
        answer = JSON.parse(xhr.responseText) as Answer;
      } catch {
        answer = { message: `The server answered ${xhr.status} without a summary.` };
      }
      setPhase({ kind: "done", ok: xhr.status === 201, answer });
      router.refresh();
    };
    xhr.onerror = () => {
      finished = true;
      setPhase({
        kind: "done",
        ok: false,
        answer: { message: "The upload was interrupted (connection lost). Nothing was imported; try again." },
      });
    };
    xhr.send(file);
  }

  return (
    <div className="space-y-4">
      <form
        onSubmit={upload}
        aria-label="Upload"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-4"
      >
        <div>
          <label htmlFor="upload-file" className={labelClass}>
            File (.jsonl, .ndjson, .json array or .csv; at most {maxLabel})
          </label>
          <input
            id="upload-file"
            ref={input}
            type="file"
            name="file"
            accept=".jsonl,.ndjson,.json,.csv"
            className="block text-sm"
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
        <button type="submit" className={primaryButton} disabled={phase.kind === "sending"}>
          Upload and import
        </button>
        {problem ? (
          <p role="alert" className="basis-full text-sm text-red-700">
            {problem}
          </p>
        ) : null}
      </form>

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
              : "Sent; finishing the import"}
            {phase.rowsRead === null ? "" : ` · ${formatCount(phase.rowsRead)} rows read`}
          </p>
        </div>
      ) : null}

      {phase.kind === "done" ? (
        <div
          role="status"
          className={`space-y-2 rounded-lg border p-4 text-sm ${phase.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-900"}`}
        >
          <p className="font-medium">{phase.answer.message}</p>
          {phase.answer.rowsRead !== undefined ? <p>{formatCount(phase.answer.rowsRead)} rows read.</p> : null}
          {phase.answer.errors?.length ? (
            <table className="w-full bg-white text-left text-xs text-zinc-900">
              <caption className="py-1 text-left font-medium">
                Row errors
                {phase.answer.errorsTruncated
                  ? ` (the first ${phase.answer.errors.length} of ${phase.answer.rejected})`
                  : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="px-2 py-1">
                    Line
                  </th>
                  <th scope="col" className="px-2 py-1">
                    Field
                  </th>
                  <th scope="col" className="px-2 py-1">
                    Problem
                  </th>
                </tr>
              </thead>
              <tbody>
                {phase.answer.errors.map((error, i) => (
                  <tr key={i} className="border-t border-zinc-100">
                    <td className="px-2 py-1 tabular-nums">{error.line}</td>
                    <td className="px-2 py-1 font-mono">{error.field ?? "—"}</td>
                    <td className="px-2 py-1 wrap-anywhere">{error.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
