import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { after, connection } from "next/server";
import { cache } from "react";
import { BrowseFilters } from "@/components/browse/browse-filters";
import { ResponsesTable, type SortableColumn } from "@/components/browse/responses-table";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { secondaryButton } from "@/components/ui/controls";
import { formatCount } from "@/components/ui/format";
import { requireStudyAccess } from "@/lib/auth/guard";
import { browseHref, encodeCursor, parseBrowseParams, type BrowseSort } from "@/lib/browse/browse-params";
import { browseResponses } from "@/lib/browse/browse-responses";
import { browseStudy } from "@/lib/browse/browse-study";
import { indexStudySearch, searchCoverage } from "@/lib/browse/search-index";
import { pool } from "@/lib/db/client";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const loadStudy = cache(async (slug: string) => {
  await connection();
  await requireStudyAccess("/studies/[slug]/responses", slug);
  return browseStudy(slug);
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const study = await loadStudy((await params).slug);
  return { title: study ? `Responses · ${study.name}` : "Study not found" };
}

/**
 * Wider than the other pages' column on large screens (up to 96rem), so that at 1440 px every
 * default column of the table fits without scrolling sideways; about the column's width below 1200 px.
 * Margins, not a transform (which would blur text on half pixels).
 */
const WIDE = { width: "min(100vw - 3rem, 96rem)", marginLeft: "calc((100% - min(100vw - 3rem, 96rem)) / 2)" } as const;

/** The parameters that narrow the view (the others only order or page it). */
const FILTER_PARAMS = ["q", "strategy", "checkpoint", "category", "split", "labelled", "failure"] as const;

/** What to do when a page has no rows: widen the search, go back to the first page, or import. */
function NoResponses({
  narrowed,
  firstPage,
  base,
  slug,
}: {
  narrowed: boolean;
  firstPage: string | null;
  base: string;
  slug: string;
}) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-8 text-zinc-700">
      {firstPage ? (
        <p>
          This page is past the last matching response (responses may have been deleted since the link was made).{" "}
          <Link href={firstPage}>Start from the first page</Link>.
        </p>
      ) : narrowed ? (
        <p>
          Nothing matches this search and these filters. Search looks for whole words: try fewer or other words, or
          fewer filters. <Link href={base}>Clear the search and filters</Link>.
        </p>
      ) : (
        <p>
          This study has no responses yet. <Link href={`/studies/${slug}/import`}>Import responses</Link> from a JSON
          Lines or CSV file.
        </p>
      )}
    </div>
  );
}

const SORT_OF_COLUMN: Record<SortableColumn, BrowseSort> = { id: "id", prompt: "prompt", mixScore: "mix_score" };

export default async function ResponsesPage({ params, searchParams }: Props) {
  const study = await loadStudy((await params).slug);
  if (!study) notFound();
  const base = `/studies/${study.slug}/responses`;
  const parsed = parseBrowseParams(await searchParams);

  const coverage = await searchCoverage(pool(), study.id);
  // Documents of newly imported responses are written after the answer, in this process.
  if (coverage.pending)
    after(() =>
      indexStudySearch(pool(), study.id).catch((error: unknown) => console.error("Search indexing failed:", error)),
    );

  let problem: string[] | null = parsed.ok ? null : parsed.errors;
  const page = parsed.ok
    ? await browseResponses(pool(), study.id, parsed.params, study.rules).catch((error: Error) => {
        problem = [error.message];
        return null;
      })
    : null;

  const header = (
    <header className="space-y-4">
      <Breadcrumb
        trail={[
          { label: "Studies", href: "/" },
          { label: study.slug, href: `/studies/${study.slug}`, mono: true },
          { label: "Responses" },
        ]}
      />
      <h1 className="text-3xl wrap-anywhere">Responses: {study.name}</h1>
      <BrowseFilters action={base} url={parsed.url} study={study} />
    </header>
  );
  if (!parsed.ok || !page) {
    return (
      <div className="space-y-8" style={WIDE}>
        {header}
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          <p className="font-medium">This view cannot be shown:</p>
          <ul className="mt-1 list-disc pl-5">
            {(problem ?? []).map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
          <p className="mt-2">
            <Link href={base}>Show all responses</Link>
          </p>
        </div>
      </div>
    );
  }

  const view = parsed.params;
  const url = { ...parsed.url, after: undefined, before: undefined };
  const sortLinks = Object.fromEntries(
    (Object.entries(SORT_OF_COLUMN) as [SortableColumn, BrowseSort][]).map(([column, sort]) => {
      const current = view.sort === sort ? (view.dir === "asc" ? "ascending" : "descending") : null;
      const dir = current === null ? (sort === "mix_score" ? "desc" : "asc") : view.dir === "asc" ? "desc" : "asc";
      return [column, { href: browseHref(base, url, { sort, dir }), current }];
    }),
  );
  const narrowed = FILTER_PARAMS.some((name) => parsed.url[name]);
  const total = page.total === null ? null : `${formatCount(page.total)}${page.totalCapped ? "+" : ""}`;

  return (
    <div className="space-y-6" style={WIDE}>
      {header}
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-zinc-700">
        <p aria-live="polite">
          {page.rows.length === 0
            ? "No responses match."
            : total === null
              ? `${formatCount(page.rows.length)} responses on this page; more on the next pages.`
              : `${formatCount(page.rows.length)} of ${total} matching responses on this page.`}
        </p>
        {view.q && coverage.pending ? (
          <p className="text-amber-800">
            Recently imported responses are still being made searchable; reload in a moment.
          </p>
        ) : null}
      </div>
      {page.rows.length > 0 ? (
        <ResponsesTable
          rows={page.rows}
          sortLinks={sortLinks}
          detailHref={base}
          listQuery={browseHref("", parsed.url).slice(1)}
        />
      ) : (
        <NoResponses
          narrowed={narrowed}
          firstPage={view.after || view.before ? browseHref(base, url) : null}
          base={base}
          slug={study.slug}
        />
      )}
      <nav aria-label="Pages" className="flex gap-2">
        {page.previous ? (
          <>
            <Link href={browseHref(base, url)} className={secondaryButton}>
              First page
            </Link>
            <Link
              href={browseHref(base, url, { before: encodeCursor(page.previous) })}
              className={secondaryButton}
              rel="prev"
            >
              Previous
            </Link>
          </>
        ) : null}
        {page.next ? (
          <Link href={browseHref(base, url, { after: encodeCursor(page.next) })} className={secondaryButton} rel="next">
            Next
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
