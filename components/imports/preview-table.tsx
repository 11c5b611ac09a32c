// The chosen file's first rows as a table of its columns, each column headed by a select of the field
// it is read as (the default is what the importer reads without options). Cell values are text.
import { MAPPABLE_FIELDS } from "@/lib/import/mapping-form";
import type { ImportPreview, PreviewColumn } from "@/lib/import/preview";

const readingLabel = (column: PreviewColumn): string =>
  column.field === null
    ? "kept in metadata"
    : column.how === "built-in"
      ? `${column.field} (built-in name)`
      : column.how === "renamed"
        ? `${column.field} (chosen)`
        : column.field;

export function PreviewTable({
  preview,
  defaults,
  chosen,
  mapsColumns,
  onChoose,
}: {
  preview: ImportPreview;
  /** The preview without options: what each column is read as by default. */
  defaults: readonly PreviewColumn[];
  chosen: Record<string, string>;
  mapsColumns: boolean;
  onChoose: (column: string, field: string) => void;
}) {
  const byName = new Map(defaults.map((c) => [c.name, c]));
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
      <table className="w-full text-sm" aria-label="Preview of the file">
        <thead className="bg-zinc-50 text-left align-top text-xs text-zinc-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Line
            </th>
            {preview.columns.map((column) => {
              const standard = byName.get(column.name);
              return (
                <th key={column.name} scope="col" className="min-w-40 px-3 py-2">
                  <span className="block font-mono text-sm text-zinc-900 wrap-anywhere">{column.name}</span>
                  <span className="block font-normal" data-testid={`reads-as-${column.name}`}>
                    → {readingLabel(column)}
                  </span>
                  {mapsColumns ? (
                    <select
                      aria-label={`Field of column ${column.name}`}
                      value={chosen[column.name] ?? ""}
                      onChange={(e) => onChoose(column.name, e.target.value)}
                      className="mt-1 block w-full rounded border border-zinc-300 bg-white px-1 py-0.5 font-normal"
                    >
                      <option value="">as is ({standard ? readingLabel(standard) : "kept in metadata"})</option>
                      {MAPPABLE_FIELDS.map((field) => (
                        <option key={field} value={field}>
                          {field}
                        </option>
                      ))}
                    </select>
                  ) : null}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row) => (
            <tr key={row.line} className="border-t border-zinc-100 align-top">
              <td className="px-3 py-2 tabular-nums text-zinc-500">{row.line}</td>
              {row.values.map((value, i) => (
                <td key={i} className="max-w-80 px-3 py-2 whitespace-pre-wrap wrap-anywhere">
                  {value === null ? (
                    <span className="text-zinc-400">—</span>
                  ) : value.length > 300 ? (
                    `${value.slice(0, 300)}…`
                  ) : (
                    value
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
