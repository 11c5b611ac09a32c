// The one study lookup by slug, against the demo study in a real PostgreSQL.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "../analytics/demo-study.fixture";
import { DEMO_STUDY_SLUG } from "../demo/constants";
import { DEFAULT_FAILURE_RULES } from "./failure-rules";
import { COMMAND_LINE_VIEWER } from "./access";
import { studyBySlug } from "./study-by-slug";

let pool: pg.Pool;
let studyId: number;

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await pool.end();
});

describe("studyBySlug", () => {
  it("finds a study with its id, name and failure rules, and nothing for an unknown or look-alike slug", async () => {
    const study = await studyBySlug(DEMO_STUDY_SLUG, COMMAND_LINE_VIEWER, pool);
    expect(study).toMatchObject({ id: studyId, slug: DEMO_STUDY_SLUG });
    expect(study?.name).toMatch(/\S/);
    expect(Object.keys(study!.rules).sort()).toEqual(Object.keys(DEFAULT_FAILURE_RULES).sort());
    expect(await studyBySlug("no-such-study", COMMAND_LINE_VIEWER, pool)).toBeNull();
    expect(await studyBySlug(DEMO_STUDY_SLUG.toUpperCase(), COMMAND_LINE_VIEWER, pool)).toBeNull();
    expect(await studyBySlug(`${DEMO_STUDY_SLUG}' OR '1'='1`, COMMAND_LINE_VIEWER, pool)).toBeNull();
  });

  it("finds it for admins and members only, with their role in it, and nothing for anyone else", async () => {
    const made = async (role: string) =>
      (
        await pool.query<{ id: number }>(
          `INSERT INTO "user" (email, role, updated_at) VALUES ($1, $2::"Role", now()) RETURNING id`,
          [`sbs-${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}@example.test`, role],
        )
      ).rows[0]!.id;
    const [admin, researcher, outsider] = [await made("ADMIN"), await made("RESEARCHER"), await made("RESEARCHER")];
    await pool.query(`INSERT INTO study_member (study_id, user_id, role) VALUES ($1, $2, 'REVIEWER')`, [
      studyId,
      researcher,
    ]);
    expect(await studyBySlug(DEMO_STUDY_SLUG, { id: admin, role: "ADMIN" }, pool)).toMatchObject({
      role: "ADMIN",
      studyRole: null,
    });
    // A researcher account that is the study's reviewer acts as a reviewer there.
    expect(await studyBySlug(DEMO_STUDY_SLUG, { id: researcher, role: "RESEARCHER" }, pool)).toMatchObject({
      role: "REVIEWER",
      studyRole: "REVIEWER",
    });
    expect(await studyBySlug(DEMO_STUDY_SLUG, { id: outsider, role: "RESEARCHER" }, pool)).toBeNull();
    // A reviewer account that is somehow a study's researcher stays a reviewer.
    const reviewer = await made("REVIEWER");
    await pool.query(`INSERT INTO study_member (study_id, user_id, role) VALUES ($1, $2, 'RESEARCHER')`, [
      studyId,
      reviewer,
    ]);
    expect(await studyBySlug(DEMO_STUDY_SLUG, { id: reviewer, role: "REVIEWER" }, pool)).toMatchObject({
      role: "REVIEWER",
    });
    await pool.query("DELETE FROM study_member WHERE user_id = ANY($1::int[])", [[researcher, reviewer]]);
  });
});
