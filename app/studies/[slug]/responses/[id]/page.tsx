import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { ResponseFacts, ResponseLabels, ResponseSiblings, ResponseTexts } from "@/components/browse/response-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { requireAccess } from "@/lib/auth/guard";
import { listHrefFrom } from "@/lib/browse/browse-params";
import { browseStudy } from "@/lib/browse/browse-study";
import { responseDetail } from "@/lib/browse/response-detail";
import { pool } from "@/lib/db/client";

type Props = { params: Promise<{ slug: string; id: string }>; searchParams: Promise<{ list?: string | string[] }> };

const load = cache(async (slug: string, id: string) => {
  await connection();
  await requireAccess("/studies/[slug]/responses/[id]");
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
  const listParam = (await searchParams).list;
  const list = listHrefFrom(`/studies/${study.slug}/responses`, listParam);
  // The sibling links carry the way back only when it is a valid list view (as `list` above checks).
  const listQuery = list.includes("?") ? list.slice(list.indexOf("?") + 1) : null;
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
          <ResponseTexts response={response} />
          <ResponseLabels labels={response.labels} />
        </div>
        <aside className="space-y-6">
          <ResponseFacts response={response} />
          <ResponseSiblings response={response} detailHref={`/studies/${study.slug}/responses`} listQuery={listQuery} />
        </aside>
      </div>
    </div>
  );
}
