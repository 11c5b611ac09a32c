import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { UploadForm } from "@/components/imports/upload-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { formatCount, formatInstant } from "@/components/ui/format";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { formatBytes, maxUploadBytes } from "@/lib/import/http-upload";
import { recentImportJobs } from "@/lib/import/import-jobs";

type Props = { params: Promise<{ slug: string }> };

const loadStudy = cache(async (slug: string) => {
  await connection();
  const { study } = await requireStudyAccess("/studies/[slug]/import", slug);
  return study;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const study = await loadStudy((await params).slug);
  return { title: study ? `Import · ${study.name}` : "Study not found" };
}

const STATUS: Record<string, string> = {
  RUNNING: "running",
  SUCCEEDED: "imported",
  REJECTED: "rejected",
  FAILED: "failed",
};

export default async function ImportPage({ params }: Props) {
  const study = await loadStudy((await params).slug);
  if (!study) notFound();
  const jobs = await recentImportJobs(pool(), study.slug, 10);
  const limit = maxUploadBytes();

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Import" },
          ]}
        />
        <h1 className="text-3xl wrap-anywhere">Import responses: {study.name}</h1>
        <p className="reading text-sm text-zinc-700">
          JSON Lines, a JSON array or CSV with a header row, in the fields of the README&apos;s import format, or a
          Label Studio JSON export or Argilla records (recognised by their first record); at most {formatBytes(limit)}{" "}
          per file. The file is streamed to the server and imported as it arrives. One bad row rejects the whole file
          and nothing is written; importing the same file again adds nothing twice. Scripts post to{" "}
          <code>/api/v1/studies/{study.slug}/responses</code> with an API token.
        </p>
      </header>
      <UploadForm slug={study.slug} maxBytes={limit} maxLabel={formatBytes(limit)} />

      <section aria-labelledby="jobs-heading" className="space-y-3">
        <h2 id="jobs-heading" className="text-xl">
          Recent imports
        </h2>
        {jobs.length === 0 ? (
          <p className="text-sm text-zinc-600">None yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
            <table className="w-full text-sm">
              <thead className="bg-zinc-50 text-left text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    File
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Rows
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    New
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Already present
                  </th>
                  <th scope="col" className="px-3 py-2">
                    By, when
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id} className="border-t border-zinc-100 align-top">
                    <td className="px-3 py-2 wrap-anywhere">
                      {job.fileName} <span className="text-xs text-zinc-500">({formatBytes(job.bytesRead)})</span>
                      {job.errors.length || job.message ? (
                        <details className="mt-1 text-xs">
                          <summary className="cursor-pointer text-zinc-600">{job.message ?? "details"}</summary>
                          <ul className="mt-1 list-disc pl-4">
                            {job.errors.map((e, i) => (
                              <li key={i}>
                                line {e.line}
                                {e.field ? `, ${e.field}` : ""}: {e.message}
                              </li>
                            ))}
                          </ul>
                        </details>
                      ) : null}
                    </td>
                    <td className="px-3 py-2">{STATUS[job.status] ?? job.status}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatCount(job.rowsRead)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatCount(job.inserted)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatCount(job.alreadyPresent)}</td>
                    <td className="px-3 py-2 text-xs text-zinc-600">
                      {job.createdBy ?? "command line"}
                      <br />
                      {formatInstant(job.startedAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="text-sm">
          <Link href={`/studies/${study.slug}/responses`}>Browse the study&apos;s responses</Link>
        </p>
      </section>
    </div>
  );
}
