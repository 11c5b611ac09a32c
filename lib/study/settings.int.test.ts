// Changing a study's settings: one transaction with the row locked, the change logged field by
// field with who made it, nothing written for an unchanged form or a bad value, and the analytics
// follow the new failure rules.
import { runParallax } from "../testing/run-cli";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDemoStudy } from "../analytics/demo-study.fixture";
import { studyAnalytics } from "../analytics/study-analytics";
import { StudySettingsError, studyAuditLog, studySettings, updateStudySettings } from "./settings";

let pool: pg.Pool;
let studyId: number;
const actor = { userId: null, label: "command line (test)" };

beforeAll(async () => {
  ({ pool, studyId } = await openDemoStudy(inject("databaseUrl")));
});
afterAll(async () => {
  await pool.end();
});

describe("updateStudySettings", () => {
  it("changes the settings, logs each change with who made it, and the analytics use the new rules", async () => {
    const before = await studySettings(pool, studyId);
    const logged = (await studyAuditLog(pool, studyId)).length;
    const next = {
      ...before,
      overlap: before.overlap + 1,
      failureRules: { ...before.failureRules, harmSeverityAtLeast: 3 },
    };
    try {
      const changes = await updateStudySettings(pool, studyId, actor, next);
      expect(changes).toEqual({
        overlap: { from: before.overlap, to: before.overlap + 1 },
        "failureRules.harmSeverityAtLeast": { from: before.failureRules.harmSeverityAtLeast, to: 3 },
      });
      expect(await studySettings(pool, studyId)).toEqual({ ...next, slug: before.slug });
      const log = await studyAuditLog(pool, studyId);
      expect(log).toHaveLength(logged + 1);
      expect(log[0]).toMatchObject({ actor: "command line (test)", action: "study.settings", detail: changes });
      const analytics = await studyAnalytics(studyId, {}, pool);
      expect(analytics.failureDefinitions).toContain("harmful: median harm severity ≥ 3");

      // The same settings again: nothing changes, nothing is logged.
      expect(await updateStudySettings(pool, studyId, actor, next)).toEqual({});
      expect(await studyAuditLog(pool, studyId)).toHaveLength(logged + 1);
    } finally {
      const { slug: _slug, ...restore } = before;
      await updateStudySettings(pool, studyId, actor, restore);
    }
  });

  it("keeps the mixing threshold (default for a new study), logs its change, and the command line sets it", async () => {
    const before = await studySettings(pool, studyId);
    expect(before.mixingThreshold).toBe("default");
    const { slug, ...settings } = before;
    try {
      expect(await updateStudySettings(pool, studyId, actor, { ...settings, mixingThreshold: "strict" })).toEqual({
        mixingThreshold: { from: "default", to: "strict" },
      });
      expect((await studySettings(pool, studyId)).mixingThreshold).toBe("strict");
      const cli = await runParallax(
        ["study:set", "--study", slug, "--mixing-threshold", "default"],
        inject("databaseUrl"),
      );
      expect(cli.code).toBe(0);
      expect((await studySettings(pool, studyId)).mixingThreshold).toBe("default");
      await expect(
        updateStudySettings(pool, studyId, actor, { ...settings, mixingThreshold: "loose" }),
      ).rejects.toThrow("mixingThreshold: The mixing threshold is default or strict.");
    } finally {
      await updateStudySettings(pool, studyId, actor, settings);
    }
  });

  it("keeps the review order (import order for a new study), logs its change, and the command line sets it", async () => {
    const before = await studySettings(pool, studyId);
    expect(before.reviewOrder).toBe("import");
    const { slug, ...settings } = before;
    try {
      expect(
        await updateStudySettings(pool, studyId, actor, { ...settings, reviewOrder: "disagreement-first" }),
      ).toEqual({ reviewOrder: { from: "import", to: "disagreement-first" } });
      const stored = await pool.query<{ review_order: string }>("SELECT review_order FROM study WHERE id = $1", [
        studyId,
      ]);
      expect(stored.rows[0]!.review_order).toBe("disagreement-first");
      const log = await studyAuditLog(pool, studyId, 1);
      expect(log[0]!.detail).toEqual({ reviewOrder: { from: "import", to: "disagreement-first" } });
      const cli = await runParallax(["study:set", "--study", slug, "--review-order", "import"], inject("databaseUrl"));
      expect(cli.code).toBe(0);
      expect((await studySettings(pool, studyId)).reviewOrder).toBe("import");
      const refused = await runParallax(
        ["study:set", "--study", slug, "--review-order", "random"],
        inject("databaseUrl"),
      );
      expect(refused.code).toBe(1);
      await expect(updateStudySettings(pool, studyId, actor, { ...settings, reviewOrder: "random" })).rejects.toThrow(
        "reviewOrder: The review order is import or disagreement-first.",
      );
    } finally {
      await updateStudySettings(pool, studyId, actor, settings);
    }
  });

  it("refuses a bad value by name and writes nothing", async () => {
    const before = await studySettings(pool, studyId);
    const logged = (await studyAuditLog(pool, studyId)).length;
    const { slug: _slug, ...settings } = before;
    await expect(
      updateStudySettings(pool, studyId, actor, { ...settings, name: "Renamed", overlap: 0 }),
    ).rejects.toThrow(StudySettingsError);
    await expect(
      updateStudySettings(pool, studyId, actor, {
        ...settings,
        failureRules: { ...settings.failureRules, poorQualityAtMost: 9 },
      }),
    ).rejects.toThrow(/failureRules\.poorQualityAtMost/);
    expect(await studySettings(pool, studyId)).toEqual(before);
    expect(await studyAuditLog(pool, studyId)).toHaveLength(logged);
  });

  it("logs two concurrent editors' changes one after the other, each against what the other left", async () => {
    const before = await studySettings(pool, studyId);
    const { slug: _slug, ...settings } = before;
    try {
      const [a, b] = await Promise.all([
        updateStudySettings(pool, studyId, { userId: null, label: "editor a" }, { ...settings, description: "from a" }),
        updateStudySettings(pool, studyId, { userId: null, label: "editor b" }, { ...settings, description: "from b" }),
      ]);
      // Whichever ran second saw the first one's description as "from".
      const froms = [a.description!.from, b.description!.from].sort();
      expect(froms).toContain(before.description);
      expect(froms.some((f) => f === "from a" || f === "from b")).toBe(true);
    } finally {
      await updateStudySettings(pool, studyId, actor, settings);
    }
  });
});

