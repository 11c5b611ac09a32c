import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import {
  ResponseFacts,
  ResponseLabels,
  ResponseSiblings,
  ResponseTexts,
  type DetailView,
} from "@/components/browse/response-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { requireStudyAccess } from "@/lib/auth/guard";
import { listHrefFrom } from "@/lib/browse/browse-params";
import { browseStudy } from "@/lib/browse/browse-study";
import { responseDetail } from "@/lib/browse/response-detail";
import { pool } from "@/lib/db/client";

type Props = {
  params: Promise<{ slug: string; id: string }>;
  searchParams: Promise<{ list?: string | string[]; view?: string | string[] }>;
};

const load = cache(async (slug: string, id: string) => {
  await connection();
  await requireStudyAccess("/studies/[slug]/responses/[id]", slug);
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647) return null;
  const study = await browseStudy(slug);
  if (!study) return null;
  const response = await responseDetail(pool(), study.id, Number(id));
  return response ? { study, response } : null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  const loaded = await load(slug, id);
  return { title: loaded ? `Response #${loaded.response.id} · ${loaded.study.name}` : "Response not found" };
}

export default async function ResponsePage({ params, searchParams }: Props) {
  const { slug, id } = await params;
  const loaded = await load(slug, id);
  if (!loaded) notFound();
  const { study, response } = loaded;
  // Back to the list it was opened from: same search, filters and page.
  const search = await searchParams;
  const listParam = search.list;
  const view: DetailView = search.view === "markdown" ? "markdown" : "text";
  const list = listHrefFrom(`/studies/${study.slug}/responses`, listParam);
  // Links to this and sibling pages carry the way back only when it is a valid list view (as `list` above checks).
  const listQuery = list.includes("?") ? list.slice(list.indexOf("?") + 1) : null;
  // A response's page in a view, keeping the way back to the list.
  const detailHref = (id: number, option: DetailView) => {
    const query = new URLSearchParams();
    if (listQuery) query.set("list", listQuery);
    if (option === "markdown") query.set("view", "markdown");
    const text = query.toString();
    return `/studies/${study.slug}/responses/${id}${text ? `?${text}` : ""}`;
  };
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Responses", href: list },
            { label: `#${response.id}` },
          ]}
        />
        <h1 className="text-3xl wrap-anywhere">
          Response #{response.id} <span className="text-zinc-500">· {response.checkpoint}</span>
        </h1>
      </header>
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-8">
          <ResponseTexts response={response} view={view} viewHref={(option) => detailHref(response.id, option)} />
          <ResponseLabels labels={response.labels} />
        </div>
        <aside className="space-y-6">
          <ResponseFacts response={response} />
          <ResponseSiblings response={response} hrefOf={(id) => detailHref(id, view)} />
        </aside>
      </div>
    </div>
  );
}
