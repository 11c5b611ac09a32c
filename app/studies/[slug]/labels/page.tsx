// "My labels": the prompts the signed-in user has labelled in a study, highest prompt number first, a page at a
// time (keyset: ?after=…), each linking back to the workspace to see or edit the labels.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { primaryButton, secondaryButton } from "@/components/ui/controls";
import { formatInstant, plural } from "@/components/ui/format";
import { requireStudyAccess } from "@/lib/auth/guard";
import { myLabels } from "@/lib/review";
import { studyForReviewer } from "@/lib/study/reviewer-progress";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ after?: string | string[] }> };

export const metadata: Metadata = { title: "My labels" };

const PAGE_SIZE = 50;

export default async function MyLabelsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { user } = await requireStudyAccess("/studies/[slug]/labels", slug);
  const study = await studyForReviewer(slug, user.id);
  if (!study) notFound();
  const afterText = (await searchParams).after;
  const after = typeof afterText === "string" && /^\d{1,18}$/.test(afterText) ? Number(afterText) : undefined;
  const page = await myLabels(slug, user.id, { after, limit: PAGE_SIZE });

  return (
    <div className="space-y-6">
      <header className="space-y-3">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "My labels" },
          ]}
        />
        <h1 className="text-3xl">My labels</h1>
        <p className="text-zinc-600">
          {study.name}: you labelled {plural(study.yourLabels, "response")}, listed by prompt number, highest first.
          Open a prompt to see or change your labels; every change keeps the previous version.
        </p>
        <p className="flex gap-3">
          <Link href={`/studies/${study.slug}/review`} className={primaryButton}>
            {study.yourLabels === 0 ? "Start reviewing" : "Continue reviewing"}
          </Link>
          {after !== undefined ? (
            <Link href={`/studies/${study.slug}/labels`} className={secondaryButton}>
              First page
            </Link>
          ) : null}
        </p>
      </header>
      {page.items.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-8 text-zinc-600">
          {after === undefined
            ? "You have not submitted a label in this study yet: labels appear here once you submit a prompt (drafts do not)."
            : "No older labels."}
        </p>
      ) : (
        <table className="w-full table-fixed border-collapse overflow-hidden rounded-xl bg-white text-sm shadow-xs">
          <thead>
            <tr className="border-b border-zinc-200 text-left text-xs text-zinc-500">
              <th scope="col" aria-sort="descending" className="w-24 px-4 py-2 font-medium">
                Prompt <span aria-hidden="true">▼</span>
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Text
              </th>
              <th scope="col" className="w-36 px-4 py-2 font-medium">
                Labelled
              </th>
              <th scope="col" className="w-48 px-4 py-2 font-medium">
                Last change
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((row) => (
              <tr key={row.promptId} className="border-b border-zinc-100 align-top last:border-0">
                <td className="px-4 py-2 font-mono text-xs">
                  <Link
                    href={`/studies/${study.slug}/review?prompt=${row.promptId}`}
                    aria-label={`Open prompt ${row.promptId}`}
                  >
                    #{row.promptId}
                  </Link>
                </td>
                <td className="px-4 py-2">
                  <Link
                    href={`/studies/${study.slug}/review?prompt=${row.promptId}`}
                    className="line-clamp-2 text-zinc-800 no-underline hover:text-accent-strong"
                  >
                    {row.promptExcerpt}
                  </Link>
                </td>
                <td className="px-4 py-2 whitespace-nowrap tabular-nums text-zinc-600">
                  {plural(row.labelled, "response")}
                </td>
                <td className="px-4 py-2 text-xs text-zinc-600">{formatInstant(new Date(row.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextAfter !== null ? (
        <p>
          <Link href={`/studies/${study.slug}/labels?after=${page.nextAfter}`} className={secondaryButton}>
            Older labels
          </Link>
        </p>
      ) : null}
    </div>
  );
}
