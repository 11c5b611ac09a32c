import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import {
  DisagreementCounts,
  DisagreementFilters,
  DisagreementRule,
  DisagreementTable,
} from "@/components/adjudication/disagreement-list";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { adjudicationCounts, disagreementPage, PAGE_SIZE } from "@/lib/adjudication/list";
import { listQuery, parseListParams, type ListSearchParams } from "@/lib/adjudication/list-params";
import { analyticsStudy } from "@/lib/analytics/study-analytics";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<ListSearchParams> };

const loadStudy = cache(async (slug: string) => {
  await connection();
  await requireStudyAccess("/studies/[slug]/adjudicate", slug);
  return analyticsStudy(slug);
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const study = await loadStudy((await params).slug);
  return { title: study ? `Adjudicate · ${study.name}` : "Study not found" };
}

export default async function AdjudicatePage({ params, searchParams }: Props) {
  const study = await loadStudy((await params).slug);
  if (!study) notFound();
  const { filters, after, before } = parseListParams(await searchParams);
  const base = `/studies/${study.slug}/adjudicate`;
  const cursor = before !== undefined ? { before } : after !== undefined ? { after } : {};
  const [rows, counts] = await Promise.all([
    disagreementPage(pool(), study.id, filters, cursor, PAGE_SIZE),
    adjudicationCounts(pool(), study.id, filters),
  ]);
  // The list's own query goes along to each response, so its page can step through the same list.
  const query = listQuery(filters);
  const first = cursor.after === undefined && (cursor.before === undefined || rows.length < PAGE_SIZE);
  return (
    <div className="space-y-6">
      <header className="space-y-4">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Adjudicate" },
          ]}
        />
        <h1 className="text-3xl wrap-anywhere">Adjudicate: {study.name}</h1>
        <DisagreementRule />
        <DisagreementFilters action={base} filters={filters} checkpoints={study.checkpoints} />
        <DisagreementCounts counts={counts} />
      </header>
      <DisagreementTable
        rows={rows}
        base={base}
        filters={filters}
        first={first}
        hrefOf={(id) => `${base}/${id}${query}`}
      />
    </div>
  );
}
