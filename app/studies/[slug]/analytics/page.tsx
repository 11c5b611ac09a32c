import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache, Suspense } from "react";
import { AgreementTables, SignificanceTable } from "@/components/analytics/analytics-tables";
import { ChartDownloads } from "@/components/analytics/chart-downloads";
import { FAILURE_KIND_INFO } from "@/components/analytics/chart-data";
import {
  CheckpointComparisonTable,
  CheckpointRateTable,
  PoolingWarnings,
} from "@/components/analytics/checkpoint-tables";
import { CheckpointTrendChart } from "@/components/analytics/checkpoint-trend-chart";
import { ComputeChart } from "@/components/analytics/compute-chart";
import { SignalAgreementTable, SourceAgreementTable } from "@/components/analytics/evaluation-tables";
import { FailureRatePanel } from "@/components/analytics/failure-rate-panel";
import { FilterForm } from "@/components/analytics/filter-form";
import { ExportForm } from "@/components/export/export-form";
import { GroupedRateChart } from "@/components/analytics/grouped-rate-chart";
import { QualityChart } from "@/components/analytics/quality-chart";
import { SeverityChart } from "@/components/analytics/severity-chart";
import {
  checkpointFailureTable,
  checkpointRateTable,
  groupedRateTable,
  scoreTable,
  strategyRateTable,
} from "@/lib/analytics/chart-rows";
import { CORE_FAILURES, REFUSAL_MEASURES, type FailureKind } from "@/lib/analytics/failure-kinds";
import type { FailureRate } from "@/lib/analytics/failure-rates";
import { analyticsStudy, studyAnalytics } from "@/lib/analytics/study-analytics";
import { studyJudges } from "@/lib/judges/judges";
import { parseUrlFilters, type SearchParams } from "@/lib/analytics/url-filters";
import { adjudicationCounts } from "@/lib/adjudication/list";
import { requireStudyAccess } from "@/lib/auth/guard";
import { pool } from "@/lib/db/client";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

// One access check per request, shared by generateMetadata and the page.
const loadStudy = cache(async (slug: string) => {
  await connection();
  const { user } = await requireStudyAccess("/studies/[slug]/analytics", slug);
  const study = await analyticsStudy(slug);
  return study ? { ...study, user } : null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const study = await loadStudy((await params).slug);
  return { title: study ? `Analytics · ${study.name}` : "Study not found" };
}

/** "N disagreements to adjudicate", streamed in after the charts: counting them reads every label. */
async function DisagreementsLink({ studyId, slug }: { studyId: number; slug: string }) {
  const { open } = await adjudicationCounts(pool(), studyId, { status: "all" });
  return (
    <Link href={`/studies/${slug}/adjudicate`}>
      {open.toLocaleString("en-US")} disagreement{open === 1 ? "" : "s"} to adjudicate
    </Link>
  );
}

function Section({
  id,
  title,
  children,
  note,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
  note?: string;
}) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-xl">
        {title}
      </h2>
      {note ? <p className="text-sm text-zinc-600">{note}</p> : null}
      {children}
    </section>
  );
}

/** One chart per rate, each with its CSV and PNG downloads. */
function StrategyRatePanels({
  slug,
  kinds,
  rates,
  columns,
}: {
  slug: string;
  kinds: readonly FailureKind[];
  rates: FailureRate[];
  columns: string;
}) {
  return (
    <div className={`grid gap-4 ${columns}`}>
      {kinds.map((kind) => (
        <ChartDownloads
          key={kind}
          name={`${slug}-${kind}-by-strategy`}
          title={FAILURE_KIND_INFO[kind].title}
          {...strategyRateTable(rates, kind)}
        >
          <FailureRatePanel kind={kind} rates={rates} />
        </ChartDownloads>
      ))}
    </div>
  );
}

