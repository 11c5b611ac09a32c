import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { CheckpointTable } from "@/components/studies/checkpoint-table";
import { PromptBreakdown } from "@/components/studies/prompt-breakdown";
import { ReviewerStudyOverview } from "@/components/studies/reviewer-progress";
import { StudySettings, StudyTotals } from "@/components/studies/study-summary";
import { ExportForm } from "@/components/export/export-form";
import { CollectResponses } from "@/components/generate/collect-responses";
import { JudgesPanel } from "@/components/judges/judges-panel";
import { RUBRICS } from "@/lib/judges/rubrics";
import { primaryButton, secondaryButton } from "@/components/ui/controls";
import { requireStudyAccess } from "@/lib/auth/guard";
import { studyOverview } from "@/lib/study/queries";
import { studyForReviewer } from "@/lib/study/reviewer-progress";

type Props = { params: Promise<{ slug: string }> };

// One access check and one database round per request, shared by generateMetadata and the page.
// Reviewers get a read model without checkpoints or strategies (blind review).
const loadStudy = cache(async (slug: string) => {
  await connection();
  const { user } = await requireStudyAccess("/studies/[slug]", slug);
  if (user.role === "REVIEWER") {
    const study = await studyForReviewer(slug, user.id);
    return study ? ({ view: "reviewer", study } as const) : null;
  }
  const overview = await studyOverview(slug);
  return overview ? ({ view: "full", overview, role: user.role } as const) : null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const loaded = await loadStudy((await params).slug);
  if (!loaded) return { title: "Study not found" };
  return { title: loaded.view === "reviewer" ? loaded.study.name : loaded.overview.study.name };
}

export default async function StudyPage({ params }: Props) {
  const loaded = await loadStudy((await params).slug);
  if (!loaded) notFound();
  if (loaded.view === "reviewer") return <ReviewerStudyOverview study={loaded.study} />;
  const { study, totals, checkpoints, promptsByCategory, promptsBySplit } = loaded.overview;

  return (
    <div className="space-y-10">
      <header className="space-y-4">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, mono: true },
          ]}
        />
        <h1 className="text-3xl wrap-anywhere">{study.name}</h1>
        {study.description ? <p className="reading text-zinc-700">{study.description}</p> : null}
        <StudySettings study={study} />
        <p className="flex flex-wrap gap-2">
          <Link href={`/studies/${study.slug}/review`} className={primaryButton}>
            Start reviewing
          </Link>
          <Link href={`/studies/${study.slug}/analytics`} className={secondaryButton}>
            Analytics: failure rates by strategy
          </Link>
          <Link href={`/studies/${study.slug}/adjudicate`} className={secondaryButton}>
            Adjudicate disagreements
          </Link>
          <Link href={`/studies/${study.slug}/responses`} className={secondaryButton}>
            Browse responses
          </Link>
          <Link href={`/studies/${study.slug}/import`} className={secondaryButton}>
            Import responses
          </Link>
          <Link href={`/studies/${study.slug}/labels`} className={secondaryButton}>
            My labels
          </Link>
          <Link href={`/studies/${study.slug}/checkpoints`} className={secondaryButton}>
            Checkpoints
          </Link>
          <Link href={`/studies/${study.slug}/members`} className={secondaryButton}>
            Members
          </Link>
          <Link href={`/studies/${study.slug}/settings`} className={secondaryButton}>
            Settings
          </Link>
        </p>
      </header>

      <StudyTotals totals={totals} />

      <section aria-labelledby="export-heading" className="space-y-3">
        <h2 id="export-heading" className="text-xl">
          Export
        </h2>
        <ExportForm slug={study.slug} mayReveal={loaded.role === "ADMIN"} />
      </section>

      <section aria-labelledby="collect-heading" className="space-y-3">
        <h2 id="collect-heading" className="text-xl">
          Collect responses
        </h2>
        <p className="reading text-sm text-zinc-700">
          Send every prompt of this study to a checkpoint served behind an OpenAI-compatible endpoint (vLLM, SGLang,
          TGI, llama.cpp, Ollama, a hosted API). Prompts that already have this checkpoint&apos;s responses are skipped.
        </p>
        <CollectResponses slug={study.slug} checkpoints={checkpoints.map((c) => c.name)} />
      </section>

      <section aria-labelledby="judges-heading" className="space-y-3">
        <h2 id="judges-heading" className="text-xl">
          Judges
        </h2>
        <p className="reading text-sm text-zinc-700">
          Pre-label the responses with a judge model behind an OpenAI-compatible endpoint and a built-in rubric. A
          judge&apos;s labels are kept apart from the reviewers&apos;: the analytics read them on the basis of that
          judge and compare them with the reviewers in the signals table.
        </p>
        <JudgesPanel
          slug={study.slug}
          rubrics={RUBRICS.map((rubric) => ({ id: rubric.id, title: rubric.title, system: rubric.system }))}
        />
      </section>

      <section aria-labelledby="checkpoints-heading" className="space-y-3">
        <h2 id="checkpoints-heading" className="text-xl">
          Checkpoints
        </h2>
        <CheckpointTable checkpoints={checkpoints} />
      </section>

      <section aria-labelledby="prompts-heading" className="space-y-3">
        <h2 id="prompts-heading" className="text-xl">
          Prompts
        </h2>
        <div className="grid gap-6 md:grid-cols-2">
          <PromptBreakdown title="By category" attribute="Category" groups={promptsByCategory} />
          <PromptBreakdown title="By split" attribute="Split" groups={promptsBySplit} />
        </div>
      </section>
    </div>
  );
}
