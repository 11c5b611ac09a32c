import type { Metadata } from "next";
import { connection } from "next/server";
import { cache } from "react";
import { CheckpointForm, MergeCheckpointsForm } from "@/components/checkpoints/checkpoint-forms";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { requireStudyAccess } from "@/lib/auth/guard";
import { studyOverview } from "@/lib/study/queries";

type Props = { params: Promise<{ slug: string }> };

const loadStudy = cache(async (slug: string) => {
  await connection();
  const { study } = await requireStudyAccess("/studies/[slug]/checkpoints", slug);
  const overview = await studyOverview(study.slug);
  return { study, checkpoints: overview?.checkpoints ?? [] };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { study } = await loadStudy((await params).slug);
  return { title: `Checkpoints · ${study.name}` };
}

export default async function CheckpointsPage({ params }: Props) {
  const { study, checkpoints } = await loadStudy((await params).slug);
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Checkpoints" },
          ]}
        />
        <h1 className="text-2xl">Checkpoints of {study.name}</h1>
        <p className="max-w-3xl text-zinc-600">
          Rename a checkpoint, or correct its strategy, training step and compute: the analytics follow at once. Every
          change is logged.
        </p>
      </header>
      {checkpoints.length === 0 ? (
        <p className="text-zinc-600">No checkpoints yet: import responses first.</p>
      ) : (
        <ul aria-label="Checkpoints" className="space-y-4">
          {checkpoints.map((checkpoint) => (
            <CheckpointForm key={checkpoint.id} slug={study.slug} checkpoint={checkpoint} />
          ))}
        </ul>
      )}
      {checkpoints.length >= 2 ? <MergeCheckpointsForm slug={study.slug} checkpoints={checkpoints} /> : null}
    </div>
  );
}
