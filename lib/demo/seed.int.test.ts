// Seeding the demo study into a real database: once, completely, and only once under concurrency.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_STUDY_SLUG, DEMO_USERS } from "./constants";
import { seedDemo } from "./seed";
import { createPool } from "../db/client";
import { reviewerProgress } from "../review/progress";
import { nextItem, skipItem } from "../review/queue";

let pools: pg.Pool[];

beforeAll(() => {
  // max 2, as `npm run demo` uses: the seed holds one connection while the importer uses another.
  pools = [0, 1].map(() => createPool(inject("databaseUrl"), 2));
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

describe("seedDemo", () => {
  it("loads the demo study once, even when two processes start at the same time", async () => {
    // Other test files seed the demo too (files share one database, in no fixed order): start without it.
    await pools[0]!.query("DELETE FROM study WHERE slug = $1", [DEMO_STUDY_SLUG]);
    const results = await Promise.all(pools.map((pool) => seedDemo(pool)));
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(await seedDemo(pools[0]!)).toEqual({ slug: DEMO_STUDY_SLUG, created: false });

    const db = pools[0]!;
    const study = (
      await db.query("SELECT id, blind, overlap, description FROM study WHERE slug = $1", [DEMO_STUDY_SLUG])
    ).rows[0];
    expect(study).toMatchObject({ blind: true, overlap: 2 });
    expect(study.description).toMatch(/synthetic/i);

    const counts = (
      await db.query(
        `SELECT (SELECT count(*) FROM prompt WHERE study_id = $1)::int AS prompts,
                (SELECT count(*) FROM checkpoint WHERE study_id = $1)::int AS checkpoints,
                (SELECT count(*) FROM response WHERE study_id = $1)::int AS responses,
                (SELECT count(*) FROM label WHERE study_id = $1)::int AS labels`,
        [study.id],
      )
    ).rows[0];
    expect(counts.prompts).toBeGreaterThanOrEqual(72);
    expect(counts.responses).toBe(counts.prompts * counts.checkpoints);
    expect(counts.labels).toBeGreaterThan(counts.responses / 2);

    const users = await db.query<{ email: string; role: string; password_hash: string | null }>(
      'SELECT email, role, password_hash FROM "user" WHERE email = ANY($1::text[])',
      [DEMO_USERS.map((u) => u.email)],
    );
    expect(users.rows).toHaveLength(DEMO_USERS.length);
    for (const u of users.rows) expect(u.password_hash).toBeNull();

    // Every label belongs to a demo reviewer, on a response of the study, in the last 10 days.
    const labels = (
      await db.query(
        `SELECT count(DISTINCT l.reviewer_id)::int AS reviewers,
                bool_and(r.study_id = l.study_id) AS same_study,
                bool_and(l.submitted_at > now() AT TIME ZONE 'UTC' - interval '10 days' AND l.submitted_at < now() AT TIME ZONE 'UTC') AS recent,
                bool_and(l.created_at <= l.submitted_at) AS ordered,
                count(*) FILTER (WHERE l.version = 1 AND l.source = 'REVIEW')::int AS review_v1,
                count(*)::int AS total
           FROM label l JOIN response r ON r.id = l.response_id WHERE l.study_id = $1`,
        [study.id],
      )
    ).rows[0];
    expect(labels).toMatchObject({
      reviewers: 2,
      same_study: true,
      recent: true,
      ordered: true,
      review_v1: labels.total,
    });

    // Some prompts still need a reviewer: the queue has work.
    const unlabelled = (
      await db.query(
        `SELECT count(*)::int AS n FROM prompt p WHERE p.study_id = $1
            AND NOT EXISTS (SELECT 1 FROM response r JOIN label l ON l.response_id = r.id WHERE r.prompt_id = p.id)`,
        [study.id],
      )
    ).rows[0].n;
    expect(unlabelled).toBeGreaterThan(0);

    // The review workspace: a demo reviewer gets a prompt they have not labelled, sees a time per
    // item, and the study's progress counts prompts labelled by both demo reviewers as complete.
    const reviewer1 = (
      await db.query<{ id: number }>('SELECT id FROM "user" WHERE email = $1', [
        DEMO_USERS.find((u) => u.role === "REVIEWER")!.email,
      ])
    ).rows[0]!.id;
    const item = (await nextItem(db, DEMO_STUDY_SLUG, reviewer1, 60))!;
    expect(item.responses.length).toBe(counts.checkpoints);
    expect(item.labels).toEqual([]);
    const progress = (await reviewerProgress(db, DEMO_STUDY_SLUG, reviewer1))!;
    expect(progress.medianSecondsPerItem).toBeGreaterThan(0);
    expect(progress.studyPrompts).toBe(counts.prompts);
    expect(progress.studyPromptsComplete).toBeGreaterThan(counts.prompts * 0.4);
    expect(progress.promptsDone).toBeLessThan(progress.promptsTotalForYou);
    await skipItem(db, DEMO_STUDY_SLUG, reviewer1, item.prompt.id);

    // Members: the demo researcher and both demo reviewers belong to the demo study; the admin needs no row.
    const members = await db.query<{ email: string; role: string }>(
      `SELECT u.email, m.role::text AS role FROM study_member m JOIN "user" u ON u.id = m.user_id
        WHERE m.study_id = $1 ORDER BY u.email`,
      [study.id],
    );
    expect(members.rows).toEqual(
      DEMO_USERS.filter((u) => u.role !== "ADMIN")
        .map((u) => ({ email: u.email, role: u.role }))
        .sort((a, b) => a.email.localeCompare(b.email)),
    );
  });
});
