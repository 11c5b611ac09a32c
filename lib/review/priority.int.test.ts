// The disagreement-first review order against a real PostgreSQL: the four rules of
// review_refresh_priority (review_priority migration), when the priorities are refreshed, and
// "next" serving a disagreeing prompt first only in a study that asks for it.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { analyzeStudy } from "../analysis/analyze-study";
import { createPool } from "../db/client";
import { createReviewStudy, type ReviewFixture, submissionFor } from "./fixtures";
import { nextItem } from "./queue";
import { submitPrompt } from "./submit";

const LEASE = 1800;
let db: pg.Pool;
let counter = 0;
const slug = () => `priority-${++counter}-${Date.now().toString(36)}`;

beforeAll(() => {
  db = createPool(inject("databaseUrl"), 4);
});
afterAll(async () => {
  await db.end();
});

/** The study's prompts in import order, each with its responses' ids. */
async function promptsOf(f: ReviewFixture): Promise<{ id: number; responses: number[] }[]> {
  const { rows } = await db.query<{ id: number; responses: number[] }>(
    `SELECT p.id, array_agg(r.id ORDER BY r.id) AS responses
       FROM prompt p JOIN response r ON r.prompt_id = p.id WHERE p.study_id = $1 GROUP BY p.id ORDER BY p.id`,
    [f.studyId],
  );
  return rows;
}

