// response_source_judgement (the judgements per label source, kept by triggers) against a
// recomputation from the labels, through every kind of change, and the analytics filtered by source
// (which read it) against the same questions answered from the selected labels themselves.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "./demo-study.fixture";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { failureRatesByGroupings } from "./failure-rates";
import type { AnalyticsFilters } from "./filters";
import { judgementBasis } from "./judgement";
import { reviewerAgreement } from "./reviewer-agreement";
import { signalAgreement } from "./signal-agreement";

let pool: pg.Pool;
let studyId: number;

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await pool.end();
});

const COLUMNS = `response_id, source, strategy, checkpoint_id, prompt_category, prompt_split, expected_behavior, labels, severity, severity_n,
  quality, quality_n, mixing_n, mixing_yes, mixing_reasoning, mixing_answer, refusal_n, refused, partial, complied, reward_hacking,
  repetition_loop, unfaithful, format_violation, signals_present, signal_mixing, signal_hints, refusal_signal, first_submitted_at, last_submitted_at`;

/** Rows of response_source_judgement that differ from a fresh aggregation of the labels (either way). */
function mismatches(client: pg.PoolClient) {
  return client.query(
    `WITH votes AS (
       SELECT l.response_id, l.source, count(*)::int AS labels,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY l.harm_severity) AS severity, count(l.harm_severity)::int AS severity_n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY l.reasoning_quality) AS quality, count(l.reasoning_quality)::int AS quality_n,
              count(l.language_mixing)::int AS mixing_n, count(*) FILTER (WHERE l.language_mixing <> 'NONE')::int AS mixing_yes,
              count(*) FILTER (WHERE l.language_mixing IN ('REASONING', 'BOTH'))::int AS mixing_reasoning,
              count(*) FILTER (WHERE l.language_mixing IN ('ANSWER', 'BOTH'))::int AS mixing_answer,
              count(l.refusal)::int AS refusal_n, count(*) FILTER (WHERE l.refusal = 'REFUSED')::int AS refused,
              count(*) FILTER (WHERE l.refusal = 'PARTIAL')::int AS partial, count(*) FILTER (WHERE l.refusal = 'COMPLIED')::int AS complied,
              count(*) FILTER (WHERE l.reward_hacking)::int AS reward_hacking, count(*) FILTER (WHERE l.repetition_loop)::int AS repetition_loop,
              count(*) FILTER (WHERE l.unfaithful)::int AS unfaithful, count(*) FILTER (WHERE l.format_violation)::int AS format_violation,
              min(l.submitted_at) AS first_submitted_at, max(l.submitted_at) AS last_submitted_at
       FROM label l WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL
       GROUP BY l.response_id, l.source),
     fresh AS (
       SELECT v.*, c.strategy, r.checkpoint_id, p.category AS prompt_category, p.split AS prompt_split, p.expected_behavior,
              r.signals IS NOT NULL AS signals_present, r.signals ->> 'mixing' AS signal_mixing, r.refusal_signal,
              ARRAY(SELECT h ->> 'kind' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.signals -> 'hints') = 'array' THEN r.signals -> 'hints' ELSE '[]' END) h) AS signal_hints
       FROM votes v JOIN response r ON r.id = v.response_id JOIN checkpoint c ON c.id = r.checkpoint_id JOIN prompt p ON p.id = r.prompt_id),
     stored AS (SELECT * FROM response_source_judgement WHERE study_id = $1)
     (SELECT 'missing' AS side, * FROM (SELECT ${COLUMNS} FROM fresh EXCEPT SELECT ${COLUMNS} FROM stored) m)
     UNION ALL
     (SELECT 'extra', * FROM (SELECT ${COLUMNS} FROM stored EXCEPT SELECT ${COLUMNS} FROM fresh) e)`,
    [studyId],
  );
}

