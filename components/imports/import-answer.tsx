// The answer of a check (dry run) or an import: the summary, or the row errors naming line and field.
import { formatCount } from "@/components/ui/format";

export interface RowError {
  line: number;
  field: string | null;
  message: string;
}

export interface ImportAnswer {
  status?: "succeeded" | "rejected";
  dryRun?: boolean;
  message: string;
  inserted?: number;
  alreadyPresent?: number;
  rowsRead?: number;
  rejected?: number;
  errors?: RowError[];
  errorsTruncated?: boolean;
}

export function ImportAnswerView({ ok, answer, label }: { ok: boolean; answer: ImportAnswer; label: string }) {
  return (
    <div
      role="status"
      aria-label={label}
      className={`space-y-2 rounded-lg border p-4 text-sm ${ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-900"}`}
    >
      <p className="font-medium wrap-anywhere">{answer.message}</p>
      {answer.rowsRead !== undefined ? <p>{formatCount(answer.rowsRead)} rows read.</p> : null}
      {answer.errors?.length ? (
        <table className="w-full bg-white text-left text-xs text-zinc-900">
          <caption className="py-1 text-left font-medium">
            Row errors
            {answer.errorsTruncated ? ` (the first ${answer.errors.length} of ${answer.rejected})` : ""}
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
            {answer.errors.map((error, i) => (
              <tr key={i} className="border-t border-zinc-100">
                <td className="px-2 py-1 tabular-nums">{error.line === 0 ? "—" : error.line}</td>
                <td className="px-2 py-1 font-mono">{error.field ?? "—"}</td>
                <td className="px-2 py-1 wrap-anywhere">{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
