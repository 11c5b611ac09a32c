// Everything the analytics page of a study shows, for one set of filters: the failure rates at each
// grouping (one pass), score distributions (one pass), significance table, agreement between
// reviewers and between imported and reviewed-here labels, and the automatic signals against the
// labels. The questions run in parallel, each on its own pool connection; failure rates, signals and
// the paired comparisons share one reading of the judgements (judged-answers.ts).
import type pg from "pg";
import { pool, prisma } from "../db/client";
import { describeFailureRules, failureRulesOf, type FailureRules } from "../study/failure-rules";
import type { FailureRate } from "./failure-rates";
import type { AnalyticsFilters } from "./filters";
import { judgeAgreement, type JudgeAgreement } from "./judge-agreement";
import { judgementBasis, reportedBasis } from "./judgement";
import { scoreDistributions, type ScoreCount } from "./label-distributions";
import { reviewerAgreement, type FieldAgreement } from "./reviewer-agreement";
import { judgedAnswers } from "./judged-answers";
import type { FilteredSignalEvaluation } from "./signal-agreement";
import { sourceAgreement, type SourceAgreement } from "./source-agreement";
import {
  withClusteredIntervals,
  type CheckpointComparison,
  type CheckpointFailureRate,
  type PoolingWarning,
  type StrategyComparison,
} from "./paired-comparisons";

export interface AnalyticsCheckpoint {
  id: number;
  name: string;
  strategy: FailureRate["strategy"];
  trainingStep: number | null;
  computeGpuHours: number | null;
}

/** Which judgement each response counted with, for the page to say. */
export interface AnalyticsBasis {
  /** "judge:<name>": one judge's labels (its current rubric version) instead of human ones. */
  used: "adjudicated" | "reviewers" | `judge:${string}`;
  /** Responses of the study with an adjudicated label. */
  adjudicatedResponses: number;
  /** One sentence for the page and the API: what was read, and why when a filter decided it. */
  description: string;
}

export interface StudyAnalytics {
  failureDefinitions: string[];
  basis: AnalyticsBasis;
  /** Per strategy; intervals clustered by prompt (the strategy pools checkpoints answering the same prompts). */
  overall: FailureRate[];
  byCategory: FailureRate[];
  bySplit: FailureRate[];
  byCheckpoint: FailureRate[];
  checkpoints: AnalyticsCheckpoint[];
  harmSeverity: ScoreCount[];
  reasoningQuality: ScoreCount[];
  /** Strategy against strategy, cluster-robust by prompt, Holm-adjusted. */
  differences: StrategyComparison[];
  /** Every failure per checkpoint with its interval, for any study (with or without training steps). */
  checkpointRates: CheckpointFailureRate[];
  /** Checkpoint against checkpoint on the prompts both answered (exact McNemar), Holm-adjusted. */
  checkpointComparisons: CheckpointComparison[];
  /** Strategies whose checkpoints differ significantly from each other. */
  poolingWarnings: PoolingWarning[];
  agreement: FieldAgreement[];
  /** Imported labels against labels given here, on the same responses. */
  sourceAgreement: SourceAgreement[];
  /** Automatic signals against the majority of the (selected) human labels. */
  signals: FilteredSignalEvaluation;
  /** A row per judge of the study: its labels against the human judgement (judge-agreement.ts). */
  judges: JudgeAgreement[];
  /** Everyone who labelled in the study, for the reviewer filter and the kappa table. */
  reviewers: { id: number; email: string }[];
}

export interface AnalyticsStudy {
  id: number;
  slug: string;
  name: string;
  /** Values the filter form offers. */
  categories: string[];
  splits: string[];
  checkpoints: { id: number; name: string }[];
}

