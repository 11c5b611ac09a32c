import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { FinalLabelForm } from "@/components/adjudication/final-label-form";
import { LabelsSideBySide } from "@/components/adjudication/labels-side-by-side";
import { ResponseTexts, type DetailView } from "@/components/browse/response-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { agreedValues, adjudicationItem } from "@/lib/adjudication/item";
import { disagreementPage } from "@/lib/adjudication/list";
import { listQuery, parseListParams, type ListSearchParams } from "@/lib/adjudication/list-params";
import { requireStudyAccess } from "@/lib/auth/guard";
import { responseDetail } from "@/lib/browse/response-detail";
import { pool } from "@/lib/db/client";
import { studySettings } from "@/lib/study/settings";

type Props = { params: Promise<{ slug: string; id: string }>; searchParams: Promise<ListSearchParams> };

const load = cache(async (slug: string, id: string) => {
  await connection();
  const { user, study } = await requireStudyAccess("/studies/[slug]/adjudicate/[id]", slug);
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647) return null;
  const response = await responseDetail(pool(), study.id, Number(id));
  return response ? { study, response, user } : null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  const loaded = await load(slug, id);
  return { title: loaded ? `Adjudicate #${loaded.response.id} · ${loaded.study.name}` : "Response not found" };
}

export default async function AdjudicateResponsePage({ params, searchParams }: Props) {
  const { slug, id } = await params;
  const loaded = await load(slug, id);
  if (!loaded) notFound();
  const { study, response, user } = loaded;
  const search = await searchParams;
  const { filters } = parseListParams(search);
  const view: DetailView = search.view === "markdown" ? "markdown" : "text";
  const base = `/studies/${study.slug}/adjudicate`;
  const query = listQuery(filters);
  const [item, settings, next, previous] = await Promise.all([
    adjudicationItem(pool(), study.id, response.id, user.role === "ADMIN"),
    studySettings(pool(), study.id),
    disagreementPage(pool(), study.id, filters, { after: response.id }, 1),
    disagreementPage(pool(), study.id, filters, { before: response.id }, 1),
  ]);
  const hrefOf = (responseId: number) => `${base}/${responseId}${query}`;
  const viewHref = (option: DetailView) => {
    const q = new URLSearchParams(query.slice(1));
    if (option === "markdown") q.set("view", "markdown");
    const text = q.toString();
    return `${base}/${response.id}${text ? `?${text}` : ""}`;
  };
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Adjudicate", href: `${base}${query}` },
            { label: `#${response.id}` },
          ]}
        />
        <h1 className="text-3xl">Adjudicate response #{response.id}</h1>
        <p className="text-sm text-zinc-600">
          {response.checkpoint} ({response.strategy.toLowerCase()}) · prompt {response.promptKey}
          {item.disagreements.length === 0 ? " · the reviewers do not disagree on this response by the rule" : null} ·{" "}
          <Link href={`/studies/${study.slug}/responses/${response.id}`}>response page</Link>
        </p>
      </header>
      <div className="grid gap-8 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <ResponseTexts response={response} view={view} viewHref={viewHref} />
        <div className="space-y-6">
          <LabelsSideBySide labels={item.labels} final={item.final} disagreements={item.disagreements} />
          <FinalLabelForm
            key={response.id}
            slug={study.slug}
            responseId={response.id}
            hasReasoning={response.reasoning !== null}
            categories={settings.harmCategories}
            initial={item.final?.values ?? agreedValues(item.labels.map((l) => l.values))}
            version={item.final?.version ?? null}
            nextHref={next[0] ? hrefOf(next[0].responseId) : null}
            previousHref={previous[0] ? hrefOf(previous[0].responseId) : null}
          />
        </div>
      </div>
    </div>
  );
}
