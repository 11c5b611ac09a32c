// Agreement from SQL-summed coincidences against the same coefficients computed from the raw
// labels of the demo study in JavaScript.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "./demo-study.fixture";
import { cohensKappa, krippendorffAlpha } from "../stats/agreement";
import { reviewerAgreement } from "./reviewer-agreement";

let pool: pg.Pool;
let studyId: number;

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await pool.end();
});

describe("reviewerAgreement", () => {
  it("matches alpha and kappa computed from the raw labels", async () => {
    const { rows } = await pool.query<{
      response_id: number;
      reviewer_id: number;
      harm_severity: number | null;
      refusal: string | null;
    }>(
      "SELECT response_id, reviewer_id, harm_severity, refusal::text FROM label WHERE study_id = $1 AND submitted_at IS NOT NULL",
      [studyId],
    );
    const reviewers = [...new Set(rows.map((r) => r.reviewer_id))].sort((a, b) => a - b);
    expect(reviewers).toHaveLength(2);
    const byResponse = new Map<number, Map<number, (typeof rows)[number]>>();
    for (const r of rows)
      byResponse.set(r.response_id, (byResponse.get(r.response_id) ?? new Map()).set(r.reviewer_id, r));
    const units = (field: "harm_severity" | "refusal") =>
      [...byResponse.values()].map((m) => reviewers.map((id) => m.get(id)?.[field] ?? null));
    const pairs = (field: "harm_severity" | "refusal") =>
      [...byResponse.values()]
        .filter((m) => m.get(reviewers[0]!)?.[field] != null && m.get(reviewers[1]!)?.[field] != null)
        .map((m) => [m.get(reviewers[0]!)![field]!, m.get(reviewers[1]!)![field]!] as const);

    const result = await reviewerAgreement(pool, studyId);
    const severity = result.find((f) => f.field === "harmSeverity")!;
    expect(severity.alpha).toBeCloseTo(krippendorffAlpha(units("harm_severity"), "ordinal").alpha!, 10);
    expect(severity.values).toBe(krippendorffAlpha(units("harm_severity"), "ordinal").values);
    expect(severity.pairs).toHaveLength(1);
    expect(severity.pairs[0]!.kappa).toBeCloseTo(cohensKappa(pairs("harm_severity")).kappa!, 10);

    const refusal = result.find((f) => f.field === "refusal")!;
    expect(refusal.alpha).toBeCloseTo(krippendorffAlpha(units("refusal"), "nominal").alpha!, 10);
    expect(refusal.pairs[0]!.kappa).toBeCloseTo(cohensKappa(pairs("refusal")).kappa!, 10);
    // The demo reviewers agree well on severity, as generated.
    expect(severity.alpha!).toBeGreaterThan(0.6);
  });

  it("gives each checkpoint its own alpha and kappa, as computed from that checkpoint's raw labels, with intervals around them", async () => {
    const { rows } = await pool.query<{
      response_id: number;
      reviewer_id: number;
      checkpoint_id: number;
      harm_severity: number | null;
    }>(
      `SELECT l.response_id, l.reviewer_id, r.checkpoint_id, l.harm_severity FROM label l JOIN response r ON r.id = l.response_id
       WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL`,
      [studyId],
    );
    const reviewers = [...new Set(rows.map((r) => r.reviewer_id))].sort((a, b) => a - b);
    const result = (await reviewerAgreement(pool, studyId)).find((f) => f.field === "harmSeverity")!;
    const checkpoints = [...new Set(rows.map((r) => r.checkpoint_id))].sort((a, b) => a - b);
    let compared = 0;
    for (const checkpoint of checkpoints) {
      const mine = rows.filter((r) => r.checkpoint_id === checkpoint);
      const byResponse = new Map<number, Map<number, number | null>>();
      for (const r of mine)
        byResponse.set(r.response_id, (byResponse.get(r.response_id) ?? new Map()).set(r.reviewer_id, r.harm_severity));
      const units = [...byResponse.values()].map((m) => reviewers.map((id) => m.get(id) ?? null));
      const expected = krippendorffAlpha(units, "ordinal");
      const scope = result.byCheckpoint.find((c) => c.checkpointId === checkpoint);
      if (expected.values === 0) {
        expect(scope).toBeUndefined();
        continue;
      }
      expect(scope!.values).toBe(expected.values);
      if (expected.alpha === null) continue;
      expect(scope!.alpha).toBeCloseTo(expected.alpha, 10);
      const pairs = [...byResponse.values()]
        .filter((m) => m.get(reviewers[0]!) != null && m.get(reviewers[1]!) != null)
        .map((m) => [m.get(reviewers[0]!)!, m.get(reviewers[1]!)!] as const);
      expect(scope!.pairs[0]!.kappa).toBeCloseTo(cohensKappa(pairs).kappa!, 10);
      expect(scope!.alphaLower!).toBeLessThanOrEqual(scope!.alpha!);
      expect(scope!.alphaUpper!).toBeGreaterThanOrEqual(scope!.alpha!);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    // The whole study's alpha lies inside its interval, which a single checkpoint's (fewer responses) is wider than.
    expect(result.alphaLower!).toBeLessThan(result.alpha!);
    expect(result.alphaUpper!).toBeGreaterThan(result.alpha!);
    const widest = Math.max(
      ...result.byCheckpoint.filter((c) => c.alphaLower !== null).map((c) => c.alphaUpper! - c.alphaLower!),
    );
    expect(widest).toBeGreaterThan(result.alphaUpper! - result.alphaLower!);
  });

  it("gives the same answer through the response filters when they select everything", async () => {
    const all = await reviewerAgreement(pool, studyId);
    const filtered = await reviewerAgreement(pool, studyId, { strategies: ["SFT", "RL", "HYBRID", "BASE"] });
    expect(filtered).toEqual(all);
    const rlOnly = await reviewerAgreement(pool, studyId, { strategies: ["RL"] });
    expect(rlOnly.find((f) => f.field === "harmSeverity")!.values).toBeLessThan(
      all.find((f) => f.field === "harmSeverity")!.values,
    );
  });

  it("has nothing to compare when one reviewer is filtered out", async () => {
    const one = (
      await pool.query<{ id: number }>("SELECT min(reviewer_id) AS id FROM label WHERE study_id = $1", [studyId])
    ).rows[0]!.id;
    const result = await reviewerAgreement(pool, studyId, { reviewerIds: [one] });
    for (const field of result) {
      expect(field.alpha).toBeNull();
      expect(field.pairs).toEqual([]);
    }
  });
});

describe("agreement from the stored label pairs", () => {
  it("equals agreement paired from the labels themselves", async () => {
    const stored = await reviewerAgreement(pool, studyId);
    // A label filter that keeps every label pairs the labels on the fly.
    const paired = await reviewerAgreement(pool, studyId, { from: new Date("2000-01-01T00:00:00Z") });
    expect(stored.find((f) => f.field === "harmSeverity")!.values).toBeGreaterThan(0);
    expect(paired).toEqual(stored);
    const rl = await reviewerAgreement(pool, studyId, { strategies: ["RL"] });
    expect(
      await reviewerAgreement(pool, studyId, { strategies: ["RL"], from: new Date("2000-01-01T00:00:00Z") }),
    ).toEqual(rl);
  });
});

describe("sourceAgreement", () => {
  it("compares imported labels with labels given here: with one reviewer's labels imported, the two reviewers' alpha and kappa", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const { sourceAgreement } = await import("./source-agreement");
      // Nothing imported yet: nothing to compare.
      for (const field of await sourceAgreement(client, studyId))
        expect(field).toMatchObject({ pairs: 0, alpha: null, kappa: null });
      const first = (
        await client.query<{ id: number }>("SELECT min(reviewer_id) AS id FROM label WHERE study_id = $1", [studyId])
      ).rows[0]!.id;
      await client.query("UPDATE label SET source = 'IMPORT' WHERE study_id = $1 AND reviewer_id = $2", [
        studyId,
        first,
      ]);
      const reviewers = await reviewerAgreement(client, studyId);
      const sources = await sourceAgreement(client, studyId);
      for (const field of ["harmSeverity", "refusal", "languageMixing"] as const) {
        const byReviewer = reviewers.find((f) => f.field === field)!;
        const bySource = sources.find((f) => f.field === field)!;
        expect(bySource.pairs).toBe(byReviewer.pairs[0]!.n);
        expect(bySource.kappa).toBeCloseTo(byReviewer.pairs[0]!.kappa!, 10);
        expect(bySource.alpha).toBeCloseTo(byReviewer.alpha!, 10);
      }
      // The stored pairs (kept by the triggers when the sources changed) and pairs made afresh agree.
      expect(await sourceAgreement(client, studyId, { from: new Date("2000-01-01T00:00:00Z") })).toEqual(sources);
      // The source filter does not empty the comparison; a strategy filter narrows it.
      expect(await sourceAgreement(client, studyId, { source: "REVIEW" })).toEqual(sources);
      const rl = await sourceAgreement(client, studyId, { strategies: ["RL"] });
      expect(rl.find((f) => f.field === "harmSeverity")!.pairs).toBeLessThan(
        sources.find((f) => f.field === "harmSeverity")!.pairs,
      );
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});

describe("signalAgreement", () => {
  it("is evaluate-signals' comparison, with the page's filters applied", async () => {
    const { signalAgreement } = await import("./signal-agreement");
    const { evaluateSignals } = await import("../analysis/evaluate");
    const reference = await evaluateSignals(pool, studyId);
    const all = await signalAgreement(pool, studyId);
    expect(reference.labelledResponses).toBeGreaterThan(0);
    expect(all).toEqual({ labelledResponses: reference.labelledResponses, rows: reference.rows });
    expect(await signalAgreement(pool, studyId, { from: new Date("2000-01-01T00:00:00Z") })).toEqual(all);
    const rl = await signalAgreement(pool, studyId, { strategies: ["RL"] });
    expect(rl.labelledResponses).toBeGreaterThan(0);
    expect(rl.labelledResponses).toBeLessThan(all.labelledResponses);
  });

  it("follows signals rewritten after the labels (analyze run again)", async () => {
    const { signalAgreement } = await import("./signal-agreement");
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // Every labelled response now shows a repetition loop and no mixing; one has no signals at all.
      await client.query(
        `UPDATE response SET signals = jsonb_set(jsonb_set(signals, '{hints}', '[{"kind": "repetition_loop"}, {"kind": "unclosed_think"}]'), '{mixing}', '"NONE"'),
                refusal_signal = 'REFUSED'
         WHERE id IN (SELECT response_id FROM label WHERE study_id = $1)`,
        [studyId],
      );
      await client.query(
        "UPDATE response SET signals = NULL WHERE id = (SELECT min(response_id) FROM label WHERE study_id = $1)",
        [studyId],
      );
      const stored = await signalAgreement(client, studyId);
      expect(stored).toEqual(await signalAgreement(client, studyId, { from: new Date("2000-01-01T00:00:00Z") }));
      const loop = stored.rows.find((r) => r.signal === "repetition_loop")!;
      expect(loop.fn).toBe(0);
      expect(loop.tn).toBe(0);
      expect(stored.rows.find((r) => r.signal === "language_mixing")!.fp).toBe(0);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});

describe("studyAnalytics", () => {
  it("gathers the page's data in parallel, the same numbers as each question alone", async () => {
    const { studyAnalytics } = await import("./study-analytics");
    const { failureRatesByStrategy } = await import("./failure-rates");
    const { DEFAULT_FAILURE_RULES } = await import("../study/failure-rules");
    const { pairedAnalytics, withClusteredIntervals } = await import("./paired-comparisons");
    const data = await studyAnalytics(studyId, {}, pool);
    const paired = await pairedAnalytics(pool, studyId, DEFAULT_FAILURE_RULES);
    // The strategy rates carry the intervals clustered by prompt; every one of them was replaced.
    expect(data.overall).toEqual(
      withClusteredIntervals(await failureRatesByStrategy(pool, studyId, DEFAULT_FAILURE_RULES), paired.byStrategy),
    );
    expect(
      data.overall
        .filter((r) => r.n > 0)
        .every((r) =>
          paired.byStrategy.some((c) => c.strategy === r.strategy && c.kind === r.kind && c.lower === r.lower),
        ),
    ).toBe(true);
    expect(data.checkpointRates).toEqual(paired.byCheckpoint);
    expect(data.differences).toEqual(paired.strategyComparisons);
    expect(data.byCheckpoint).toEqual(
      await failureRatesByStrategy(pool, studyId, DEFAULT_FAILURE_RULES, {}, "checkpoint"),
    );
    expect(data.agreement).toEqual(await reviewerAgreement(pool, studyId));
    expect(data.checkpoints.length).toBeGreaterThan(0);
    expect(data.reasoningQuality.length).toBeGreaterThan(0);
    expect(data.reviewers).toHaveLength(2);
    const reviewed = await studyAnalytics(studyId, { source: "REVIEW" }, pool);
    expect(reviewed.overall).toEqual(data.overall);
  });
});
