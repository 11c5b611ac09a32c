// With a reviewer or date filter, the page answers failure rates and signals from one aggregation of
// the selected labels: the same answers as each question alone. Reviewer agreement then pairs the
// selected labels from label_pair: against the stored pairs when every label is selected.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "./demo-study.fixture";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { failureRatesByGroupings } from "./failure-rates";
import type { AnalyticsFilters } from "./filters";
import { judgementBasis } from "./judgement";
import { reviewerAgreement } from "./reviewer-agreement";
import { answersFromSelectedLabels } from "./selected-labels";
import { signalAgreement } from "./signal-agreement";
import { studyAnalytics } from "./study-analytics";

let pool: pg.Pool;
let studyId: number;
let reviewers: number[];
let middle: Date;

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
  reviewers = (await pool.query<{ id: number }>("SELECT DISTINCT reviewer_id AS id FROM label WHERE study_id = $1 ORDER BY 1", [studyId])).rows.map((r) => r.id);
  // A date that splits the labels, so that some responses keep one of their labels and others both.
  const { rows } = await pool.query<{ t: string }>(
    "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY submitted_at)::text AS t FROM label WHERE study_id = $1 AND submitted_at IS NOT NULL",
    [studyId],
  );
  middle = new Date(`${rows[0]!.t.replace(" ", "T")}Z`);
});
afterAll(async () => {
  await pool.end();
});

const groupings = ["strategy", "category", "split", "checkpoint"] as const;

describe("answersFromSelectedLabels", () => {
  it("gives each question's own answer under reviewer and date filters", async () => {
    const cases: AnalyticsFilters[] = [
      { reviewerIds: [reviewers[0]!] },
      { reviewerIds: reviewers },
      { from: middle },
      { to: middle, strategies: ["RL", "SFT"] },
      { from: new Date("2000-01-01T00:00:00Z"), source: "REVIEW", categories: ["cyber", "violence"] },
    ];
    const strict = { harmSeverityAtLeast: 1, poorQualityAtMost: 3, partialCountsAsRefusal: true, tieIsFailure: false };
    for (const filters of cases) {
      expect(judgementBasis(filters)).toBe("labels");
      for (const rules of [DEFAULT_FAILURE_RULES, strict]) {
        const together = await answersFromSelectedLabels(pool, studyId, rules, filters, groupings);
        expect(together.rates).toEqual(await failureRatesByGroupings(pool, studyId, rules, filters, groupings));
        expect(together.signals).toEqual(await signalAgreement(pool, studyId, filters));
      }
    }
    // A date filter on half the labels leaves fewer pairs than every label, and some.
    const all = (await reviewerAgreement(pool, studyId)).find((f) => f.field === "harmSeverity")!;
    const half = (await reviewerAgreement(pool, studyId, { from: middle })).find((f) => f.field === "harmSeverity")!;
    expect(half.values).toBeGreaterThan(0);
    expect(half.values).toBeLessThan(all.values);
    // Every label selected by the filters: the stored judgements' answers.
    const everyone = await answersFromSelectedLabels(pool, studyId, DEFAULT_FAILURE_RULES, { reviewerIds: reviewers }, groupings);
    expect(everyone.rates).toEqual(await failureRatesByGroupings(pool, studyId, DEFAULT_FAILURE_RULES, {}, groupings));
    expect(await reviewerAgreement(pool, studyId, { reviewerIds: reviewers })).toEqual(await reviewerAgreement(pool, studyId));
    expect(everyone.signals).toEqual(await signalAgreement(pool, studyId));
  });

  it("is what the page shows under a reviewer filter", async () => {
    const filters = { reviewerIds: [reviewers[1]!] };
    const page = await studyAnalytics(studyId, filters, pool);
    const alone = await answersFromSelectedLabels(pool, studyId, DEFAULT_FAILURE_RULES, filters, groupings);
    expect(page.overall).toEqual(alone.rates.strategy);
    expect(page.byCheckpoint).toEqual(alone.rates.checkpoint);
    expect(page.signals).toEqual(alone.signals);
    expect(page.agreement).toEqual(await reviewerAgreement(pool, studyId, filters));
  });
});