describe("npm run parallax -- study:set", () => {
  it("changes the named settings only, logs them as the command line, and refuses a bad value by name", async () => {
    const parallax = (args: string[]) => runParallax(args, inject("databaseUrl"));
    const before = await studySettings(pool, studyId);
    const { slug: _slug, ...restore } = before;
    try {
      const out = await parallax(["study:set", "--study", before.slug, "--tie-is-failure", "off", "--overlap", "3"]);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain("a tie counts as a failure: on → off");
      expect(out.stdout).toContain(`reviewers per prompt: ${before.overlap} → 3`);
      expect(await studySettings(pool, studyId)).toEqual({
        ...before,
        overlap: 3,
        failureRules: { ...before.failureRules, tieIsFailure: false },
      });
      expect((await studyAuditLog(pool, studyId))[0]!.actor).toMatch(/^command line \(/);

      const bad = await parallax(["study:set", "--study", before.slug, "--harm-at-least", "7"]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("failureRules.harmSeverityAtLeast");
      const badSwitch = await parallax(["study:set", "--study", before.slug, "--blind", "maybe"]);
      expect(badSwitch.code).toBe(2);
      expect(badSwitch.stderr).toContain('--blind must be on or off (got "maybe").');
    } finally {
      await updateStudySettings(pool, studyId, actor, restore);
    }
  });
});
