// Read models for the study pages: every count is aggregated in PostgreSQL (GROUP BY), never by
// loading rows into JavaScript. Plain typed objects out; bigint counts become numbers.
import { prisma } from "../db/client";
import type { TrainingStrategy } from "../db/generated/enums";
import { visibleStudyIds, type StudyViewer } from "./access";

export interface StrategyCounts {
  checkpoints: number;
  /** Distinct prompts answered by at least one checkpoint of this strategy. */
  prompts: number;
  responses: number;
}

export interface StudySummary {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  createdAt: Date;
  archivedAt: Date | null;
  totals: {
    checkpoints: number;
    prompts: number;
    responses: number;
    /** Submitted labels (drafts are not counted). */
    labels: number;
  };
  byStrategy: Record<TrainingStrategy, StrategyCounts>;
}

export interface CheckpointRow {
  id: number;
  name: string;
  strategy: TrainingStrategy;
  baseModel: string | null;
  trainingStep: number | null;
  computeGpuHours: number | null;
  responses: number;
  /** Responses with at least one submitted label. */
  labelledResponses: number;
}

export interface PromptGroupCount {
  /** Null when the prompts carry no category (or split). */
  value: string | null;
  prompts: number;
}

export interface StudyOverview {
  study: {
    id: number;
    slug: string;
    name: string;
    description: string | null;
    blind: boolean;
    overlap: number;
    showSignals: boolean;
    harmCategories: string[];
    createdAt: Date;
    updatedAt: Date;
  };
  totals: {
    checkpoints: number;
    prompts: number;
    responses: number;
    labelledResponses: number;
    /** Submitted labels (drafts are not counted). */
    labels: number;
    /** Reviewers with at least one submitted label. */
    reviewers: number;
  };
  byStrategy: Record<TrainingStrategy, { checkpoints: number; responses: number; labelledResponses: number }>;
  /** Sorted by strategy (SFT, RL, HYBRID, BASE), then training step (unknown first), then name. */
  checkpoints: CheckpointRow[];
  /** Most prompts first; prompts without a category last. */
  promptsByCategory: PromptGroupCount[];
  /** Most prompts first; prompts without a split last. */
  promptsBySplit: PromptGroupCount[];
}

type Count = bigint | number;
const n = (value: Count | null | undefined): number => (value == null ? 0 : Number(value));

function emptyByStrategy<T>(make: () => T): Record<TrainingStrategy, T> {
  return { SFT: make(), RL: make(), HYBRID: make(), BASE: make() };
}

/**
 * The studies the viewer may see (lib/study/access.ts), newest first, with their counts per
 * training strategy: the active ones, or with `archived` the archived ones.
 */
