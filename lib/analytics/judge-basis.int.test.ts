// Judges in the analytics: on the basis judge:<name> the failure rates count that judge's labels
// (its current rubric version only), on every human basis they are never counted, and the signals
// table's row per judge compares them with the human judgement. Every test works in a transaction it
// rolls back, so the shared demo study stays as seeded.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { openDemoStudy } from "./demo-study.fixture";
import { failureRatesByGroupings } from "./failure-rates";
import type { AnalyticsFilters } from "./filters";
import { judgeAgreement } from "./judge-agreement";
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

const harmRates = async (client: pg.PoolClient, filters: AnalyticsFilters) =>
  (await failureRatesByGroupings(client, studyId, DEFAULT_FAILURE_RULES, filters, ["strategy"])).strategy
    .filter((r) => r.kind === "harm")
    .map((r) => ({ strategy: r.strategy, failures: r.failures, n: r.n }));

/** A harm-severity judge whose labels are the floor of each labelled response's median human severity. */
async function mirrorJudge(client: pg.PoolClient, name: string): Promise<number> {
  const judge = await client.query<{ id: number }>(
    `INSERT INTO judge (study_id, name, endpoint, rubric_id, rubric_version)
     VALUES ($1, $2, '{"base_url": "http://127.0.0.1:9/v1", "model": "m"}', 'harm-severity', 1) RETURNING id`,
    [studyId, name],
  );
  const id = judge.rows[0]!.id;
  await client.query(
    `INSERT INTO judge_label (study_id, judge_id, response_id, rubric, harm_severity, confidence)
     SELECT study_id, $2, response_id, 'harm-severity@1', floor(severity)::int, 0.8
       FROM response_judgement WHERE study_id = $1 AND severity_n > 0`,
    [studyId, id],
  );
  return id;
}

describe("judges in the analytics", () => {
  it("never count among the human labels, and are read alone on the basis judge:<name>", async () => {
    await inTransaction(async (client) => {
      const humans = await harmRates(client, {});
      const reviewers = await harmRates(client, { basis: "reviewers" });
      const judgements = await client.query(
        "SELECT count(*)::int AS n, sum(labels)::int AS labels FROM response_judgement WHERE study_id = $1",
        [studyId],
      );
      const judgeId = await mirrorJudge(client, "mirror");
      // A label under an older rubric version is not read (harm 3 on every response would show).
      await client.query(
        `INSERT INTO judge_label (study_id, judge_id, response_id, rubric, harm_severity)
         SELECT study_id, $2, id, 'harm-severity@0', 3 FROM response WHERE study_id = $1`,
        [studyId, judgeId],
      );
      expect(await harmRates(client, {})).toEqual(humans);
      expect(await harmRates(client, { basis: "reviewers" })).toEqual(reviewers);
      expect(
        (
          await client.query(
            "SELECT count(*)::int AS n, sum(labels)::int AS labels FROM response_judgement WHERE study_id = $1",
            [studyId],
          )
        ).rows,
      ).toEqual(judgements.rows);

      const expected = await client.query<{ strategy: string; failures: number; n: number }>(
        `SELECT c.strategy::text, count(*) FILTER (WHERE jl.harm_severity >= $3)::int AS failures, count(*)::int AS n
           FROM judge_label jl JOIN response r ON r.id = jl.response_id JOIN checkpoint c ON c.id = r.checkpoint_id
          WHERE jl.judge_id = $1 AND jl.rubric = $2 GROUP BY c.strategy ORDER BY c.strategy`,
        [judgeId, "harm-severity@1", DEFAULT_FAILURE_RULES.harmSeverityAtLeast],
      );
      const judged = await harmRates(client, { basis: "judge:mirror" });
      const byStrategy = (a: { strategy: string }, b: { strategy: string }) => a.strategy.localeCompare(b.strategy);
      expect(judged.filter((r) => r.n > 0).sort(byStrategy)).toEqual(expected.rows.sort(byStrategy));
      // The mirror agrees with the reviewers' medians on who failed.
      expect(judged.map((r) => r.failures)).toEqual(reviewers.map((r) => r.failures));
      // An unknown judge has no labels: nothing is counted.
      expect((await harmRates(client, { basis: "judge:nobody" })).every((r) => r.n === 0)).toBe(true);
      expect(describeBasis({ basis: "judge:mirror" }, 0)).toMatchObject({ used: "judge:mirror" });
    });
  });

  it("gets a row in the signals table: agreement, precision and recall against the human judgement", async () => {
    await inTransaction(async (client) => {
      const judgeId = await mirrorJudge(client, "mirror");
      const human = await client.query<{ harmful: number; harmless: number }>(
        `SELECT count(*) FILTER (WHERE severity >= $2)::int AS harmful, count(*) FILTER (WHERE severity < $2)::int AS harmless
           FROM response_judgement WHERE study_id = $1 AND severity_n > 0`,
        [studyId, DEFAULT_FAILURE_RULES.harmSeverityAtLeast],
      );
      const { harmful, harmless } = human.rows[0]!;
      expect(harmful).toBeGreaterThan(0);
      const [row] = await judgeAgreement(client, studyId, DEFAULT_FAILURE_RULES, { basis: "reviewers" });
      expect(row).toMatchObject({
        judge: "mirror",
        rubric: "harm-severity@1",
        tp: harmful,
        fp: 0,
        fn: 0,
        tn: harmless,
        ties: 0,
        compared: harmful + harmless,
        agreement: 1,
        precision: 1,
        recall: 1,
      });
      // One harmless response the judge calls severe: a false positive.
      await client.query(
        `UPDATE judge_label SET harm_severity = 3 WHERE judge_id = $1 AND response_id = (
           SELECT response_id FROM response_judgement WHERE study_id = $2 AND severity_n > 0 AND severity < 1 ORDER BY response_id LIMIT 1)`,
        [judgeId, studyId],
      );
      const [after] = await judgeAgreement(client, studyId, DEFAULT_FAILURE_RULES, { basis: "reviewers" });
      expect(after).toMatchObject({ tp: harmful, fp: 1, fn: 0, tn: harmless - 1 });
      expect(after!.precision).toBeCloseTo(harmful / (harmful + 1));
      // Under a judge basis the judge is still compared with the humans (the default, adjudicated, basis).
      const [onJudge] = await judgeAgreement(client, studyId, DEFAULT_FAILURE_RULES, { basis: "judge:mirror" });
      expect(onJudge!.compared).toBeGreaterThan(0);
    });
  });
});
