// Loads the synthetic demo study into a database that does not have it yet: the responses through
// the normal importer (so the demo exercises the same path as real data), then, in one
// transaction, the study settings, the demo users and the demo reviewers' labels.
import fs from "node:fs";
import type pg from "pg";
import { analyzeStudy } from "../analysis/analyze-study";
import { join, param, sql } from "../db/sql";
import { importResponses } from "../import/pipeline";
import { labelColumns, labelValueParams } from "../labels/label-sql";
import { DEMO_FILE, DEMO_FILE_NAME, DEMO_STUDY_NAME, DEMO_STUDY_SLUG, DEMO_USERS } from "./constants";
import { buildDemoLabels, type DemoLabel, type LabelSourceRow } from "./demo-labels";

/** Serialises concurrent seeders (two `npm run demo` sharing one embedded server). "PLXD", 1. */
const SEED_LOCK = [0x504c5844, 1] as const;
const LABEL_BATCH = 500;

export async function seedDemo(pool: pg.Pool): Promise<{ slug: string; created: boolean }> {
  // One connection holds the lock and runs the final transaction; the importer takes its own, so
  // the pool must allow at least two connections.
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1, $2)", [...SEED_LOCK]);
    const existing = await client.query("SELECT 1 FROM study WHERE slug = $1", [DEMO_STUDY_SLUG]);
    if (existing.rowCount) return { slug: DEMO_STUDY_SLUG, created: false };

    const rows = readDemoRows();
    const summary = await importResponses(pool, {
      studySlug: DEMO_STUDY_SLUG,
      createStudyName: DEMO_STUDY_NAME,
      fileName: DEMO_FILE_NAME,
      format: "jsonl",
      source: fs.createReadStream(DEMO_FILE),
    });
    if (summary.status !== "succeeded" || summary.studyId === null) {
      const shown = summary.errors
        .slice(0, 5)
        .map((e) => `line ${e.line}${e.field ? ` (${e.field})` : ""}: ${e.message}`);
      throw new Error(
        `The demo study was rejected by the importer: ${shown.join("; ")}${summary.errors.length > 5 ? " …" : ""}`,
      );
    }

    const studyId = summary.studyId;
    try {
      await client.query("BEGIN");
      await completeDemoStudy(client, studyId, rows, new Date());
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      // A study without its labels would be taken for a finished demo on the next start: remove it
      // so that the next start tries again.
      await client.query("DELETE FROM study WHERE id = $1", [studyId]).catch(() => {});
      throw error;
    }
    // The automatic signals (language spans, refusal and format hints), as `parallax analyze` does.
    await analyzeStudy(pool, studyId);
    return { slug: DEMO_STUDY_SLUG, created: true };
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1, $2)", [...SEED_LOCK]).catch(() => {});
    client.release(broken);
  }
}

function readDemoRows(): LabelSourceRow[] {
  if (!fs.existsSync(DEMO_FILE))
    throw new Error(
      `The demo data file ${DEMO_FILE} is missing; generate it with \`npx tsx lib/demo/build-demo-data.ts\`.`,
    );
  return fs
    .readFileSync(DEMO_FILE, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabelSourceRow);
}

