// The top of a study page: settings and totals.
import { Stat } from "@/components/ui/stat";
import { formatCount, formatShare, plural } from "@/components/ui/format";
import type { StudyOverview } from "@/lib/study/queries";

export function StudySettings({ study }: { study: StudyOverview["study"] }) {
  const settings = [
    {
      term: "Blind review",
      value: study.blind
        ? "On — reviewers do not see checkpoints or strategies"
        : "Off — reviewers see checkpoints and strategies",
    },
    { term: "Reviewers per prompt", value: formatCount(study.overlap) },
    { term: "Automatic signals", value: study.showSignals ? "Shown to reviewers" : "Hidden from reviewers" },
  ];
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading" className="sr-only">
        Settings
      </h2>
      <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
        {settings.map(({ term, value }) => (
          <div key={term} className="flex gap-2">
            <dt className="text-zinc-500">{term}:</dt>
            <dd className="font-medium text-zinc-800">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function StudyTotals({ totals }: { totals: StudyOverview["totals"] }) {
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="sr-only">
        Totals
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        <Stat label="Checkpoints" value={formatCount(totals.checkpoints)} />
        <Stat label="Prompts" value={formatCount(totals.prompts)} />
        <Stat label="Responses" value={formatCount(totals.responses)} />
        <Stat
          label="Labelled responses"
          value={formatCount(totals.labelledResponses)}
          hint={`${formatShare(totals.labelledResponses, totals.responses)} of responses`}
        />
        <Stat label="Labels" value={formatCount(totals.labels)} hint={`from ${plural(totals.reviewers, "reviewer")}`} />
      </dl>
    </section>
  );
}
