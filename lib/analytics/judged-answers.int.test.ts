// The page answers failure rates, signals and the paired comparisons from one reading of the
// judgements (stored ones, or the selected labels aggregated under a reviewer or date filter): the
// same answers as each question's own statement. Reviewer agreement pairs the selected labels from
// label_pair: against the stored pairs when every label is selected.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "./demo-study.fixture";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { failureRatesByGroupings } from "./failure-rates";
import type { AnalyticsFilters } from "./filters";
import { judgedResponsesSql, judgementBasis, storedForDates, type StoredForDates } from "./judgement";
import { analyticsParams } from "./filters";
import { param, sql } from "../db/sql";
import { agreementFromRows, agreementSql, reviewerAgreement, type AgreementRow } from "./reviewer-agreement";
import { pairedAnalytics, withClusteredIntervals } from "./paired-comparisons";
import { judgedAnswers } from "./judged-answers";
import { signalAgreement } from "./signal-agreement";
import { studyAnalytics } from "./study-analytics";

let pool: pg.Pool;
let studyId: number;
let reviewers: number[];
let middle: Date;

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
  reviewers = (
    await pool.query<{ id: number }>("SELECT DISTINCT reviewer_id AS id FROM label WHERE study_id = $1 ORDER BY 1", [
      studyId,
    ])
  ).rows.map((r) => r.id);
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

