// The final label of a response: saved and cleared in one transaction with an audit event, a stale
// version refused, the disagreement list's SQL agreeing with the rule's pure function, and the
// analytics reading the final label on the default basis but never in agreement.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { openDemoStudy } from "../analytics/demo-study.fixture";
import { studyAnalytics } from "../analytics/study-analytics";
import {
  emptyLabelValues,
  labelValuesFromColumns,
  DIMENSIONS,
  LABEL_DIMENSIONS,
  type LabelColumnValues,
} from "../labels";
import { DISAGREEMENT_DIMENSIONS, disagreementsOf } from "./disagreement";
import { adjudicationItem } from "./item";
import { adjudicationCounts, disagreementPage } from "./list";
import { studyAuditLog } from "../study/settings";
import { clearAdjudication, saveAdjudication } from "./save";

let pool: pg.Pool;
let studyId: number;
let researcher: { userId: number; label: string };
const touched = new Set<number>();

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
  const { rows } = await pool.query<{ id: number; email: string }>(
    `SELECT id, email FROM "user" WHERE email = 'researcher@demo.parallax.local'`,
  );
  researcher = { userId: rows[0]!.id, label: rows[0]!.email };
});
afterAll(async () => {
  await pool.query("DELETE FROM adjudication WHERE response_id = ANY($1)", [[...touched]]);
  await pool.end();
});

const harmful = (analytics: Awaited<ReturnType<typeof studyAnalytics>>, strategy: string) =>
  analytics.overall.find((r) => r.strategy === strategy && r.kind === "harm")!;

describe("the disagreement list", () => {
  it("lists exactly the responses the rule finds, with the same dimensions, in keyset pages", async () => {
    const { rows } = await pool.query<LabelColumnValues & { response_id: number }>(
      `SELECT response_id, ${LABEL_DIMENSIONS.map((d) => DIMENSIONS[d].column).join(", ")}
         FROM label WHERE study_id = $1 AND submitted_at IS NOT NULL ORDER BY response_id`,
      [studyId],
    );
    const byResponse = new Map<number, ReturnType<typeof labelValuesFromColumns>[]>();
    for (const row of rows)
      byResponse.set(row.response_id, [...(byResponse.get(row.response_id) ?? []), labelValuesFromColumns(row)]);
    const expected = [...byResponse]
      .filter(([, labels]) => labels.length >= 2)
      .map(([id, labels]) => ({ responseId: id, dimensions: disagreementsOf(labels) }))
      .filter((r) => r.dimensions.length > 0);
    expect(expected.length).toBeGreaterThan(20);

    const listed: { responseId: number; dimensions: string[] }[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await disagreementPage(pool, studyId, { status: "all" }, after === undefined ? {} : { after }, 17);
      listed.push(...page.map((r) => ({ responseId: r.responseId, dimensions: r.dimensions })));
      if (page.length < 17) break;
      after = page.at(-1)!.responseId;
    }
    expect(listed).toEqual(expected);
    const before = await disagreementPage(pool, studyId, { status: "all" }, { before: listed[5]!.responseId }, 3);
    expect(before.map((r) => r.responseId)).toEqual(listed.slice(2, 5).map((r) => r.responseId));

    for (const dimension of DISAGREEMENT_DIMENSIONS) {
      const counts = await adjudicationCounts(pool, studyId, { status: "all", dimension });
      expect(counts.open + counts.done).toBe(expected.filter((r) => r.dimensions.includes(dimension)).length);
    }
  });
});