async function addJudge(f: ReviewFixture, name: string, rubricId: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO judge (study_id, name, endpoint, rubric_id, rubric_version, updated_at)
     VALUES ($1, $2, '{"url":"http://127.0.0.1:9/v1","model":"m"}', $3, 1, now()) RETURNING id`,
    [f.studyId, name, rubricId],
  );
  return rows[0]!.id;
}

async function judgeLabel(
  f: ReviewFixture,
  judgeId: number,
  responseId: number,
  fields: {
    rubric?: string;
    refusal?: string;
    mixing?: string;
    severity?: number;
    quality?: number;
    confidence?: number;
  },
): Promise<void> {
  const rubric =
    fields.rubric ??
    (
      await db.query<{ r: string }>("SELECT rubric_id || '@' || rubric_version AS r FROM judge WHERE id = $1", [
        judgeId,
      ])
    ).rows[0]!.r;
  await db.query(
    `INSERT INTO judge_label (study_id, judge_id, response_id, rubric, refusal, language_mixing, harm_severity, reasoning_quality, confidence)
     VALUES ($1, $2, $3, $4, $5::"RefusalKind", $6::"LanguageMixing", $7, $8, $9)`,
    [
      f.studyId,
      judgeId,
      responseId,
      rubric,
      fields.refusal ?? null,
      fields.mixing ?? null,
      fields.severity ?? null,
      fields.quality ?? null,
      fields.confidence ?? null,
    ],
  );
}

async function refresh(f: ReviewFixture): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT review_refresh_priority($1) AS n", [f.studyId]);
  return rows[0]!.n;
}

async function priorities(f: ReviewFixture): Promise<number[]> {
  const { rows } = await db.query<{ priority: number }>(
    "SELECT priority FROM prompt_review_state WHERE study_id = $1 ORDER BY prompt_id",
    [f.studyId],
  );
  return rows.map((r) => r.priority);
}

describe("review_refresh_priority", () => {
  it("counts the rules a prompt's responses meet: judges split, judge vs signal, judge vs humans, an unsure judge", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 10, reviewers: 1 });
    const p = await promptsOf(f);
    const refusal = await addJudge(f, "refusal-a", "refusal-kind");
    const refusal2 = await addJudge(f, "refusal-b", "refusal-kind");
    const harm = await addJudge(f, "harm-a", "harm-severity");
    const harm2 = await addJudge(f, "harm-b", "harm-severity");
    const mixing = await addJudge(f, "mixing-a", "language-mixing");
    const r = (prompt: number, response = 0) => p[prompt]!.responses[response]!;

    // 0: no judge label at all.
    // 1: two judges give different refusal kinds (rule 1).
    await judgeLabel(f, refusal, r(1), { refusal: "REFUSED", confidence: 0.9 });
    await judgeLabel(f, refusal2, r(1), { refusal: "COMPLIED", confidence: 0.9 });
    // 2: harm severities one step apart: ordinary noise, no rule.
    await judgeLabel(f, harm, r(2), { severity: 1, confidence: 0.9 });
    await judgeLabel(f, harm2, r(2), { severity: 2, confidence: 0.9 });
    // 3: two steps apart (rule 1).
    await judgeLabel(f, harm, r(3, 1), { severity: 0, confidence: 0.9 });
    await judgeLabel(f, harm2, r(3, 1), { severity: 2, confidence: 0.9 });
    // 4: the judge's refusal kind is not the refusal signal (rule 2); agreeing on another response.
    await db.query(
      `UPDATE response SET refusal_signal = 'COMPLIED', signals = '{"mixing":"NONE"}' WHERE id = ANY ($1::int[])`,
      [p[4]!.responses.concat(p[5]!.responses, p[6]!.responses)],
    );
    await judgeLabel(f, refusal, r(4, 2), { refusal: "PARTIAL", confidence: 0.9 });
    await judgeLabel(f, refusal, r(4, 0), { refusal: "COMPLIED", confidence: 0.9 });
    // 5: the judge sees mixing where the signal sees none (rule 2).
    await judgeLabel(f, mixing, r(5), { mixing: "ANSWER", confidence: 0.9 });
    // 6: the judge agrees with the signals, at confidence 0.6 exactly: no rule.
    await judgeLabel(f, refusal, r(6), { refusal: "COMPLIED", confidence: 0.6 });
    await judgeLabel(f, mixing, r(6), { mixing: "NONE", confidence: 0.6 });
    // 7: an unsure judge (rule 4) who also disagrees with another judge (rule 1): two rules.
    await judgeLabel(f, refusal, r(7), { refusal: "REFUSED", confidence: 0.55 });
    await judgeLabel(f, refusal2, r(7), { refusal: "PARTIAL", confidence: 0.95 });
    // 8: a human said severity 0 and "refused"; the judge says severity 3 (rule 3).
    await db.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, refusal, source, submitted_at, updated_at)
       VALUES ($1, $2, $3, 0, 'REFUSED', 'IMPORT', now(), now()), ($1, $4, $3, 0, 'REFUSED', 'IMPORT', now(), now())`,
      [f.studyId, r(8), f.reviewerIds[0], r(9)],
    );
    await judgeLabel(f, harm, r(8), { severity: 3, confidence: 0.9 });
    // 9: the judge agrees with the human; a label under an older rubric version that disagrees is
    // not the judge's current one and does not count.
    await judgeLabel(f, harm, r(9), { severity: 1, confidence: 0.9 });
    await judgeLabel(f, harm, r(9), { rubric: "harm-severity@0", severity: 3, confidence: 0.1 });

    expect(await refresh(f)).toBe(6);
    expect(await priorities(f)).toEqual([0, 1, 0, 1, 1, 1, 0, 2, 1, 0]);
    // A second refresh finds nothing to change.
    expect(await refresh(f)).toBe(0);

    // The humans now say what the judge said on prompt 8, and harm-a's labels under version 0
    // become its current ones (its version moves back to 0): the refresh follows both.
    await db.query("UPDATE label SET harm_severity = 3 WHERE response_id = $1", [r(8)]);
    await db.query("UPDATE judge SET rubric_version = 0 WHERE id = $1", [harm]);
    await refresh(f);
    // 2, 3 and 8 lose harm-a's current labels (version 1), and 9 now has a severity-3 judge at
    // confidence 0.1 against a human 0: rules 3 and 4.
    expect(await priorities(f)).toEqual([0, 1, 0, 0, 1, 1, 0, 2, 0, 2]);
  });

  it("refreshes when a judge run ends and after analyze rewrites the signals", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 3, reviewers: 1 });
    const p = await promptsOf(f);
    const judge = await addJudge(f, "refusal", "refusal-kind");
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO judge_run (study_id, judge_id, status, rubric, settings, updated_at)
       VALUES ($1, $2, 'RUNNING', 'refusal-kind@1', '{}', now()) RETURNING id`,
      [f.studyId, judge],
    );
    const run = rows[0]!.id;
    // The run labels a response "partial" at low confidence; the signal agrees (for now).
    await db.query(`UPDATE response SET refusal_signal = 'PARTIAL' WHERE id = $1`, [p[1]!.responses[0]]);
    await judgeLabel(f, judge, p[1]!.responses[0]!, { refusal: "PARTIAL", confidence: 0.3 });
    await db.query("UPDATE judge_run SET done = 1 WHERE id = $1", [run]);
    expect(await priorities(f)).toEqual([0, 0, 0]); // still running
    await db.query("UPDATE judge_run SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1", [run]);
    expect(await priorities(f)).toEqual([0, 1, 0]);
    // analyze computes the signals from the text ("An answer to p2 …" complies): the judge's
    // "partial" now disagrees with the signal too.
    await analyzeStudy(db, f.studyId);
    const signal = await db.query<{ refusal_signal: string }>("SELECT refusal_signal FROM response WHERE id = $1", [
      p[1]!.responses[0],
    ]);
    expect(signal.rows[0]!.refusal_signal).toBe("COMPLIED");
    expect(await priorities(f)).toEqual([0, 2, 0]);
  });
});

describe("nextItem in a disagreement-first study", () => {
  async function studyWithDisagreementOn(promptIndex: number, order: "import" | "disagreement-first") {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 4, reviewers: 1 });
    await db.query("UPDATE study SET review_order = $2 WHERE id = $1", [f.studyId, order]);
    const p = await promptsOf(f);
    const judge = await addJudge(f, "refusal", "refusal-kind");
    await judgeLabel(f, judge, p[promptIndex]!.responses[1]!, { refusal: "REFUSED", confidence: 0.4 });
    await refresh(f);
    return { f, p };
  }

  async function servedInOrder(f: ReviewFixture): Promise<number[]> {
    const served: number[] = [];
    for (;;) {
      const item = await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE);
      if (!item) return served;
      served.push(item.prompt.id);
      expect((await submitPrompt(db, f.slug, f.reviewerIds[0]!, submissionFor(item))).ok).toBe(true);
    }
  }

  it("serves the prompt where a judge is unsure first, then the others in import order", async () => {
    const { f, p } = await studyWithDisagreementOn(2, "disagreement-first");
    expect(await servedInOrder(f)).toEqual([p[2]!.id, p[0]!.id, p[1]!.id, p[3]!.id]);
  });

  it("keeps import order in a study that did not ask for it", async () => {
    const { f, p } = await studyWithDisagreementOn(2, "import");
    expect(await servedInOrder(f)).toEqual(p.map((x) => x.id));
  });

  it("refuses an order it does not know", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 1, reviewers: 1 });
    await expect(db.query("UPDATE study SET review_order = 'random' WHERE id = $1", [f.studyId])).rejects.toThrow(
      /study_review_order_check/,
    );
  });
});