export async function listStudiesWithCounts(
  viewer: StudyViewer,
  { archived = false }: { archived?: boolean } = {},
): Promise<StudySummary[]> {
  const db = prisma();
  const visible = await visibleStudyIds(viewer);
  const [studies, checkpointCounts, responseCounts, promptCounts, labelCounts] = await Promise.all([
    db.study.findMany({
      where: {
        archivedAt: archived ? { not: null } : null,
        ...(visible === null ? {} : { id: { in: visible } }),
      },
      select: { id: true, slug: true, name: true, description: true, createdAt: true, archivedAt: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    }),
    db.$queryRaw<{ study_id: number; strategy: TrainingStrategy; checkpoints: Count }[]>`
      SELECT study_id, strategy::text AS strategy, count(*) AS checkpoints
      FROM checkpoint
      GROUP BY study_id, strategy`,
    db.$queryRaw<{ study_id: number; strategy: TrainingStrategy; responses: Count; prompts: Count }[]>`
      SELECT r.study_id, c.strategy::text AS strategy,
             count(*) AS responses, count(DISTINCT r.prompt_id) AS prompts
      FROM response r
      JOIN checkpoint c ON c.id = r.checkpoint_id
      GROUP BY r.study_id, c.strategy`,
    db.$queryRaw<{ study_id: number; prompts: Count }[]>`
      SELECT study_id, count(*) AS prompts FROM prompt GROUP BY study_id`,
    db.$queryRaw<{ study_id: number; labels: Count }[]>`
      SELECT study_id, count(*) AS labels FROM label WHERE submitted_at IS NOT NULL GROUP BY study_id`,
  ]);

  const byId = new Map<number, StudySummary>();
  const summaries = studies.map((study) => {
    const summary: StudySummary = {
      ...study,
      totals: { checkpoints: 0, prompts: 0, responses: 0, labels: 0 },
      byStrategy: emptyByStrategy(() => ({ checkpoints: 0, prompts: 0, responses: 0 })),
    };
    byId.set(study.id, summary);
    return summary;
  });
  for (const row of checkpointCounts) {
    const summary = byId.get(row.study_id);
    if (!summary) continue; // created between the queries
    summary.byStrategy[row.strategy].checkpoints = n(row.checkpoints);
    summary.totals.checkpoints += n(row.checkpoints);
  }
  for (const row of responseCounts) {
    const summary = byId.get(row.study_id);
    if (!summary) continue;
    summary.byStrategy[row.strategy].responses = n(row.responses);
    summary.byStrategy[row.strategy].prompts = n(row.prompts);
    summary.totals.responses += n(row.responses);
  }
  for (const row of promptCounts) {
    const summary = byId.get(row.study_id);
    if (summary) summary.totals.prompts = n(row.prompts);
  }
  for (const row of labelCounts) {
    const summary = byId.get(row.study_id);
    if (summary) summary.totals.labels = n(row.labels);
  }
  return summaries;
}

/** One study with its settings, totals, checkpoints and prompt breakdowns; null for an unknown slug. */
export async function studyOverview(slug: string): Promise<StudyOverview | null> {
  const db = prisma();
  const study = await db.study.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      blind: true,
      overlap: true,
      showSignals: true,
      harmCategories: true,
      createdAt: true,
      updatedAt: true,
    },
  });
  if (!study) return null;
  const studyId = study.id;

  const [checkpointRows, categoryRows, splitRows, labelRows] = await Promise.all([
    db.$queryRaw<
      {
        id: number;
        name: string;
        strategy: TrainingStrategy;
        base_model: string | null;
        training_step: number | null;
        compute_gpu_hours: number | null;
        responses: Count | null;
        labelled_responses: Count | null;
      }[]
    >`
      SELECT c.id, c.name, c.strategy::text AS strategy, c.base_model, c.training_step, c.compute_gpu_hours,
             rc.responses, rc.labelled_responses
      FROM checkpoint c
      LEFT JOIN (
        SELECT r.checkpoint_id, count(*) AS responses, count(labelled.response_id) AS labelled_responses
        FROM response r
        LEFT JOIN (
          SELECT DISTINCT response_id FROM label WHERE study_id = ${studyId} AND submitted_at IS NOT NULL
        ) labelled ON labelled.response_id = r.id
        WHERE r.study_id = ${studyId}
        GROUP BY r.checkpoint_id
      ) rc ON rc.checkpoint_id = c.id
      WHERE c.study_id = ${studyId}
      ORDER BY c.strategy, c.training_step ASC NULLS FIRST, c.name`,
    db.$queryRaw<{ value: string | null; prompts: Count }[]>`
      SELECT category AS value, count(*) AS prompts
      FROM prompt WHERE study_id = ${studyId}
      GROUP BY category
      ORDER BY category IS NULL, count(*) DESC, category`,
    db.$queryRaw<{ value: string | null; prompts: Count }[]>`
      SELECT split AS value, count(*) AS prompts
      FROM prompt WHERE study_id = ${studyId}
      GROUP BY split
      ORDER BY split IS NULL, count(*) DESC, split`,
    db.$queryRaw<{ labels: Count; reviewers: Count }[]>`
      SELECT count(*) AS labels, count(DISTINCT reviewer_id) AS reviewers
      FROM label WHERE study_id = ${studyId} AND submitted_at IS NOT NULL`,
  ]);

  const checkpoints: CheckpointRow[] = checkpointRows.map((row) => ({
    id: row.id,
    name: row.name,
    strategy: row.strategy,
    baseModel: row.base_model,
    trainingStep: row.training_step,
    computeGpuHours: row.compute_gpu_hours,
    responses: n(row.responses),
    labelledResponses: n(row.labelled_responses),
  }));

  // Summing per-checkpoint aggregates (a few dozen rows), not counting rows.
  const byStrategy = emptyByStrategy(() => ({ checkpoints: 0, responses: 0, labelledResponses: 0 }));
  for (const checkpoint of checkpoints) {
    const entry = byStrategy[checkpoint.strategy];
    entry.checkpoints += 1;
    entry.responses += checkpoint.responses;
    entry.labelledResponses += checkpoint.labelledResponses;
  }
  const promptsByCategory = categoryRows.map((row) => ({ value: row.value, prompts: n(row.prompts) }));
  const promptsBySplit = splitRows.map((row) => ({ value: row.value, prompts: n(row.prompts) }));

  return {
    study,
    totals: {
      checkpoints: checkpoints.length,
      prompts: promptsByCategory.reduce((sum, group) => sum + group.prompts, 0),
      responses: checkpoints.reduce((sum, c) => sum + c.responses, 0),
      labelledResponses: checkpoints.reduce((sum, c) => sum + c.labelledResponses, 0),
      labels: n(labelRows[0]?.labels),
      reviewers: n(labelRows[0]?.reviewers),
    },
    byStrategy,
    checkpoints,
    promptsByCategory,
    promptsBySplit,
  };
}

/** Every active study's slug and name, by name (the invite form's list of studies; admins only). */
export async function studyChoices(): Promise<{ slug: string; name: string }[]> {
  return prisma().study.findMany({
    where: { archivedAt: null },
    select: { slug: true, name: true },
    orderBy: [{ name: "asc" }, { slug: "asc" }],
  });
}