/** Rows of label_pair that differ from a fresh pairing of the submitted labels (either way), with their submission times and m per source. */
function pairMismatches(client: pg.PoolClient) {
  return client.query(
    `WITH fresh AS (
       SELECT a.response_id, a.reviewer_id AS reviewer_a, b.reviewer_id AS reviewer_b, a.source AS a_source, b.source AS b_source,
              a.submitted_at AS a_submitted_at, b.submitted_at AS b_submitted_at, a.harm_severity AS a_harm_severity, b.harm_severity AS b_harm_severity,
              a.refusal AS a_refusal, b.refusal AS b_refusal,
              CASE WHEN a.source = b.source THEN (SELECT count(x.harm_severity) FROM label x WHERE x.response_id = a.response_id AND x.submitted_at IS NOT NULL AND x.source = a.source) END AS ms_harm_severity,
              CASE WHEN a.source = b.source THEN (SELECT count(x.reasoning_quality) FROM label x WHERE x.response_id = a.response_id AND x.submitted_at IS NOT NULL AND x.source = a.source) END AS ms_reasoning_quality,
              CASE WHEN a.source = b.source THEN (SELECT count(x.refusal) FROM label x WHERE x.response_id = a.response_id AND x.submitted_at IS NOT NULL AND x.source = a.source) END AS ms_refusal,
              CASE WHEN a.source = b.source THEN (SELECT count(x.language_mixing) FROM label x WHERE x.response_id = a.response_id AND x.submitted_at IS NOT NULL AND x.source = a.source) END AS ms_language_mixing,
              CASE WHEN a.source = b.source THEN (SELECT count(*) FROM label x WHERE x.response_id = a.response_id AND x.submitted_at IS NOT NULL AND x.source = a.source) END AS ms_reward_hacking
       FROM label a JOIN label b ON b.response_id = a.response_id AND b.reviewer_id > a.reviewer_id AND b.submitted_at IS NOT NULL
       WHERE a.study_id = $1 AND a.submitted_at IS NOT NULL),
     stored AS (
       SELECT response_id, reviewer_a, reviewer_b, a_source, b_source, a_submitted_at, b_submitted_at, a_harm_severity, b_harm_severity, a_refusal, b_refusal,
              ms_harm_severity::bigint, ms_reasoning_quality::bigint, ms_refusal::bigint, ms_language_mixing::bigint, ms_reward_hacking::bigint
       FROM label_pair WHERE study_id = $1)
     (SELECT 'missing' AS side, * FROM (SELECT * FROM fresh EXCEPT SELECT * FROM stored) m)
     UNION ALL
     (SELECT 'extra', * FROM (SELECT * FROM stored EXCEPT SELECT * FROM fresh) e)`,
    [studyId],
  );
}

/**
 * The same filters with a reviewer filter that keeps every reviewer, which makes the questions
 * aggregate the selected labels, and with a date filter that keeps every label, which makes them
 * read the stored judgements of the responses whose labels all fall in the range (all of them).
 */
async function fromLabels(client: pg.PoolClient, filters: AnalyticsFilters): Promise<AnalyticsFilters[]> {
  const everyone = (
    await client.query<{ id: number }>("SELECT DISTINCT reviewer_id AS id FROM label WHERE study_id = $1", [studyId])
  ).rows.map((r) => r.id);
  return [
    { ...filters, reviewerIds: everyone },
    { ...filters, from: new Date("2000-01-01T00:00:00Z") },
  ];
}

async function expectSameAsFromLabels(client: pg.PoolClient, filters: AnalyticsFilters) {
  expect(judgementBasis(filters)).toBe("source");
  const groupings = ["strategy", "category", "split", "checkpoint"] as const;
  for (const selected of await fromLabels(client, filters)) {
    for (const rules of [
      DEFAULT_FAILURE_RULES,
      { harmSeverityAtLeast: 1, poorQualityAtMost: 3, partialCountsAsRefusal: true, tieIsFailure: false },
    ]) {
      expect(await failureRatesByGroupings(client, studyId, rules, filters, groupings)).toEqual(
        await failureRatesByGroupings(client, studyId, rules, selected, groupings),
      );
    }
    expect(await signalAgreement(client, studyId, filters)).toEqual(await signalAgreement(client, studyId, selected));
    expect(await reviewerAgreement(client, studyId, filters)).toEqual(
      await reviewerAgreement(client, studyId, selected),
    );
  }
}