/** Study settings, demo users and labels; runs inside the caller's transaction. */
export async function completeDemoStudy(
  client: pg.PoolClient,
  studyId: number,
  rows: LabelSourceRow[],
  now: Date,
): Promise<{ labels: number }> {
  const prompts = new Set(rows.map((r) => r.prompt_id)).size;
  const checkpoints = new Set(rows.map((r) => r.checkpoint)).size;
  const description =
    `Synthetic demo data shipped with Parallax — not measurements of any real model. ${prompts} hand-written prompts ` +
    `(eight harm categories plus benign controls; in-distribution, out-of-distribution, jailbreak and multilingual splits) ` +
    `answered by ${checkpoints} invented checkpoints: a base model, an SFT-only distillation, pure RL at steps 2,000 and 8,000, ` +
    `and a hybrid cold-start SFT + RL model. Responses are templated and harmful content is replaced by placeholders; ` +
    `the two demo reviewers' labels are generated.`;
  await client.query(
    "UPDATE study SET description = $2, blind = true, overlap = 2, updated_at = now() AT TIME ZONE 'UTC' WHERE id = $1",
    [studyId, description],
  );

  const userValues = DEMO_USERS.map(
    (_, i) =>
      `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::"Role", now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')`,
  ).join(", ");
  await client.query(
    `INSERT INTO "user" (email, name, role, created_at, updated_at) VALUES ${userValues} ON CONFLICT (email) DO NOTHING`,
    DEMO_USERS.flatMap((u) => [u.email, u.name, u.role]),
  );
  const users = await client.query<{ id: number; email: string }>(
    'SELECT id, email FROM "user" WHERE email = ANY($1::text[])',
    [DEMO_USERS.map((u) => u.email)],
  );
  const userId = new Map(users.rows.map((u) => [u.email, u.id]));
  // The demo researcher and both demo reviewers are members of the demo study, in their demo roles
  // (admins see every study without being members). Decided by the demo's own list, not by the
  // accounts' current roles: an admin account demoted meanwhile does not become a member, and a
  // demo researcher demoted to reviewer is not given more in the study than their account allows.
  const members = DEMO_USERS.filter((u) => u.role !== "ADMIN");
  await client.query(
    `INSERT INTO study_member (study_id, user_id, role)
     SELECT $1, u.id, d.role::"StudyRole"
       FROM unnest($2::text[], $3::text[]) AS d(email, role) JOIN "user" u ON u.email = d.email
      WHERE u.role IN ('RESEARCHER', 'REVIEWER') AND NOT (u.role = 'REVIEWER' AND d.role = 'RESEARCHER')
     ON CONFLICT (study_id, user_id) DO NOTHING`,
    [studyId, members.map((u) => u.email), members.map((u) => u.role)],
  );

  const responses = await client.query<{ id: number; key: string; checkpoint: string; sample_index: number }>(
    `SELECT r.id, p.key, c.name AS checkpoint, r.sample_index
       FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id
      WHERE r.study_id = $1`,
    [studyId],
  );
  const responseId = new Map(responses.rows.map((r) => [`${r.key}\u0000${r.checkpoint}\u0000${r.sample_index}`, r.id]));

  const labels = buildDemoLabels(rows);
  for (let start = 0; start < labels.length; start += LABEL_BATCH) {
    await insertLabels(client, studyId, labels.slice(start, start + LABEL_BATCH), userId, responseId, now);
  }
  // The review workspace's time per item: each demo prompt a reviewer labelled took the sum of the
  // times spent on its responses (capped like the workspace's own, at two hours).
  await client.query(
    `INSERT INTO review_item (prompt_id, reviewer_id, study_id, first_opened_at, submitted_at, last_submitted_at, elapsed_ms)
     SELECT r.prompt_id, l.reviewer_id, $1, min(l.created_at), max(l.submitted_at), max(l.submitted_at),
            LEAST(round(sum(extract(epoch FROM l.submitted_at - l.created_at)) * 1000), 7200000)::int
       FROM label l JOIN response r ON r.id = l.response_id
      WHERE l.study_id = $1 AND l.submitted_at IS NOT NULL
      GROUP BY r.prompt_id, l.reviewer_id
     ON CONFLICT (prompt_id, reviewer_id) DO NOTHING`,
    [studyId],
  );
  return { labels: labels.length };
}

async function insertLabels(
  client: pg.PoolClient,
  studyId: number,
  labels: DemoLabel[],
  userId: Map<string, number>,
  responseId: Map<string, number>,
  now: Date,
): Promise<void> {
  // Timestamps are stored as UTC wall time, as Prisma does for timestamp(3).
  const utc = (date: Date) => sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const study = param(studyId);
  const tuples = labels.map((label) => {
    const response = responseId.get(`${label.promptKey}\u0000${label.checkpoint}\u0000${label.sampleIndex}`);
    if (response === undefined)
      throw new Error(`The demo label for ${label.promptKey} / ${label.checkpoint} has no imported response.`);
    const reviewer = userId.get(label.reviewerEmail);
    if (reviewer === undefined) throw new Error(`The demo reviewer ${label.reviewerEmail} was not created.`);
    const submitted = new Date(now.getTime() - label.submittedSecondsAgo * 1000);
    const created = new Date(submitted.getTime() - label.secondsToSubmit * 1000);
    return sql`(${study}::int, ${response}::int, ${reviewer}::int, ${labelValueParams(label)}, ${utc(submitted)}, ${utc(created)}, ${utc(submitted)}, 1, 'REVIEW')`;
  });
  await client.query(
    sql`INSERT INTO label (study_id, response_id, reviewer_id, ${labelColumns()}, submitted_at, created_at, updated_at, version, source)
        VALUES ${join(tuples)}`.toQuery(),
  );
}
