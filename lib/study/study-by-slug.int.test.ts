// The one study lookup by slug, against the demo study in a real PostgreSQL.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "../analytics/demo-study.fixture";
import { DEMO_STUDY_SLUG } from "../demo/constants";
import { DEFAULT_FAILURE_RULES } from "./failure-rules";
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
    const study = await studyBySlug(DEMO_STUDY_SLUG, pool);
    expect(study).toMatchObject({ id: studyId, slug: DEMO_STUDY_SLUG });
    expect(study?.name).toMatch(/\S/);
    expect(Object.keys(study!.rules).sort()).toEqual(Object.keys(DEFAULT_FAILURE_RULES).sort());
    expect(await studyBySlug("no-such-study", pool)).toBeNull();
    expect(await studyBySlug(DEMO_STUDY_SLUG.toUpperCase(), pool)).toBeNull();
    expect(await studyBySlug(`${DEMO_STUDY_SLUG}' OR '1'='1`, pool)).toBeNull();
  });
});