describe("judgements per label source", () => {
  it("follow every change (source, values, withdrawal, deletion, checkpoint, prompt, signals) and answer the source filter as the labels do", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // The demo's labels are all given here; import the first reviewer's labels on a third of the
      // responses, so that those responses have a judgement per source that differs from the whole.
      const first = (
        await client.query<{ id: number }>("SELECT min(reviewer_id) AS id FROM label WHERE study_id = $1", [studyId])
      ).rows[0]!.id;
      await client.query(
        "UPDATE label SET source = 'IMPORT' WHERE study_id = $1 AND reviewer_id = $2 AND response_id % 3 = 0",
        [studyId, first],
      );
      expect((await mismatches(client)).rows).toEqual([]);
      expect((await pairMismatches(client)).rows).toEqual([]);
      expect(
        (await client.query("SELECT 1 FROM label_pair WHERE study_id = $1 AND ms_refusal IS NOT NULL", [studyId]))
          .rowCount,
      ).toBeGreaterThan(0);
      const counts = await client.query<{ source: string; n: number }>(
        "SELECT source::text, count(*)::int AS n FROM response_source_judgement WHERE study_id = $1 GROUP BY 1 ORDER BY 1",
        [studyId],
      );
      expect(counts.rows.map((r) => r.source)).toEqual(["REVIEW", "IMPORT"].sort());
      for (const source of ["REVIEW", "IMPORT"] as const) {
        await expectSameAsFromLabels(client, { source });
        await expectSameAsFromLabels(client, { source, strategies: ["RL"] });
      }

      const [a, b, c] = (
        await client.query<{ id: number }>(
          "SELECT id FROM label WHERE study_id = $1 AND submitted_at IS NOT NULL ORDER BY id LIMIT 3",
          [studyId],
        )
      ).rows;
      await client.query(
        "UPDATE label SET harm_severity = 3, reasoning_quality = 1, refusal = 'REFUSED', language_mixing = 'BOTH', reward_hacking = true WHERE id = $1",
        [a!.id],
      );
      await client.query("UPDATE label SET submitted_at = NULL WHERE id = $1", [b!.id]);
      await client.query(
        "UPDATE label SET submitted_at = submitted_at - interval '3 days' WHERE study_id = $1 AND id % 5 = 0 AND submitted_at IS NOT NULL",
        [studyId],
      );
      await client.query(
        "UPDATE label SET source = CASE WHEN source = 'IMPORT' THEN 'REVIEW' ELSE 'IMPORT' END::\"LabelSource\" WHERE id = $1",
        [c!.id],
      );
      await client.query(
        "DELETE FROM label WHERE response_id = (SELECT max(response_id) FROM label WHERE study_id = $1)",
        [studyId],
      );
      await client.query(
        "UPDATE checkpoint SET strategy = 'BASE' WHERE id = (SELECT min(id) FROM checkpoint WHERE study_id = $1)",
        [studyId],
      );
      await client.query(
        "UPDATE prompt SET category = 'renamed', split = 'other', expected_behavior = 'COMPLY' WHERE id = (SELECT min(prompt_id) FROM response WHERE id IN (SELECT response_id FROM label WHERE study_id = $1))",
        [studyId],
      );
      await client.query(
        `UPDATE response SET signals = jsonb_set(signals, '{hints}', '[{"kind": "self_assessment"}]'), refusal_signal = 'PARTIAL'
         WHERE id IN (SELECT response_id FROM label WHERE study_id = $1 ORDER BY response_id LIMIT 5)`,
        [studyId],
      );
      expect((await mismatches(client)).rows).toEqual([]);
      expect((await pairMismatches(client)).rows).toEqual([]);
      await expectSameAsFromLabels(client, { source: "IMPORT" });
      await expectSameAsFromLabels(client, { source: "REVIEW", categories: ["renamed"] });
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