export default async function StudyAnalyticsPage({ params, searchParams }: Props) {
  const study = await loadStudy((await params).slug);
  if (!study) notFound();
  const parsed = parseUrlFilters(await searchParams);
  const base = `/studies/${study.slug}/analytics`;
  const [data, judges] = await Promise.all([
    parsed.ok ? studyAnalytics(study.id, parsed.filters) : null,
    studyJudges(pool(), study.slug),
  ]);

  return (
    <div className="space-y-10">
      <header className="space-y-4">
        <Breadcrumb
          trail={[
            { label: "Studies", href: "/" },
            { label: study.slug, href: `/studies/${study.slug}`, mono: true },
            { label: "Analytics" },
          ]}
        />
        <h1 className="text-3xl wrap-anywhere">Analytics: {study.name}</h1>
        <FilterForm
          action={base}
          values={parsed.values}
          categories={study.categories}
          splits={study.splits}
          checkpoints={study.checkpoints}
          reviewers={data?.reviewers ?? []}
          judges={judges.map((j) => j.name)}
        />
        {parsed.ok ? (
          <ExportForm
            slug={study.slug}
            // The export reads human labels: a judge basis is for the page only.
            filters={{ ...parsed.values, basis: parsed.values.basis.filter((b) => !/^judge:/i.test(b)) }}
            mayReveal={study.user.role === "ADMIN"}
          />
        ) : null}
      </header>

      {!parsed.ok || !data ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          <p className="font-medium">These filters cannot be applied:</p>
          <ul className="mt-1 list-disc pl-5">
            {(parsed.ok ? [] : parsed.errors).map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
          <p className="mt-2">
            <Link href={base}>Show the study without filters</Link>
          </p>
        </div>
      ) : (
        <>
          <aside
            aria-labelledby="definitions-heading"
            className="rounded-lg border border-zinc-200 bg-zinc-50 p-4 text-sm"
          >
            <h2 id="definitions-heading" className="text-sm font-semibold">
              Failure definitions in use
            </h2>
            <ul className="mt-1 list-disc pl-5 text-zinc-700">
              {data.failureDefinitions.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <p className="mt-1 text-zinc-700" data-testid="analytics-basis">
              <span className="font-medium">Basis:</span> {data.basis.description}{" "}
              <Suspense fallback={<Link href={`/studies/${study.slug}/adjudicate`}>Disagreements to adjudicate</Link>}>
                <DisagreementsLink studyId={study.id} slug={study.slug} />
              </Suspense>
              .
            </p>
            <p className="mt-1 text-zinc-500">
              Bars show the share of judged responses; n the responses judged. Whiskers are 95% intervals: per strategy
              clustered by prompt (every checkpoint answers the same prompts, so a strategy&apos;s responses are not
              independent), elsewhere Wilson intervals.
            </p>
          </aside>

          <PoolingWarnings warnings={data.poolingWarnings} checkpoints={data.checkpoints} />

          <Section id="rates-heading" title="Failure rate per training strategy">
            <StrategyRatePanels slug={study.slug} kinds={CORE_FAILURES} rates={data.overall} columns="md:grid-cols-2" />
          </Section>

          <Section
            id="refusal-heading"
            title="Refusal per training strategy"
            note="Refusal as a measure of its own, on every prompt the filters keep (filter by split or category for the safe or the unsafe prompts), beside compliance with prompts that should be refused. Intervals clustered by prompt."
          >
            <StrategyRatePanels
              slug={study.slug}
              kinds={REFUSAL_MEASURES}
              rates={data.overall}
              columns="md:grid-cols-3"
            />
          </Section>

          <Section
            id="significance-heading"
            title="Differences between strategies"
            note="Cluster-robust z-test: the difference of the two rates with its standard error clustered by prompt (CR1 sandwich, as statsmodels' OLS with cov_type=cluster), because a strategy pools checkpoints that answered the same prompts. p-values Holm-adjusted over the whole table (significant: adjusted p < 0.05)."
          >
            <SignificanceTable differences={data.differences} />
          </Section>

          <Section
            id="per-checkpoint-heading"
            title="Failure rate per checkpoint"
            note="Each checkpoint's rate with its 95% interval (clustered by prompt when a checkpoint has several samples per prompt) and failures / judged responses."
          >
            <ChartDownloads
              name={`${study.slug}-per-checkpoint`}
              title="Failure rate per checkpoint"
              image={false}
              {...checkpointFailureTable(data.checkpointRates, data.checkpoints)}
            >
              <CheckpointRateTable rates={data.checkpointRates} checkpoints={data.checkpoints} />
            </ChartDownloads>
          </Section>

          <Section
            id="checkpoint-comparison-heading"
            title="Differences between checkpoints"
            note="Exact McNemar test on the prompts both checkpoints answered: only the prompts where exactly one of them failed count (a prompt with several samples fails when most of them did). p-values Holm-adjusted over the whole table."
          >
            <CheckpointComparisonTable comparisons={data.checkpointComparisons} checkpoints={data.checkpoints} />
          </Section>

          <div className="grid gap-6 lg:grid-cols-2">
            <Section id="category-heading" title="By prompt category">
              <ChartDownloads
                name={`${study.slug}-by-category`}
                title="By prompt category"
                {...groupedRateTable(data.byCategory, "category")}
              >
                <GroupedRateChart rates={data.byCategory} name="category-kind" />
              </ChartDownloads>
            </Section>
            <Section id="split-heading" title="By split">
              <ChartDownloads
                name={`${study.slug}-by-split`}
                title="By split"
                {...groupedRateTable(data.bySplit, "split")}
              >
                <GroupedRateChart rates={data.bySplit} name="split-kind" />
              </ChartDownloads>
            </Section>
          </div>

          <div className="grid gap-6 lg:grid-cols-2">
            <Section
              id="checkpoint-heading"
              title="By checkpoint over training"
              note="Checkpoints without a training step are left out."
            >
              <ChartDownloads
                name={`${study.slug}-by-checkpoint`}
                title="By checkpoint over training"
                {...checkpointRateTable(data.byCheckpoint, data.checkpoints, "training_step")}
              >
                <CheckpointTrendChart rates={data.byCheckpoint} checkpoints={data.checkpoints} />
              </ChartDownloads>
            </Section>
            <Section
              id="severity-heading"
              title="Harm severity per strategy"
              note="Every reviewer's label counts (not the per-response median)."
            >
              <ChartDownloads
                name={`${study.slug}-harm-severity`}
                title="Harm severity per strategy"
                {...scoreTable(data.harmSeverity, "harm_severity")}
              >
                <SeverityChart counts={data.harmSeverity} />
              </ChartDownloads>
            </Section>
          </div>

          <div className="grid gap-6 lg:grid-cols-2">
            <Section
              id="compute-heading"
              title="By training compute"
              note="A point per checkpoint; checkpoints without compute (GPU hours) are left out."
            >
              <ChartDownloads
                name={`${study.slug}-by-compute`}
                title="By training compute"
                {...checkpointRateTable(data.byCheckpoint, data.checkpoints, "compute_gpu_hours")}
              >
                <ComputeChart rates={data.byCheckpoint} checkpoints={data.checkpoints} />
              </ChartDownloads>
            </Section>
            <Section
              id="quality-heading"
              title="Reasoning quality per strategy"
              note="Every reviewer's label counts (not the per-response median)."
            >
              <ChartDownloads
                name={`${study.slug}-reasoning-quality`}
                title="Reasoning quality per strategy"
                {...scoreTable(data.reasoningQuality, "reasoning_quality")}
              >
                <QualityChart counts={data.reasoningQuality} />
              </ChartDownloads>
            </Section>
          </div>

          <Section
            id="signals-heading"
            title="Automatic signals against human labels"
            note="Each signal, and each judge of the study, against the majority of the reviewers' labels of the same responses (the filters above apply). A response on which the reviewers split evenly is left out and counted as a tie."
          >
            <SignalAgreementTable
              rows={data.signals.rows}
              labelledResponses={data.signals.labelledResponses}
              judges={data.judges}
            />
          </Section>

          <Section
            id="agreement-heading"
            title="Reviewer agreement"
            note="Always between the reviewers' own labels. Brackets: 95% percentile bootstrap intervals (1,000 Poisson redraws of the counted pairs of values)."
          >
            <AgreementTables agreement={data.agreement} reviewers={data.reviewers} checkpoints={data.checkpoints} />
          </Section>

          <Section
            id="source-agreement-heading"
            title="Imported labels against labels given here"
            note="Each pair of an imported label and a label given here on the same response is one comparison; every filter but “Labels” applies."
          >
            <SourceAgreementTable agreement={data.sourceAgreement} />
          </Section>
        </>
      )}
    </div>
  );
}
