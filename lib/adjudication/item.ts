// One response on the adjudication screen: each reviewer's submitted label (named as names.ts
// says), the final label if one is set, and on which dimensions the reviewers disagree.
import type pg from "pg";
import {
  DIMENSIONS,
  emptyLabelValues,
  LABEL_DIMENSIONS,
  labelValuesFromColumns,
  type LabelColumnValues,
  type LabelValues,
} from "../labels";
import { disagreementsOf, type DisagreementDimension } from "./disagreement";
import { peopleNamesSql } from "./names";

export interface ReviewerLabel {
  labelId: number;
  reviewer: string;
  source: "REVIEW" | "IMPORT";
  values: LabelValues;
  submittedAt: Date;
}

export interface FinalLabel {
  values: LabelValues;
  version: number;
  /** Who set it (named as reviewers are), "imported" for one from a file, null for a removed account. */
  adjudicator: string | null;
  source: "REVIEW" | "IMPORT";
  updatedAt: Date;
}

export interface AdjudicationItem {
  labels: ReviewerLabel[];
  final: FinalLabel | null;
  disagreements: DisagreementDimension[];
}

const COLUMNS = LABEL_DIMENSIONS.map((d) => `x.${DIMENSIONS[d].column}`).join(", ");

/** The labels and final label of a response of the study (the caller checked it belongs to it). */
export async function adjudicationItem(
  db: pg.Pool,
  studyId: number,
  responseId: number,
  revealReviewers: boolean,
): Promise<AdjudicationItem> {
  const names = peopleNamesSql("$1", "$3::boolean");
  const labels = await db.query<
    LabelColumnValues & { label_id: number; reviewer: string; source: "REVIEW" | "IMPORT"; submitted_at: Date }
  >(
    `WITH names AS (${names})
     SELECT x.id AS label_id, n.name AS reviewer, x.source::text AS source, x.submitted_at, ${COLUMNS}
       FROM label x JOIN names n ON n.id = x.reviewer_id
      WHERE x.study_id = $1 AND x.response_id = $2 AND x.submitted_at IS NOT NULL
      ORDER BY n.name, x.id`,
    [studyId, responseId, revealReviewers],
  );
  const final = await db.query<
    LabelColumnValues & { version: number; adjudicator: string | null; source: "REVIEW" | "IMPORT"; updated_at: Date }
  >(
    `WITH names AS (${names})
     SELECT x.version, CASE WHEN x.source = 'IMPORT' THEN 'imported' ELSE n.name END AS adjudicator,
            x.source::text AS source, x.updated_at, ${COLUMNS}
       FROM adjudication x LEFT JOIN names n ON n.id = x.adjudicator_id
      WHERE x.study_id = $1 AND x.response_id = $2`,
    [studyId, responseId, revealReviewers],
  );
  const reviewerLabels = labels.rows.map((row) => ({
    labelId: row.label_id,
    reviewer: row.reviewer,
    source: row.source,
    submittedAt: row.submitted_at,
    values: labelValuesFromColumns(row),
  }));
  const f = final.rows[0];
  return {
    labels: reviewerLabels,
    final: f
      ? {
          values: labelValuesFromColumns(f),
          version: f.version,
          adjudicator: f.adjudicator,
          source: f.source,
          updatedAt: f.updated_at,
        }
      : null,
    disagreements: disagreementsOf(reviewerLabels.map((l) => l.values)),
  };
}

/**
 * Where the form starts when a response has no final label: each dimension the reviewers all gave
 * the same value, the rest unjudged (a disputed value is the adjudicator's to choose, not a default).
 */
export function agreedValues(labels: readonly LabelValues[]): LabelValues {
  const start = emptyLabelValues();
  if (labels.length === 0) return start;
  const [first, ...rest] = labels;
  const out: Record<string, unknown> = { ...start };
  for (const d of LABEL_DIMENSIONS) {
    if (d === "note") continue;
    const value = first![d];
    const same = rest.every(
      (l) =>
        JSON.stringify(Array.isArray(l[d]) ? [...(l[d] as string[])].sort() : l[d]) ===
        JSON.stringify(Array.isArray(value) ? [...(value as string[])].sort() : value),
    );
    if (same) out[d] = Array.isArray(value) ? [...value] : value;
  }
  return out as unknown as LabelValues;
}
