import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { ArchiveStudyForm, DeleteStudyForm } from "@/components/studies/lifecycle-forms";
import { StudySettingsForm } from "@/components/studies/settings-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { formatDay } from "@/components/ui/format";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";
import { studyContents } from "@/lib/study/lifecycle";
import { studyAuditLog, studySettings } from "@/lib/study/settings";
import { describeChange } from "@/lib/study/settings-form";

type Props = { params: Promise<{ slug: string }> };

const loadStudy = cache(async (slug: string) => {
  await connection();
  const { study } = await requireStudyAccess("/studies/[slug]/settings", slug);
  const [settings, log, contents] = await Promise.all([
    studySettings(pool(), study.id),
    studyAuditLog(pool(), study.id),
    studyContents(pool(), study.id),
  ]);
  return { settings, log, contents, archived: study.archivedAt !== null };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const loaded = await loadStudy((await params).slug);
  return { title: loaded ? `Settings · ${loaded.settings.name}` : "Study not found" };
}

export default async function StudySettingsPage({ params }: Props) {
  const loaded = await loadStudy((await params).slug);
  if (!loaded) notFound();
  const { settings, log, contents, archived } = loaded;
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: settings.slug, href: `/studies/${settings.slug}`, mono: true },
            { label: "Settings" },
          ]}
        />
        <h1 className="text-3xl wrap-anywhere">Settings: {settings.name}</h1>
      </header>
      <StudySettingsForm slug={settings.slug} settings={settings} />
      <section aria-labelledby="lifecycle-heading" className="space-y-6 rounded-lg border border-red-200 bg-white p-5">
        <h2 id="lifecycle-heading" className="text-xl">
          Archive or delete
        </h2>
        <ArchiveStudyForm slug={settings.slug} archived={archived} />
        <DeleteStudyForm slug={settings.slug} contents={contents} />
      </section>
      <section aria-labelledby="changes-heading" className="space-y-3">
        <h2 id="changes-heading" className="text-xl">
          Changes
        </h2>
        {log.length === 0 ? (
          <p className="text-sm text-zinc-500">No setting has been changed since the study was created.</p>
        ) : (
          <ol
            aria-label="Changes to the settings"
            className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white text-sm"
          >
            {log.map((entry) => (
              <li key={entry.id} className="px-4 py-2">
                <p>
                  <span className="font-medium">{entry.actor}</span>{" "}
                  <time
                    dateTime={entry.createdAt.toISOString()}
                    className="text-zinc-500"
                    title={entry.createdAt.toISOString()}
                  >
                    {formatDay(entry.createdAt)} {entry.createdAt.toISOString().slice(11, 16)} UTC
                  </time>
                </p>
                <ul className="list-disc pl-5 text-zinc-700">
                  {Object.entries(entry.detail).map(([field, change]) => (
                    <li key={field}>{describeChange(field, change)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
