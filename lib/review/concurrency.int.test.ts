// Twenty reviewers on one study at once, each on a connection of its own, looping next → submit
// until the queue is empty: the overlap holds (no prompt is served to more reviewers than it
// needs) and every submitted label is stored exactly once (none lost, none doubled). The same in a
// disagreement-first study whose priorities are rewritten by review_refresh_priority mid-race.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { createReviewStudy, submissionFor } from "./fixtures";
import { nextItem } from "./queue";
import { submitPrompt } from "./submit";

const REVIEWERS = 20;
let admin: pg.Pool;
const pools: pg.Pool[] = [];

beforeAll(() => {
  admin = createPool(inject("databaseUrl"), 2);
  for (let i = 0; i < REVIEWERS; i++) pools.push(createPool(inject("databaseUrl"), 1));
});
afterAll(async () => {
  await Promise.all([admin, ...pools].map((p) => p.end()));
});

async function race(overlap: number, prompts: number, order: "import" | "disagreement-first") {
  const f = await createReviewStudy(admin, {
    slug: `race-${overlap}-${order}-${Date.now().toString(36)}`,
    prompts,
    reviewers: REVIEWERS,
    overlap,
  });
  let refreshed: Promise<unknown> = Promise.resolve();
  if (order === "disagreement-first") {
    await admin.query("UPDATE study SET review_order = 'disagreement-first' WHERE id = $1", [f.studyId]);
    // Priorities with no judge label behind them: the refresh that runs during the race sets them
    // all back to 0, locking the rows that "next" locks and re-checks.
    await admin.query("UPDATE prompt_review_state SET priority = prompt_id % 4 WHERE study_id = $1", [f.studyId]);
    refreshed = new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
      admin.query("SELECT review_refresh_priority($1)", [f.studyId]),
    );
  }
  const served = new Map<number, number[]>();
  const submitted: { reviewer: number; promptId: number; labels: number }[] = [];
  await Promise.all(
    f.reviewerIds.map(async (reviewer, i) => {
      const db = pools[i]!;
      for (;;) {
        const item = await nextItem(db, f.slug, reviewer, 1800);
        if (!item) return;
        served.set(item.prompt.id, [...(served.get(item.prompt.id) ?? []), reviewer]);
        const result = await submitPrompt(db, f.slug, reviewer, submissionFor(item, { note: `by ${reviewer}` }));
        if (!result.ok) throw new Error(`submit failed: ${JSON.stringify(result)}`);
        submitted.push({ reviewer, promptId: item.prompt.id, labels: result.saved.length });
      }
    }),
  );
  await refreshed;
  return { f, served, submitted };
}

describe("twenty reviewers at once", () => {
  for (const [overlap, prompts, order] of [
    [1, 80, "import"],
    [3, 40, "import"],
    [2, 60, "disagreement-first"],
  ] as const) {
    it(`overlap ${overlap}, ${order} order: every prompt gets exactly ${overlap} reviewer(s), every label stored once`, async () => {
      const { f, served, submitted } = await race(overlap, prompts, order);
      // Served: every prompt, to exactly `overlap` distinct reviewers, never one reviewer twice.
      expect(served.size).toBe(prompts);
      for (const reviewers of served.values()) {
        expect(reviewers).toHaveLength(overlap);
        expect(new Set(reviewers).size).toBe(overlap);
      }
      expect(submitted).toHaveLength(prompts * overlap);
      // Stored: one label per submitted (response, reviewer), each with its reviewer's note, version 1.
      const { rows } = await admin.query<{
        prompt_id: number;
        reviewer_id: number;
        n: number;
        notes_ok: boolean;
        max_version: number;
      }>(
        `SELECT r.prompt_id, l.reviewer_id, count(*)::int AS n, bool_and(l.note = 'by ' || l.reviewer_id) AS notes_ok, max(l.version) AS max_version
           FROM label l JOIN response r ON r.id = l.response_id WHERE l.study_id = $1
          GROUP BY r.prompt_id, l.reviewer_id`,
        [f.studyId],
      );
      expect(rows).toHaveLength(submitted.length);
      const stored = new Map(rows.map((r) => [`${r.prompt_id}:${r.reviewer_id}`, r]));
      for (const s of submitted) {
        expect(stored.get(`${s.promptId}:${s.reviewer}`)).toMatchObject({
          n: s.labels,
          notes_ok: true,
          max_version: 1,
        });
      }
      const state = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM prompt_review_state WHERE study_id = $1 AND completed_reviewers = $2",
        [f.studyId, overlap],
      );
      expect(state.rows[0]!.n).toBe(prompts);
      const leases = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM review_lease WHERE study_id = $1",
        [f.studyId],
      );
      expect(leases.rows[0]!.n).toBe(0);
      if (order === "disagreement-first") {
        // The refresh ran, and took every priority back to 0.
        const raised = await admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM prompt_review_state WHERE study_id = $1 AND priority <> 0",
          [f.studyId],
        );
        expect(raised.rows[0]!.n).toBe(0);
      }
    });
  }
});