describe("judgedAnswers", () => {
  it("gives each question's own answer with and without label filters", async () => {
    const cases: AnalyticsFilters[] = [
      {},
      { basis: "reviewers" },
      { source: "REVIEW" },
      { strategies: ["RL"], splits: ["jailbreak"] },
      { reviewerIds: [reviewers[0]!] },
      { reviewerIds: reviewers },
      { from: middle },
      { to: middle, strategies: ["RL", "SFT"] },
      { from: new Date("2000-01-01T00:00:00Z"), source: "REVIEW", categories: ["cyber", "violence"] },
    ];
    const strict = { harmSeverityAtLeast: 1, poorQualityAtMost: 3, partialCountsAsRefusal: true, tieIsFailure: false };
    for (const filters of cases) {
      for (const rules of [DEFAULT_FAILURE_RULES, strict]) {
        const together = await judgedAnswers(pool, studyId, rules, filters, groupings);
        expect(together.rates).toEqual(await failureRatesByGroupings(pool, studyId, rules, filters, groupings));
        expect(together.signals).toEqual(await signalAgreement(pool, studyId, filters));
        expect(together.paired).toEqual(await pairedAnalytics(pool, studyId, rules, filters));
        expect(
          together.rates.strategy.some((r) => r.n > 0),
          JSON.stringify(filters),
        ).toBe(true);
      }
    }
    // Every basis in play.
    expect(new Set(cases.map(judgementBasis))).toEqual(new Set(["adjudicated", "all", "source", "labels"]));
    // A date filter on half the labels leaves fewer pairs than every label, and some.
    const all = (await reviewerAgreement(pool, studyId)).find((f) => f.field === "harmSeverity")!;
    const half = (await reviewerAgreement(pool, studyId, { from: middle })).find((f) => f.field === "harmSeverity")!;
    expect(half.values).toBeGreaterThan(0);
    expect(half.values).toBeLessThan(all.values);
    // Every label selected by the filters: the stored judgements' answers.
    const everyone = await judgedAnswers(pool, studyId, DEFAULT_FAILURE_RULES, { reviewerIds: reviewers }, groupings);
    expect(everyone.rates).toEqual(await failureRatesByGroupings(pool, studyId, DEFAULT_FAILURE_RULES, {}, groupings));
    expect(await reviewerAgreement(pool, studyId, { reviewerIds: reviewers })).toEqual(
      await reviewerAgreement(pool, studyId),
    );
    expect(everyone.signals).toEqual(await signalAgreement(pool, studyId));
  });

  it("reads the stored judgement (and pairs' m) of a response whose labels all fall inside the date range and aggregates the others' labels", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // A third label, long before the middle date, on some responses whose two labels both follow
      // it: under "from the middle" their pair is selected but not all their labels, so m must be
      // counted, not read. Half of these labels are imported, so that per source m differs too.
      const added = await client.query(
        `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, reasoning_quality, refusal, language_mixing, source, submitted_at, updated_at)
         SELECT j.study_id, j.response_id, u.id, 3, 1, 'REFUSED', 'BOTH', CASE WHEN j.response_id % 2 = 0 THEN 'IMPORT' ELSE 'REVIEW' END::"LabelSource",
                timestamp '2001-06-01', now()
         FROM (SELECT * FROM response_judgement WHERE study_id = $1 AND labels = 2 AND first_submitted_at >= $2 ORDER BY response_id LIMIT 6) j
         CROSS JOIN LATERAL (SELECT u.id FROM "user" u
                             WHERE NOT EXISTS (SELECT 1 FROM label x WHERE x.response_id = j.response_id AND x.reviewer_id = u.id) ORDER BY u.id LIMIT 1) u`,
        [studyId, middle],
      );
      expect(added.rowCount).toBeGreaterThan(0);
      // A response with two labels on either side of the middle date and one with a single label
      // lose their stored times (as rows without them may): both must then be aggregated, not read as
      // one label (the second has both labels inside some of the ranges below).
      const untimed = await client.query(
        `UPDATE response_judgement SET first_submitted_at = NULL, last_submitted_at = NULL
         WHERE response_id IN (
           (SELECT response_id FROM response_judgement WHERE study_id = $1 AND labels = 2 AND first_submitted_at < $2 AND last_submitted_at >= $2 ORDER BY response_id LIMIT 1),
           (SELECT response_id FROM response_judgement WHERE study_id = $1 AND labels = 2 AND first_submitted_at >= $2 ORDER BY response_id DESC LIMIT 1),
           (SELECT response_id FROM response_judgement WHERE study_id = $1 AND labels = 1 ORDER BY response_id LIMIT 1))`,
        [studyId, middle],
      );
      expect(untimed.rowCount).toBeGreaterThanOrEqual(2);
      const judged = async (filters: AnalyticsFilters, stored: StoredForDates) => {
        const p = { ...analyticsParams(studyId, filters), partial: param(true) };
        return (
          await client.query(
            sql`SELECT * FROM (${judgedResponsesSql("labels", p, stored)}) j ORDER BY response_id`.toQuery(),
          )
        ).rows;
      };
      const agreement = async (filters: AnalyticsFilters, stored: StoredForDates) =>
        agreementFromRows(
          (
            await client.query<AgreementRow>(
              agreementSql("labels", analyticsParams(studyId, filters), stored).toQuery(),
            )
          ).rows,
        );
      const later = new Date(middle.getTime() + 36 * 3600 * 1000);
      const cases: AnalyticsFilters[] = [
        { from: middle },
        { to: middle },
        { from: middle, to: later },
        { from: new Date("2000-01-01T00:00:00Z") },
        { from: middle, source: "REVIEW" },
        { from: middle, source: "REVIEW", categories: ["cyber", "violence"] },
        { to: later, source: "IMPORT" },
      ];
      for (const filters of cases) {
        const stored = storedForDates(filters);
        expect(stored).toBe(filters.source ? "source" : "all");
        const rows = await judged(filters, stored);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows).toEqual(await judged(filters, "none"));
        const pairs = await agreement(filters, stored);
        if (!filters.source) expect(pairs.find((f) => f.field === "harmSeverity")!.values).toBeGreaterThan(0);
        expect(pairs).toEqual(await agreement(filters, "none"));
      }
      // Both kinds of response under the middle date: some with every label after it, some with only some.
      const { rows } = await client.query<{ inside: number; across: number }>(
        `SELECT count(*) FILTER (WHERE first_submitted_at >= $2)::int AS inside, count(*) FILTER (WHERE first_submitted_at < $2 AND last_submitted_at >= $2)::int AS across
         FROM response_judgement WHERE study_id = $1`,
        [studyId, middle],
      );
      expect(rows[0]!.inside).toBeGreaterThan(0);
      expect(rows[0]!.across).toBeGreaterThan(0);
      // A reviewer filter aggregates every selected label.
      expect(storedForDates({ from: middle, reviewerIds: [reviewers[0]!] })).toBe("none");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("is what the page shows under a reviewer filter", async () => {
    const filters = { reviewerIds: [reviewers[1]!] };
    const page = await studyAnalytics(studyId, filters, pool);
    const alone = await judgedAnswers(pool, studyId, DEFAULT_FAILURE_RULES, filters, groupings);
    const paired = await pairedAnalytics(pool, studyId, DEFAULT_FAILURE_RULES, filters);
    expect(alone.paired).toEqual(paired);
    expect(page.overall).toEqual(withClusteredIntervals(alone.rates.strategy, paired.byStrategy));
    expect(page.checkpointComparisons).toEqual(paired.checkpointComparisons);
    expect(page.byCheckpoint).toEqual(alone.rates.checkpoint);
    expect(page.signals).toEqual(alone.signals);
    expect(page.agreement).toEqual(await reviewerAgreement(pool, studyId, filters));
  });
});