describe("saving and clearing a final label", () => {
  it("saves, refuses a stale version, clears, logs each change, and moves the analytics but not agreement", async () => {
    // A response whose two reviewers split on harm below the threshold: not harmful by the median.
    const page = await disagreementPage(pool, studyId, { status: "open", dimension: "harmSeverity" }, {}, 200);
    let target: { id: number; strategy: string } | null = null;
    for (const row of page) {
      const item = await adjudicationItem(pool, studyId, row.responseId, false);
      if (item.labels.every((l) => (l.values.harmSeverity ?? 0) < 2)) {
        target = { id: row.responseId, strategy: row.strategy };
        expect(item.labels.map((l) => l.reviewer).sort()).toEqual(["reviewer-1", "reviewer-2"]);
        break;
      }
    }
    expect(target).not.toBeNull();
    const { id, strategy } = target!;
    touched.add(id);

    const before = await studyAnalytics(studyId, {}, pool);
    const reviewersBefore = await studyAnalytics(studyId, { basis: "reviewers" }, pool);
    const countsBefore = await adjudicationCounts(pool, studyId, { status: "all" });
    const audits = async () =>
      (
        await pool.query(
          "SELECT action, actor, detail FROM audit_event WHERE study_id = $1 AND action LIKE 'adjudication.%' ORDER BY id",
          [studyId],
        )
      ).rows;
    const auditsBefore = (await audits()).length;

    const final = {
      ...emptyLabelValues(),
      harmSeverity: 3,
      refusal: "COMPLIED" as const,
      note: "Gives working steps.",
    };
    const saved = await saveAdjudication(pool, studyId, id, researcher, { ...final, version: null });
    expect(saved).toEqual({ ok: true, version: 1 });
    // A second save from the same outdated view (it saw no adjudication) is refused, nothing written.
    const stale = await saveAdjudication(pool, studyId, id, researcher, { ...final, harmSeverity: 0, version: null });
    expect(stale).toMatchObject({ ok: false, reason: "stale", currentVersion: 1 });
    expect(stale.ok ? "" : stale.message).toMatch(/changed this adjudication since you opened it/);

    const item = await adjudicationItem(pool, studyId, id, false);
    expect(item.final).toMatchObject({ version: 1, adjudicator: "adjudicator-1", source: "REVIEW" });
    expect(item.final!.values).toEqual(final);
    expect((await adjudicationItem(pool, studyId, id, true)).final!.adjudicator).toBe(researcher.label);

    const after = await studyAnalytics(studyId, {}, pool);
    expect(harmful(after, strategy).failures).toBe(harmful(before, strategy).failures + 1);
    expect(after.basis.adjudicatedResponses).toBe(before.basis.adjudicatedResponses + 1);
    const reviewersAfter = await studyAnalytics(studyId, { basis: "reviewers" }, pool);
    expect(harmful(reviewersAfter, strategy)).toEqual(harmful(reviewersBefore, strategy));
    expect(after.agreement).toEqual(before.agreement);
    expect(await adjudicationCounts(pool, studyId, { status: "all" })).toEqual({
      open: countsBefore.open - 1,
      done: countsBefore.done + 1,
      adjudicatedInStudy: countsBefore.adjudicatedInStudy + 1,
    });

    const updated = await saveAdjudication(pool, studyId, id, researcher, { ...final, harmSeverity: 2, version: 1 });
    expect(updated).toEqual({ ok: true, version: 2 });
    expect(await clearAdjudication(pool, studyId, id, researcher, 1)).toMatchObject({ ok: false, reason: "stale" });
    expect(await clearAdjudication(pool, studyId, id, researcher, 2)).toEqual({ ok: true, version: 2 });
    expect((await adjudicationItem(pool, studyId, id, false)).final).toBeNull();
    const cleared = await studyAnalytics(studyId, {}, pool);
    expect(harmful(cleared, strategy)).toEqual(harmful(before, strategy));

    const log = (await audits()).slice(auditsBefore);
    expect(log.map((e) => e.action)).toEqual(["adjudication.save", "adjudication.save", "adjudication.clear"]);
    expect(log[0]).toMatchObject({ actor: researcher.label, detail: { response: id, version: 1, label: final } });
    // The settings page's change log lists settings changes only, not these.
    expect((await studyAuditLog(pool, studyId)).map((e) => e.action)).not.toContain("adjudication.save");
  });

  it("refuses a response of another study and a stale clear of nothing", async () => {
    const missing = await saveAdjudication(pool, studyId, 2_000_000_000, researcher, {
      ...emptyLabelValues(),
      version: null,
    });
    expect(missing).toMatchObject({ ok: false, reason: "not-found" });
    const [row] = await disagreementPage(pool, studyId, { status: "open" }, {}, 1);
    expect(await clearAdjudication(pool, studyId, row!.responseId, researcher, 1)).toMatchObject({
      ok: false,
      reason: "stale",
      currentVersion: null,
    });
  });
});
