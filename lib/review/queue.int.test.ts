// The queue against a real PostgreSQL: what "next" serves, leases, skips, overlap, and the
// completion count that imported labels and later responses change.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { createReviewStudy, sampleLabel, submissionFor } from "./fixtures";
import { openItem } from "./item";
import { nextItem, skipItem } from "./queue";
import { submitPrompt } from "./submit";

const LEASE = 1800;
let db: pg.Pool;
let counter = 0;
const slug = () => `queue-${++counter}-${Date.now().toString(36)}`;

beforeAll(() => {
  db = createPool(inject("databaseUrl"), 6);
});
afterAll(async () => {
  await db.end();
});

async function expireLeases(promptId: number) {
  await db.query(
    "UPDATE review_lease SET expires_at = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE prompt_id = $1",
    [promptId],
  );
}

describe("nextItem", () => {
  it("serves a blind item: letters, no checkpoint names or strategies, no response ids", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 3, reviewers: 1 });
    const item = (await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE))!;
    expect(item.responses.map((r) => r.letter)).toEqual(["A", "B", "C"]);
    const json = JSON.stringify(item);
    for (const word of ["ckpt-", "SFT", "HYBRID", "checkpoint", "strategy"]) expect(json).not.toContain(word);
    const { rows } = await db.query<{ id: number }>("SELECT id FROM response WHERE prompt_id = $1", [item.prompt.id]);
    for (const r of item.responses) expect(rows.map((x) => x.id)).not.toContain(r.id);
    expect(item.lease).not.toBeNull();
    expect(new Date(item.lease!.expiresAt).getTime()).toBeGreaterThan(Date.now() + (LEASE - 60) * 1000);
    expect(Math.abs(new Date(item.startedAt).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("gives a reviewer who reloads the prompt they hold, and others a different one", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 3, reviewers: 2 });
    const first = (await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE))!;
    const again = (await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE))!;
    expect(again.prompt.id).toBe(first.prompt.id);
    expect(again.responses).toEqual(first.responses);
    const other = (await nextItem(db, f.slug, f.reviewerIds[1]!, LEASE))!;
    expect(other.prompt.id).not.toBe(first.prompt.id);
  });

  it("serves a prompt again once the lease of a reviewer who left it has expired", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 1, reviewers: 2 });
    const held = (await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE))!;
    expect(await nextItem(db, f.slug, f.reviewerIds[1]!, LEASE)).toBeNull();
    await expireLeases(held.prompt.id);
    const item = await nextItem(db, f.slug, f.reviewerIds[1]!, LEASE);
    expect(item?.prompt.id).toBe(held.prompt.id);
  });

  it("holds a prompt for the lease's length, then lets it go without anyone releasing it", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 1, reviewers: 2 });
    const SHORT = 90;
    const held = (await nextItem(db, f.slug, f.reviewerIds[0]!, SHORT))!;
    // The lease ends SHORT seconds after it was taken, by the database's clock (a bound generous
    // enough for a busy machine: the two timestamps come from one statement or two).
    const { rows } = await db.query<{ seconds: number }>(
      "SELECT extract(epoch FROM expires_at - leased_at)::float8 AS seconds FROM review_lease WHERE prompt_id = $1 AND reviewer_id = $2",
      [held.prompt.id, f.reviewerIds[0]],
    );
    expect(rows[0]!.seconds).toBeGreaterThanOrEqual(SHORT - 1);
    expect(rows[0]!.seconds).toBeLessThan(SHORT + 30);
    expect(await nextItem(db, f.slug, f.reviewerIds[1]!, LEASE)).toBeNull();
    // Those seconds pass (the lease is moved back by its length rather than waited for).
    await db.query(
      "UPDATE review_lease SET leased_at = leased_at - make_interval(secs => $2), expires_at = expires_at - make_interval(secs => $2) WHERE prompt_id = $1",
      [held.prompt.id, SHORT],
    );
    expect((await nextItem(db, f.slug, f.reviewerIds[1]!, LEASE))?.prompt.id).toBe(held.prompt.id);
    // The first reviewer's lease is gone: they are not served the prompt the second one holds.
    expect(await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE)).toBeNull();
  });

  it("releases a skipped prompt to others and does not serve it to the skipper again", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 2, reviewers: 2 });
    const [a, b] = f.reviewerIds as [number, number];
    const first = (await nextItem(db, f.slug, a, LEASE))!;
    await skipItem(db, f.slug, a, first.prompt.id);
    const second = (await nextItem(db, f.slug, a, LEASE))!;
    expect(second.prompt.id).not.toBe(first.prompt.id);
    // b gets the skipped prompt (a holds the other one now).
    expect((await nextItem(db, f.slug, b, LEASE))?.prompt.id).toBe(first.prompt.id);
    expect((await submitPrompt(db, f.slug, a, submissionFor(second))).ok).toBe(true);
    // Nothing left for a: the other prompt is skipped by a and held by b.
    expect(await nextItem(db, f.slug, a, LEASE)).toBeNull();
  });

  it("respects the overlap: leases and completed reviewers together never exceed it", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 1, reviewers: 3, overlap: 2 });
    const [a, b, c] = f.reviewerIds as [number, number, number];
    const itemA = (await nextItem(db, f.slug, a, LEASE))!;
    const itemB = (await nextItem(db, f.slug, b, LEASE))!;
    expect(itemB.prompt.id).toBe(itemA.prompt.id);
    expect(await nextItem(db, f.slug, c, LEASE)).toBeNull();
    expect((await submitPrompt(db, f.slug, a, submissionFor(itemA))).ok).toBe(true);
    expect(await nextItem(db, f.slug, c, LEASE)).toBeNull(); // one done + b's lease
    expect(await nextItem(db, f.slug, a, LEASE)).toBeNull(); // a has done it
    expect((await submitPrompt(db, f.slug, b, submissionFor(itemB))).ok).toBe(true);
    expect(await nextItem(db, f.slug, c, LEASE)).toBeNull(); // complete
    const state = await db.query("SELECT completed_reviewers FROM prompt_review_state WHERE prompt_id = $1", [
      itemA.prompt.id,
    ]);
    expect(state.rows[0].completed_reviewers).toBe(2);
  });

  it("counts imported labels toward the overlap", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 2, reviewers: 2 });
    const { rows: prompts } = await db.query<{ id: number }>("SELECT id FROM prompt WHERE study_id = $1 ORDER BY id", [
      f.studyId,
    ]);
    await db.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, source, submitted_at, updated_at)
       SELECT $1, r.id, $2, 0, 'IMPORT', now(), now() FROM response r WHERE r.prompt_id = $3`,
      [f.studyId, f.reviewerIds[1], prompts[0]!.id],
    );
    const item = (await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE))!;
    expect(item.prompt.id).toBe(prompts[1]!.id);
    expect((await submitPrompt(db, f.slug, f.reviewerIds[0]!, submissionFor(item))).ok).toBe(true);
    expect(await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE)).toBeNull();
  });

  it("serves a completed prompt again to its reviewer when a new checkpoint's response arrives", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 1, reviewers: 1 });
    const reviewer = f.reviewerIds[0]!;
    const item = (await nextItem(db, f.slug, reviewer, LEASE))!;
    expect((await submitPrompt(db, f.slug, reviewer, submissionFor(item))).ok).toBe(true);
    expect(await nextItem(db, f.slug, reviewer, LEASE)).toBeNull();
    const ckpt = await db.query<{ id: number }>(
      "INSERT INTO checkpoint (study_id, name, strategy) VALUES ($1, 'late', 'RL') RETURNING id",
      [f.studyId],
    );
    await db.query(
      "INSERT INTO response (study_id, prompt_id, checkpoint_id, answer, source_shape) VALUES ($1, $2, $3, 'late answer', 'fields')",
      [f.studyId, item.prompt.id, ckpt.rows[0]!.id],
    );
    const again = (await nextItem(db, f.slug, reviewer, LEASE))!;
    expect(again.prompt.id).toBe(item.prompt.id);
    expect(again.responses).toHaveLength(4);
    expect(again.labels).toHaveLength(3);
    // Labelling only the new response completes it again.
    const fresh = again.responses.find((r) => !again.labels.some((l) => l.responseId === r.id))!;
    const result = await submitPrompt(db, f.slug, reviewer, {
      promptId: item.prompt.id,
      labels: [{ responseId: fresh.id, baseVersion: null, fields: sampleLabel() }],
      preference: null,
    });
    expect(result.ok).toBe(true);
    expect(await nextItem(db, f.slug, reviewer, LEASE)).toBeNull();
  });

  it("keeps the completion count equal to a recount whatever writes labels and responses", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 4, reviewers: 3 });
    const recount = async () => {
      const { rows } = await db.query<{ stored: number; fresh: number }>(
        `SELECT s.completed_reviewers AS stored,
                (SELECT count(*)::int FROM (SELECT l.reviewer_id FROM response r JOIN label l ON l.response_id = r.id AND l.submitted_at IS NOT NULL
                                             WHERE r.prompt_id = s.prompt_id GROUP BY l.reviewer_id
                                            HAVING count(*) = (SELECT count(*) FROM response r2 WHERE r2.prompt_id = s.prompt_id)) d) AS fresh
           FROM prompt_review_state s WHERE s.study_id = $1 ORDER BY s.prompt_id`,
        [f.studyId],
      );
      for (const r of rows) expect(r.stored).toBe(r.fresh);
      return rows.map((r) => r.stored);
    };
    expect(await recount()).toEqual([0, 0, 0, 0]);
    // Drafts (unsubmitted label rows) of two reviewers on every response: nothing complete.
    await db.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, updated_at)
       SELECT $1, r.id, u, now() FROM response r CROSS JOIN unnest($2::int[]) u WHERE r.study_id = $1`,
      [f.studyId, f.reviewerIds.slice(0, 2)],
    );
    expect(await recount()).toEqual([0, 0, 0, 0]);
    // Submitted all at once: two reviewers on every prompt.
    await db.query("UPDATE label SET submitted_at = now() WHERE study_id = $1", [f.studyId]);
    expect(await recount()).toEqual([2, 2, 2, 2]);
    // One label withdrawn, one deleted, one response deleted (its labels go with it).
    const { rows: prompts } = await db.query<{ id: number }>("SELECT id FROM prompt WHERE study_id = $1 ORDER BY id", [
      f.studyId,
    ]);
    await db.query(
      "UPDATE label SET submitted_at = NULL WHERE reviewer_id = $1 AND response_id = (SELECT min(id) FROM response WHERE prompt_id = $2)",
      [f.reviewerIds[0], prompts[0]!.id],
    );
    await db.query(
      "DELETE FROM label WHERE reviewer_id = $1 AND response_id = (SELECT min(id) FROM response WHERE prompt_id = $2)",
      [f.reviewerIds[1], prompts[1]!.id],
    );
    await db.query("DELETE FROM response WHERE id = (SELECT min(id) FROM response WHERE prompt_id = $1)", [
      prompts[2]!.id,
    ]);
    expect(await recount()).toEqual([1, 1, 2, 2]);
    // A new response to the last prompt: nobody has labelled it yet.
    const late = await db.query<{ id: number }>(
      "INSERT INTO checkpoint (study_id, name, strategy) VALUES ($1, 'late', 'RL') RETURNING id",
      [f.studyId],
    );
    await db.query(
      "INSERT INTO response (study_id, prompt_id, checkpoint_id, answer, source_shape) VALUES ($1, $2, $3, 'late', 'fields')",
      [f.studyId, prompts[3]!.id, late.rows[0]!.id],
    );
    expect(await recount()).toEqual([1, 1, 2, 0]);
  });

  it("shuffles blind studies per reviewer, stably, and keeps checkpoint order otherwise", async () => {
    const blind = await createReviewStudy(db, {
      slug: slug(),
      prompts: 30,
      reviewers: 1,
      responsesPerPrompt: 4,
      overlap: 1,
    });
    const reviewer = blind.reviewerIds[0]!;
    const firsts = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const item = (await nextItem(db, blind.slug, reviewer, LEASE))!;
      const reopened = (await openItem(db, blind.slug, reviewer, item.prompt.id, LEASE))!;
      expect(reopened.responses.map((r) => r.answer)).toEqual(item.responses.map((r) => r.answer));
      const { rows } = await db.query<{ answer: string }>(
        "SELECT answer FROM response WHERE prompt_id = $1 ORDER BY checkpoint_id",
        [item.prompt.id],
      );
      firsts.add(rows.findIndex((r) => r.answer === item.responses[0]!.answer).toString());
      await submitPrompt(db, blind.slug, reviewer, submissionFor(item));
    }
    expect(firsts.size).toBeGreaterThan(2); // every checkpoint shows up first somewhere

    const open = await createReviewStudy(db, { slug: slug(), prompts: 2, reviewers: 1, blind: false });
    const item = (await nextItem(db, open.slug, open.reviewerIds[0]!, LEASE))!;
    const { rows } = await db.query<{ answer: string }>(
      "SELECT answer FROM response WHERE prompt_id = $1 ORDER BY checkpoint_id",
      [item.prompt.id],
    );
    expect(item.responses.map((r) => r.answer)).toEqual(rows.map((r) => r.answer));
  });

  it("hides signals unless the study shows them", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 1, reviewers: 1, showSignals: false });
    await db.query(
      `UPDATE response SET signals = '{"answer": {"dominant": "en", "spans": [{"start": 0, "end": 2, "lang": "zh"}], "mixScore": 0.5}, "mixing": "ANSWER", "hints": []}'
        WHERE study_id = $1`,
      [f.studyId],
    );
    const hidden = (await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE))!;
    expect(hidden.responses.every((r) => r.signals === null)).toBe(true);
    await db.query("UPDATE study SET show_signals = true WHERE id = $1", [f.studyId]);
    const shown = (await openItem(db, f.slug, f.reviewerIds[0]!, hidden.prompt.id, LEASE))!;
    expect(shown.responses[0]!.signals).toEqual({
      reasoning: null,
      answer: { dominant: "en", spans: [{ start: 0, end: 2, lang: "zh" }], mixScore: 0.5 },
      mixing: "ANSWER",
      refusal: null,
      hints: [],
    });
  });

  it("opens only prompts served to the reviewer", async () => {
    const f = await createReviewStudy(db, { slug: slug(), prompts: 2, reviewers: 2 });
    const item = (await nextItem(db, f.slug, f.reviewerIds[0]!, LEASE))!;
    expect(await openItem(db, f.slug, f.reviewerIds[1]!, item.prompt.id, LEASE)).toBeNull();
    expect(await openItem(db, "no-such-study", f.reviewerIds[0]!, item.prompt.id, LEASE)).toBeNull();
  });
});
