// Adjudicated labels in the analytics: a response with an adjudication counts with it on the
// adjudicated basis (the default) and with its reviewers' aggregate on the reviewers' basis; the
// agreement between reviewers never sees it; the stored row survives the reviewers' own changes.
// Every test works in a transaction it rolls back, so the shared demo study stays as seeded.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { openDemoStudy } from "./demo-study.fixture";
import { failureRatesByGroupings, type FailureRate } from "./failure-rates";
import type { AnalyticsFilters } from "./filters";
import { pairedAnalytics } from "./paired-comparisons";
import { reviewerAgreement } from "./reviewer-agreement";
import { describeBasis } from "./study-analytics";

let pool: pg.Pool;
let studyId: number;

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await pool.end();
});

async function inTransaction(run: (client: pg.PoolClient) => Promise<void>) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await run(client);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

async function harm(client: pg.PoolClient, strategy: string, filters: AnalyticsFilters): Promise<FailureRate> {
  const rates = await failureRatesByGroupings(client, studyId, DEFAULT_FAILURE_RULES, filters, ["strategy"]);
  return rates.strategy.find((r) => r.strategy === strategy && r.kind === "harm")!;
}

/** A response its reviewers judged not harmful (median severity below the threshold), with its strategy. */
async function harmlessJudgedResponse(client: pg.PoolClient) {
  const { rows } = await client.query<{ response_id: number; strategy: string }>(
    `SELECT response_id, strategy::text FROM response_judgement
     WHERE study_id = $1 AND severity < $2 AND labels >= 2 ORDER BY response_id LIMIT 1`,
    [studyId, DEFAULT_FAILURE_RULES.harmSeverityAtLeast],
  );
  return rows[0]!;
}

const adjudicate = (client: pg.PoolClient, responseId: number, severity: number, source = "REVIEW") =>
  client.query(
    `INSERT INTO adjudication (response_id, study_id, source, harm_severity, refusal, updated_at)
     VALUES ($1, $2, $3::"LabelSource", $4, 'COMPLIED', now())`,
    [responseId, studyId, source, severity],
  );

describe("the adjudicated basis", () => {
  it("counts an adjudicated response with its final label, the reviewers' basis with the reviewers' labels", async () => {
    await inTransaction(async (client) => {
      const { response_id, strategy } = await harmlessJudgedResponse(client);
      const before = await harm(client, strategy, {});
      await adjudicate(client, response_id, 3);
      const adjudicated = await harm(client, strategy, {});
      const reviewers = await harm(client, strategy, { basis: "reviewers" });
      expect(adjudicated).toMatchObject({ failures: before.failures + 1, n: before.n });
      expect(reviewers).toMatchObject({ failures: before.failures, n: before.n });
      // The explicit value is the default.
      expect(await harm(client, strategy, { basis: "adjudicated" })).toEqual(adjudicated);
      // The per-checkpoint (paired) question reads the same judgements.
      const paired = await pairedAnalytics(client, studyId, DEFAULT_FAILURE_RULES, {});
      const pooled = paired.byStrategy.find((r) => r.strategy === strategy && r.kind === "harm")!;
      expect(pooled).toMatchObject({ failures: adjudicated.failures, n: adjudicated.n });
    });
  });

  it("counts an adjudication of a response nobody labelled (an imported final label)", async () => {
    await inTransaction(async (client) => {
      const { rows } = await client.query<{ id: number; strategy: string }>(
        `SELECT r.id, c.strategy::text FROM response r JOIN checkpoint c ON c.id = r.checkpoint_id
         WHERE r.study_id = $1 AND NOT EXISTS (SELECT 1 FROM label l WHERE l.response_id = r.id) ORDER BY r.id LIMIT 1`,
        [studyId],
      );
      const { id, strategy } = rows[0]!;
      const before = await harm(client, strategy, {});
      await adjudicate(client, id, 2, "IMPORT");
      expect(await harm(client, strategy, {})).toMatchObject({ failures: before.failures + 1, n: before.n + 1 });
      expect(await harm(client, strategy, { basis: "reviewers" })).toMatchObject({
        failures: before.failures,
        n: before.n,
      });
    });
  });

  it("leaves agreement between reviewers as it was: an adjudication is not a reviewer's label", async () => {
    await inTransaction(async (client) => {
      const before = await reviewerAgreement(client, studyId, {});
      const { rows } = await client.query<{ response_id: number }>(
        `SELECT response_id FROM label_pair WHERE study_id = $1 AND a_harm_severity <> b_harm_severity ORDER BY response_id LIMIT 20`,
        [studyId],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { response_id } of rows) await adjudicate(client, response_id, 3);
      expect(await reviewerAgreement(client, studyId, {})).toEqual(before);
      expect(await reviewerAgreement(client, studyId, { basis: "reviewers" })).toEqual(before);
    });
  });

  it("keeps the adjudicated judgement when reviewers change their labels, and drops it with the adjudication", async () => {
    await inTransaction(async (client) => {
      const { response_id } = await harmlessJudgedResponse(client);
      await adjudicate(client, response_id, 3);
      const stored = () =>
        client.query(
          `SELECT labels, severity, severity_n, refusal_n, complied, prompt_id IS NOT NULL AS has_prompt
           FROM response_source_judgement WHERE response_id = $1 AND source = 'ADJUDICATED'`,
          [response_id],
        );
      const expected = { labels: 1, severity: 3, severity_n: 1, refusal_n: 1, complied: 1, has_prompt: true };
      expect((await stored()).rows).toEqual([expected]);
      // A reviewer edits their label: the labels' refresh rebuilds the other sources' rows only.
      await client.query(
        "UPDATE label SET harm_severity = 0, version = version + 1 WHERE response_id = $1 AND submitted_at IS NOT NULL",
        [response_id],
      );
      expect((await stored()).rows).toEqual([expected]);
      await client.query("UPDATE adjudication SET harm_severity = 1 WHERE response_id = $1", [response_id]);
      expect((await stored()).rows).toEqual([{ ...expected, severity: 1 }]);
      await client.query("DELETE FROM adjudication WHERE response_id = $1", [response_id]);
      expect((await stored()).rows).toEqual([]);
    });
  });

  it("refuses an adjudication outside the label scales or marked with the adjudicated source", async () => {
    await inTransaction(async (client) => {
      const { response_id } = await harmlessJudgedResponse(client);
      await expect(adjudicate(client, response_id, 4)).rejects.toThrow(/adjudication_harm_severity_check/);
    });
    await inTransaction(async (client) => {
      const { response_id } = await harmlessJudgedResponse(client);
      await expect(adjudicate(client, response_id, 3, "ADJUDICATED")).rejects.toThrow(/adjudication_source_check/);
    });
  });
});

describe("describeBasis", () => {
  it("says which labels were read, and why when a filter decided it", () => {
    expect(describeBasis({}, 0)).toMatchObject({
      used: "adjudicated",
      description: expect.stringContaining("no response has an adjudicated label yet"),
    });
    expect(describeBasis({}, 1234)).toMatchObject({
      used: "adjudicated",
      adjudicatedResponses: 1234,
      description: expect.stringContaining("Adjudicated labels where set (1,234 responses)"),
    });
    expect(describeBasis({ basis: "reviewers" }, 5).description).toContain("adjudicated labels left out");
    expect(describeBasis({ source: "IMPORT" }, 5)).toMatchObject({
      used: "reviewers",
      description: expect.stringContaining("a reviewer, source or date filter selects reviewers' labels"),
    });
    expect(describeBasis({ reviewerIds: [3] }, 5).used).toBe("reviewers");
  });
});
