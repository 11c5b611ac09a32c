// Everything the analytics page of a study shows, for one set of filters: the failure rates at each
// grouping, score distributions, significance table and reviewer agreement, fetched in parallel.
import { pool, prisma } from "../db/client";
import { describeFailureRules, failureRulesOf } from "../study/failure-rules";
import { failureRatesByStrategy, type FailureRate } from "./failure-rates";
import type { AnalyticsFilters } from "./filters";
import { scoreDistribution, type ScoreCount } from "./label-distributions";
import { reviewerAgreement, type FieldAgreement } from "./reviewer-agreement";
import { strategyDifferences, type StrategyDifference } from "./strategy-differences";

export interface AnalyticsCheckpoint {
  id: number;
  name: string;
  strategy: FailureRate["strategy"];
  trainingStep: number | null;
}

export interface StudyAnalytics {
  failureDefinitions: string[];
  overall: FailureRate[];
  byCategory: FailureRate[];
  bySplit: FailureRate[];
  byCheckpoint: FailureRate[];
  checkpoints: AnalyticsCheckpoint[];
  harmSeverity: ScoreCount[];
  differences: StrategyDifference[];
  agreement: FieldAgreement[];
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
}

/** The study of an analytics page and its prompt categories and splits; null for an unknown slug. */
export async function analyticsStudy(slug: string): Promise<AnalyticsStudy | null> {
  const db = prisma();
  const study = await db.study.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!study) return null;
  const [categories, splits] = await Promise.all([
    db.prompt.findMany({ where: { studyId: study.id, category: { not: null } }, distinct: ["category"], select: { category: true }, orderBy: { category: "asc" } }),
    db.prompt.findMany({ where: { studyId: study.id, split: { not: null } }, distinct: ["split"], select: { split: true }, orderBy: { split: "asc" } }),
  ]);
  return { ...study, categories: categories.map((p) => p.category!), splits: splits.map((p) => p.split!) };
}

export async function studyAnalytics(studyId: number, filters: AnalyticsFilters): Promise<StudyAnalytics> {
  const db = pool();
  const study = await prisma().study.findUniqueOrThrow({ where: { id: studyId }, select: { failureRules: true } });
  const rules = failureRulesOf(study.failureRules);
  const [overall, byCategory, bySplit, byCheckpoint, checkpoints, harmSeverity, agreement, reviewers] = await Promise.all([
    failureRatesByStrategy(db, studyId, rules, filters, "strategy"),
    failureRatesByStrategy(db, studyId, rules, filters, "category"),
    failureRatesByStrategy(db, studyId, rules, filters, "split"),
    failureRatesByStrategy(db, studyId, rules, filters, "checkpoint"),
    prisma().checkpoint.findMany({ where: { studyId }, select: { id: true, name: true, strategy: true, trainingStep: true }, orderBy: [{ trainingStep: "asc" }, { name: "asc" }] }),
    scoreDistribution(db, studyId, "harmSeverity", filters),
    reviewerAgreement(db, studyId, filters),
    prisma().user.findMany({ where: { labels: { some: { studyId, submittedAt: { not: null } } } }, select: { id: true, email: true }, orderBy: { email: "asc" } }),
  ]);
  return {
    failureDefinitions: describeFailureRules(rules),
    overall,
    byCategory,
    bySplit,
    byCheckpoint,
    checkpoints,
    harmSeverity,
    differences: strategyDifferences(overall),
    agreement,
    reviewers,
  };
}
