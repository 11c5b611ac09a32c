"use client";
// The browse table (TanStack Table v9): rows and sort order come from the server (the URL); the
// table renders them and keeps the reader's choice of columns in localStorage.
import {
  createColumnHelper,
  columnVisibilityFeature,
  tableFeatures,
  useTable,
  type ColumnVisibilityState,
} from "@tanstack/react-table";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { StrategyBadge } from "@/components/ui/strategy-badge";
import type { BrowseRow } from "@/lib/browse/browse-responses";
import type { TrainingStrategy } from "@/lib/db/generated/enums";

const features = tableFeatures({ columnVisibilityFeature });
const helper = createColumnHelper<typeof features, BrowseRow>();

export const COLUMNS_STORAGE_KEY = "parallax.browse.columns";

/** Columns a sort order belongs to: their header links to it. */
export type SortableColumn = "id" | "prompt" | "mixScore";

const muted = <span className="text-zinc-400">—</span>;

/** A cell shows three lines: blank lines between paragraphs would take one of them. */
const compact = (text: string) => text.replace(/\n(?:[ \t]*\n)+/g, "\n").trim();

const columns = helper.columns([
  helper.accessor("id", {
    header: "Response",
    cell: (info) => <span className="font-mono text-xs">#{info.getValue()}</span>,
  }),
  helper.accessor("prompt", {
    header: "Prompt",
    cell: (info) => (
      <div className="min-w-56 max-w-80">
        <div className="font-mono text-xs text-zinc-500 wrap-anywhere">
          {info.row.original.promptKey.startsWith("sha256:")
            ? info.row.original.promptKey.slice(0, 15) + "…"
            : info.row.original.promptKey}
        </div>
        <div className="line-clamp-3 whitespace-pre-wrap wrap-anywhere">{compact(info.getValue())}</div>
      </div>
    ),
  }),
  helper.accessor("category", { header: "Category", cell: (info) => info.getValue() ?? muted }),
  helper.accessor("split", { header: "Split", cell: (info) => info.getValue() ?? muted }),
  helper.accessor("checkpoint", {
    header: "Checkpoint",
    cell: (info) => (
      <div className="space-y-1">
        <div className="wrap-anywhere">{info.getValue()}</div>
        <StrategyBadge strategy={info.row.original.strategy as TrainingStrategy} />
      </div>
    ),
  }),
  helper.accessor("trainingStep", { header: "Step", cell: (info) => info.getValue() ?? muted }),
  helper.accessor("sampleIndex", { header: "Sample", cell: (info) => info.getValue() }),
  helper.accessor("answer", {
    header: "Answer",
    cell: (info) => (
      <div className="min-w-56 max-w-96">
        <div className="line-clamp-3 whitespace-pre-wrap wrap-anywhere">
          {compact(info.getValue()) || <em className="text-zinc-500">(empty)</em>}
        </div>
        {info.row.original.hasReasoning ? null : <div className="text-xs text-zinc-500">no reasoning</div>}
      </div>
    ),
  }),
  helper.accessor("labelCount", {
    header: "Labels",
    cell: (info) =>
      info.getValue() === 0 ? (
        muted
      ) : (
        <span>
          {info.getValue()}
          {info.row.original.harmMax === null ? null : (
            <span className="block text-xs text-zinc-500">max harm {info.row.original.harmMax}</span>
          )}
        </span>
      ),
  }),
  helper.accessor("mixScore", {
    header: "Mixing score",
    cell: (info) => (info.getValue() === null ? muted : info.getValue()!.toFixed(2)),
  }),
  helper.accessor("refusalSignal", {
    header: "Refusal (auto)",
    cell: (info) => info.getValue()?.toLowerCase() ?? muted,
  }),
  helper.accessor("formatIssues", {
    header: "Format issues",
    cell: (info) => (info.getValue().length ? info.getValue().join(", ") : muted),
  }),
]);

const DEFAULT_VISIBILITY: ColumnVisibilityState = {
  split: false,
  trainingStep: false,
  sampleIndex: false,
  formatIssues: false,
};

interface Props {
  rows: BrowseRow[];
  /** Links that sort by a column (server-built, with the current filters). */
  sortLinks: Partial<Record<SortableColumn, { href: string; current: "ascending" | "descending" | null }>>;
  detailHref: string;
  /** This view's query string: a response's page leads back to it. */
  listQuery: string;
}

export function ResponsesTable({ rows, sortLinks, detailHref, listQuery }: Props) {
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(DEFAULT_VISIBILITY);
  // The saved choice is read after hydration (the server cannot know it), then kept in step.
  useEffect(() => {
    try {
      const saved = JSON.parse(window.localStorage.getItem(COLUMNS_STORAGE_KEY) ?? "null") as unknown;
      if (saved && typeof saved === "object" && !Array.isArray(saved)) {
        setColumnVisibility(
          Object.fromEntries(Object.entries(saved).filter(([, v]) => typeof v === "boolean")) as ColumnVisibilityState,
        );
      }
    } catch {
      // A damaged entry: keep the defaults.
    }
  }, []);
  // The column chooser closes like a menu: Esc (focus back on its button) or a click elsewhere.
  const chooser = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (event: MouseEvent | KeyboardEvent) => {
      const details = chooser.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        details.open = false;
        details.querySelector("summary")?.focus();
      } else if (!details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, []);
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => String(row.id),
    state: { columnVisibility },
    onColumnVisibilityChange: (updater) => {
      setColumnVisibility((old) => {
        const next = typeof updater === "function" ? updater(old) : updater;
        window.localStorage.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(next));
        return next;
      });
    },
  });

  return (
    <div className="space-y-3">
      <details ref={chooser} className="relative inline-block">
        <summary className="cursor-pointer rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm text-zinc-800 hover:bg-zinc-50">
          Columns
        </summary>
        <fieldset className="absolute z-10 mt-1 w-56 space-y-1 rounded-md border border-zinc-200 bg-white p-3 text-sm shadow-lg">
          <legend className="sr-only">Columns shown</legend>
          {table.getAllLeafColumns().map((column) => (
            <label key={column.id} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={column.getIsVisible()}
                disabled={column.id === "id"}
                onChange={(event) => column.toggleVisibility(event.target.checked)}
              />
              {String(column.columnDef.header)}
            </label>
          ))}
        </fieldset>
      </details>
      <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
        <table className="w-full text-sm">
          <caption className="sr-only">Responses</caption>
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sort = sortLinks[header.column.id as SortableColumn];
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sort?.current ?? undefined}
                      className="px-3 py-2.5 text-left font-medium whitespace-nowrap"
                    >
                      {sort ? (
                        <Link
                          href={sort.href}
                          className="text-zinc-600 no-underline hover:text-zinc-950"
                          title="Sort by this column"
                        >
                          <table.FlexRender header={header} />{" "}
                          {sort.current === "ascending" ? "▲" : sort.current === "descending" ? "▼" : "↕"}
                        </Link>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="border-t border-zinc-100 align-top hover:bg-zinc-50/70">
                {row.getVisibleCells().map((cell) =>
                  cell.column.id === "id" ? (
                    <th key={cell.id} scope="row" className="px-3 py-2.5 text-left font-normal">
                      <Link
                        href={`${detailHref}/${row.original.id}${listQuery ? `?list=${encodeURIComponent(listQuery)}` : ""}`}
                      >
                        #{row.original.id}
                      </Link>
                    </th>
                  ) : (
                    <td key={cell.id} className="px-3 py-2.5">
                      <table.FlexRender cell={cell} />
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