/** The study of an analytics page and its prompt categories and splits; null for an unknown slug. */
export async function analyticsStudy(slug: string): Promise<AnalyticsStudy | null> {
  const db = prisma();
  const study = await db.study.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!study) return null;
  const [categories, splits, checkpoints] = await Promise.all([
    db.prompt.findMany({
      where: { studyId: study.id, category: { not: null } },
      distinct: ["category"],
      select: { category: true },
      orderBy: { category: "asc" },
    }),
    db.prompt.findMany({
      where: { studyId: study.id, split: { not: null } },
      distinct: ["split"],
      select: { split: true },
      orderBy: { split: "asc" },
    }),
    db.checkpoint.findMany({
      where: { studyId: study.id },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
  ]);
  return { ...study, categories: categories.map((p) => p.category!), splits: splits.map((p) => p.split!), checkpoints };
}

/**
 * Runs one question on a connection of its own, in a read-only transaction with room to hash a
 * study's judgements in memory (the pool's connections already have JIT off) and without parallel
 * workers: the page already runs its questions side by side, and workers launched by one of them
 * only took cores from the others (a date-filtered page measured 100 ms slower with them).
 */
export async function onConnection<T>(db: pg.Pool, question: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("BEGIN READ ONLY; SET LOCAL work_mem = '32MB'; SET LOCAL max_parallel_workers_per_gather = 0");
    const result = await question(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export async function studyAnalytics(
  studyId: number,
  filters: AnalyticsFilters,
  db: pg.Pool = pool(),
): Promise<StudyAnalytics> {
  const { rules, adjudicated } = await studyRules(db, studyId);
  const groupings = ["strategy", "category", "split", "checkpoint"] as const;
  // A row per judge of the study for the signals table (judges against the human labels).
  const judges = onConnection(db, (c) => judgeAgreement(c, studyId, rules, filters));
  judges.catch(() => {}); // awaited below; a failure of another question must not leave it unhandled
  const [answers, checkpoints, scores, agreement, fromSources, reviewers] = await Promise.all([
    onConnection(db, (c) => judgedAnswers(c, studyId, rules, filters, groupings)),
    db
      .query<AnalyticsCheckpoint>(
        `SELECT id, name, strategy, training_step AS "trainingStep", compute_gpu_hours AS "computeGpuHours"
         FROM checkpoint WHERE study_id = $1 ORDER BY training_step ASC NULLS LAST, name ASC`,
        [studyId],
      )
      .then((r) => r.rows),
    onConnection(db, (c) => scoreDistributions(c, studyId, filters)),
    onConnection(db, (c) => reviewerAgreement(c, studyId, filters)),
    onConnection(db, (c) => sourceAgreement(c, studyId, filters)),
    db
      .query<{ id: number; email: string }>(
        `SELECT u.id, u.email FROM "user" u
         WHERE EXISTS (SELECT 1 FROM label l WHERE l.study_id = $1 AND l.reviewer_id = u.id AND l.submitted_at IS NOT NULL)
         ORDER BY u.email`,
        [studyId],
      )
      .then((r) => r.rows),
  ]);
  const { rates, signals, paired } = answers;
  return {
    failureDefinitions: describeFailureRules(rules),
    basis: describeBasis(filters, adjudicated),
    overall: withClusteredIntervals(rates.strategy, paired.byStrategy),
    byCategory: rates.category,
    bySplit: rates.split,
    byCheckpoint: rates.checkpoint,
    checkpoints,
    harmSeverity: scores.harmSeverity,
    reasoningQuality: scores.reasoningQuality,
    differences: paired.strategyComparisons,
    checkpointRates: paired.byCheckpoint,
    checkpointComparisons: paired.checkpointComparisons,
    poolingWarnings: paired.poolingWarnings,
    agreement,
    sourceAgreement: fromSources,
    signals,
    judges: await judges,
    reviewers,
  };
}

async function studyRules(db: pg.Pool, studyId: number): Promise<{ rules: FailureRules; adjudicated: number }> {
  const { rows } = await db.query<{ failure_rules: unknown; adjudicated: number }>(
    "SELECT failure_rules, (SELECT count(*)::int FROM adjudication WHERE study_id = $1) AS adjudicated FROM study WHERE id = $1",
    [studyId],
  );
  if (rows.length === 0) throw new Error(`No study with id ${studyId}.`);
  return { rules: failureRulesOf(rows[0]!.failure_rules), adjudicated: rows[0]!.adjudicated };
}

/** The basis the filters give, said in a sentence (pure). */
export function describeBasis(filters: AnalyticsFilters, adjudicatedResponses: number): AnalyticsBasis {
  const used = reportedBasis(filters);
  const labelFilter = judgementBasis(filters) === "labels" || judgementBasis(filters) === "source";
  const description = used.startsWith("judge:")
    ? `Judge "${used.slice("judge:".length)}"'s labels (its current rubric version), not the reviewers': reviewer, source and date filters do not apply. Agreement is between reviewers' own labels.`
    : used === "adjudicated"
      ? adjudicatedResponses === 0
        ? "Reviewers' labels: no response has an adjudicated label yet."
        : `Adjudicated labels where set (${adjudicatedResponses.toLocaleString("en-US")} ${adjudicatedResponses === 1 ? "response" : "responses"}), the reviewers' aggregate otherwise. Agreement is between reviewers' own labels.`
      : labelFilter && filters.basis !== "reviewers"
        ? "Reviewers' labels: a reviewer, source or date filter selects reviewers' labels, so adjudicated ones are not read."
        : "Reviewers' labels only, adjudicated labels left out (basis: reviewers).";
  return { used, adjudicatedResponses, description };
}
