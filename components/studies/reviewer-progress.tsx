// A reviewer's view of a study: how big it is and how far labelling has come — nothing about which
// checkpoints or strategies it compares.
import Link from "next/link";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { primaryButton, secondaryButton, smallButton } from "@/components/ui/controls";
import { StudyCardTitle } from "./study-card-title";
import { Stat } from "@/components/ui/stat";
import { formatCount, formatShare } from "@/components/ui/format";
import type { ReviewerStudy } from "@/lib/study/reviewer-progress";

export function ProgressBar({ part, whole, label }: { part: number; whole: number; label: string }) {
  const share = whole === 0 ? 0 : Math.min(1, part / whole);
  return (
    <div>
      <div className="flex justify-between text-xs text-zinc-600">
        <span>{label}</span>
        <span className="tabular-nums">{formatShare(part, whole)}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
        className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100"
      >
        <div className="h-full rounded-full bg-accent" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    </div>
  );
}

export function ReviewerStudyCard({ study }: { study: ReviewerStudy }) {
  const headingId = `study-${study.id}`;
  return (
    <article
      aria-labelledby={headingId}
      className="grid gap-6 rounded-xl border border-zinc-200 bg-white p-6 shadow-xs md:grid-cols-[minmax(0,1fr)_16rem]"
    >
      <div className="min-w-0">
        <StudyCardTitle headingId={headingId} study={study} />
        <p className="mt-4 text-sm text-zinc-600">
          {formatCount(study.prompts)} prompts · {formatCount(study.responses)} responses · you labelled{" "}
          {formatCount(study.yourLabels)}
        </p>
        <p className="mt-3">
          <Link href={`/studies/${study.slug}/review`} className={`${primaryButton} ${smallButton}`}>
            Start reviewing
          </Link>
        </p>
      </div>
      <div className="space-y-3 self-center">
        <ProgressBar part={study.yourLabels} whole={study.responses} label="Your labels" />
        <ProgressBar part={study.completeResponses} whole={study.responses} label="Fully reviewed" />
      </div>
    </article>
  );
}

export function ReviewerStudyOverview({ study }: { study: ReviewerStudy }) {
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
        <p className="text-sm text-zinc-600">
          {study.blind
            ? "Blind review: responses are shown as A, B, C… in a shuffled order, without the model that wrote them."
            : "Responses are shown with the model that wrote them."}{" "}
          Each response needs {study.overlap === 1 ? "one reviewer" : `${formatCount(study.overlap)} reviewers`}.
        </p>
      </header>

      <section aria-labelledby="progress-heading" className="space-y-4">
        <h2 id="progress-heading" className="text-xl">
          Progress
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Stat label="Prompts" value={formatCount(study.prompts)} />
          <Stat label="Responses" value={formatCount(study.responses)} />
          <Stat
            label="Your labels"
            value={formatCount(study.yourLabels)}
            hint={`${formatShare(study.yourLabels, study.responses)} of responses`}
          />
          <Stat
            label="Fully reviewed"
            value={formatCount(study.completeResponses)}
            hint={`${formatShare(study.completeResponses, study.responses)} of responses`}
          />
        </dl>
      </section>

      <section
        aria-labelledby="queue-heading"
        className="space-y-3 rounded-xl border border-zinc-200 bg-white px-6 py-6"
      >
        <h2 id="queue-heading" className="text-lg">
          Review queue
        </h2>
        <p className="max-w-prose text-zinc-600">
          One prompt at a time with all its responses side by side, a label form under each, keyboard shortcuts for
          everything (press ? there) and drafts saved as you go.
        </p>
        <p className="flex flex-wrap gap-3">
          <Link href={`/studies/${study.slug}/review`} className={primaryButton}>
            Start reviewing
          </Link>
          <Link href={`/studies/${study.slug}/labels`} className={secondaryButton}>
            My labels
          </Link>
        </p>
      </section>
    </div>
  );
}
