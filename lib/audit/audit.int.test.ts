// The audit log against PostgreSQL: every audited operation of the product writes its event (with
// who and what), the filters select what they say, keyset pages walk the log without gaps or
// repeats, the export reads every page, and at 100 000 events the pages are read from the index
// (the plan has no sort and no sequential scan) — the speed itself is measured by hand, not here.
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAdjudication, clearAdjudication } from "../adjudication/save";
import {
  changeUserRole,
  createInvitedUser,
  createUserWithPassword,
  renewInvite,
  setUserDisabled,
  signOutEverywhere,
} from "../admin/users";
import { createTokenForUser, revokeTokenOfUser } from "../admin/tokens";
import { controlRun } from "../generate/runs";
import { controlJudgeRun } from "../judges/judges";
import { createPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { createPool } from "../db/pool";
import { createReviewStudy } from "../review/fixtures";
import { sampleLabel } from "../review/fixtures";
import { runParallax } from "../testing/run-cli";
import { changeCheckpoint, deleteCheckpoint, mergeCheckpoints } from "../study/checkpoints";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { createStudy, deleteStudy, setStudyArchived } from "../study/lifecycle";
import { addMember, removeMember } from "../study/members";
import { studySettings, updateStudySettings } from "../study/settings";
import { AUDIT_ACTIONS } from "./actions";
import { auditExportLines } from "./export";
import type { AuditFilters } from "./filters";
import { allAuditEvents, auditPageQuery, listAuditEvents } from "./query";

let pool: pg.Pool;
let db: PrismaClient;
let counter = 0;
const unique = () => `audit-${Date.now().toString(36)}-${++counter}`;

beforeAll(() => {
  pool = createPool(inject("databaseUrl"), 6);
  db = createPrisma(inject("databaseUrl"), 4);
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

async function account(role: "ADMIN" | "RESEARCHER" | "REVIEWER") {
  const email = `${unique()}@example.test`;
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "user" (email, role, updated_at) VALUES ($1, $2::"Role", now()) RETURNING id`,
    [email, role],
  );
  return { id: rows[0]!.id, email, actor: { userId: rows[0]!.id, label: email } };
}

const settings = (slug: string) => ({
  slug,
  name: `Study ${slug}`,
  description: "",
  blind: true,
  overlap: 1,
  harmCategories: ["cyber", "other"],
  showSignals: true,
  mixingThreshold: "default",
  reviewOrder: "import" as const,
  failureRules: DEFAULT_FAILURE_RULES,
});

/** Every event by one actor, oldest first. */
async function eventsBy(actor: string) {
  const { events } = await listAuditEvents(pool, { actor }, { limit: 500 });
  return events.reverse();
}

describe("every audited operation", () => {
  it("writes one event naming who, what, the study and the target", async () => {
    const admin = await account("ADMIN");
    const member = await account("REVIEWER");
    const slug = unique();
    const { id: studyId } = await createStudy(pool, admin.actor, settings(slug));
    await updateStudySettings(pool, studyId, admin.actor, { ...(await studySettings(pool, studyId)), name: "Renamed" });
    await addMember(pool, studyId, admin.actor, { email: member.email, role: "REVIEWER" });
    await removeMember(pool, studyId, admin.actor, { email: member.email });
    await setStudyArchived(pool, studyId, admin.actor, true);
    await setStudyArchived(pool, studyId, admin.actor, false);
    await deleteStudy(pool, studyId, admin.actor, slug);

    const fixture = await createReviewStudy(pool, { slug: unique(), prompts: 2, reviewers: 1 });
    const [a, b, c] = fixture.checkpointIds as [number, number, number];
    await changeCheckpoint(pool, fixture.studyId, a, admin.actor, { name: "renamed-a", strategy: "RL" });
    // A checkpoint imported under a second name (no answers of its own yet) merged into another.
    const spare = (
      await pool.query<{ id: number }>(
        `INSERT INTO checkpoint (study_id, name, strategy) VALUES ($1, 'ckpt-2-copy', 'RL') RETURNING id`,
        [fixture.studyId],
      )
    ).rows[0]!.id;
    await mergeCheckpoints(pool, fixture.studyId, spare, b, admin.actor);
    await deleteCheckpoint(pool, fixture.studyId, c, admin.actor, "ckpt-3");
    const response = (
      await pool.query<{ id: number }>("SELECT min(id) AS id FROM response WHERE study_id = $1", [fixture.studyId])
    ).rows[0]!.id;
    await saveAdjudication(pool, fixture.studyId, response, admin.actor, { ...sampleLabel(), version: null });
    await clearAdjudication(pool, fixture.studyId, response, admin.actor, 1);
    // A generation run and a judge run, paused, resumed and cancelled (no job is sent: enqueue does nothing).
    const generationRun = (
      await pool.query<{ id: number }>(
        `INSERT INTO generation_run (study_id, checkpoint_id, settings) VALUES ($1, $2, '{}') RETURNING id`,
        [fixture.studyId, a],
      )
    ).rows[0]!.id;
    const judge = (
      await pool.query<{ id: number }>(
        `INSERT INTO judge (study_id, name, endpoint, rubric_id, rubric_version) VALUES ($1, 'audit-judge', '{}', 'refusal', 1) RETURNING id`,
        [fixture.studyId],
      )
    ).rows[0]!.id;
    const judgeRun = (
      await pool.query<{ id: number }>(
        `INSERT INTO judge_run (study_id, judge_id, rubric, settings) VALUES ($1, $2, 'refusal@1', '{}') RETURNING id`,
        [fixture.studyId, judge],
      )
    ).rows[0]!.id;
    const noJob = async () => {};
    for (const action of ["pause", "resume", "cancel"] as const) {
      await controlRun(pool, fixture.slug, generationRun, action, noJob, admin.actor);
      await controlJudgeRun(pool, fixture.slug, judgeRun, action, noJob, admin.actor);
    }
    // Refused (already cancelled): nothing changes, nothing is written.
    await expect(controlRun(pool, fixture.slug, generationRun, "cancel", noJob, admin.actor)).rejects.toThrow(
      /cannot be cancelled/,
    );

    const invited = await createInvitedUser(
      { email: `${unique()}@example.test`, name: null, role: "REVIEWER" },
      admin.id,
      db,
    );
    await changeUserRole({ userId: invited.userId, role: "RESEARCHER" }, admin.id, db);
    await renewInvite({ userId: invited.userId }, admin.id, db);
    await signOutEverywhere({ userId: invited.userId }, admin.id, db);
    await setUserDisabled({ userId: invited.userId, disabled: true }, admin.id, db);
    await setUserDisabled({ userId: invited.userId, disabled: false }, admin.id, db);
    const token = await createTokenForUser(
      { userId: member.id, name: "nightly eval", expiresAt: null },
      admin.actor,
      db,
    );
    await revokeTokenOfUser(token.id, admin.actor, db);
    // A repeat that changes nothing writes nothing.
    await changeUserRole({ userId: invited.userId, role: "RESEARCHER" }, admin.id, db);
    expect(await revokeTokenOfUser(token.id, admin.actor, db)).toBe(false);

    const events = await eventsBy(admin.email);
    const invitedEmail = (await db.user.findUniqueOrThrow({ where: { id: invited.userId } })).email;
    expect(events.map((e) => [e.action, e.target])).toEqual([
      ["study.create", slug],
      ["study.settings", slug],
      ["study.member.add", member.email],
      ["study.member.remove", member.email],
      ["study.archive", slug],
      ["study.restore", slug],
      ["study.delete", slug],
      ["checkpoint.change", "ckpt-1"],
      ["checkpoint.merge", "ckpt-2-copy → ckpt-2"],
      ["checkpoint.delete", "ckpt-3"],
      ["adjudication.save", `response ${response}`],
      ["adjudication.clear", `response ${response}`],
      ["generation-run.pause", `generation run ${generationRun}`],
      ["judge-run.pause", `judge run ${judgeRun}`],
      ["generation-run.resume", `generation run ${generationRun}`],
      ["judge-run.resume", `judge run ${judgeRun}`],
      ["generation-run.cancel", `generation run ${generationRun}`],
      ["judge-run.cancel", `judge run ${judgeRun}`],
      ["user.create", invitedEmail],
      ["user.role", invitedEmail],
      ["user.invite", invitedEmail],
      ["user.sign-out", invitedEmail],
      ["user.disable", invitedEmail],
      ["user.enable", invitedEmail],
      ["token.create", "nightly eval"],
      ["token.revoke", "nightly eval"],
    ]);
    expect(events.every((e) => e.actor === admin.email && e.actorId === admin.id)).toBe(true);
    const byAction = Object.fromEntries(events.map((e) => [e.action, e]));
    expect(byAction["study.settings"]!.summary).toBe(`name: Study ${slug} → Renamed`);
    expect(byAction["judge-run.cancel"]!.summary).toBe(`run: judge run ${judgeRun}; status: queued → cancelled`);
    // jsonb keeps keys shortest first.
    expect(byAction["user.role"]!.summary).toBe(`role: REVIEWER → RESEARCHER; user: ${invitedEmail}`);
    expect(byAction["token.create"]!.summary).toMatch(
      new RegExp(`^owner: ${member.email}; token: nightly eval; prefix: plx_\\S{8}; expires: —$`),
    );
    // The token itself is never in the log.
    expect(JSON.stringify(events)).not.toContain(token.token);
    // Every kind of event the page offers but the member role change is written above.
    expect(new Set([...events.map((e) => e.action), "study.member.role"])).toEqual(new Set(Object.keys(AUDIT_ACTIONS)));
  });

  it("logs the command line's user:create as the command line", async () => {
    const email = `${unique()}@example.test`;
    await createUserWithPassword(
      { email, name: null, role: "REVIEWER", password: "orbit-velvet-kettle-7" },
      { userId: null, label: "command line (test)" },
      db,
    );
    const { events } = await listAuditEvents(pool, { q: email }, { limit: 5 });
    expect(events.map((e) => [e.actor, e.action, e.target])).toEqual([["command line (test)", "user.create", email]]);
  });
});

describe("filters and pages", () => {
  it("select by actor, action family, study, dates and target text; pages walk it all once", async () => {
    const admin = await account("ADMIN");
    const other = await account("ADMIN");
    const slugs = [unique(), unique()];
    for (const slug of slugs) await createStudy(pool, admin.actor, settings(slug));
    const studyIds = await Promise.all(
      slugs.map(
        async (s) => (await pool.query<{ id: number }>("SELECT id FROM study WHERE slug = $1", [s])).rows[0]!.id,
      ),
    );
    const people = await Promise.all([account("REVIEWER"), account("REVIEWER"), account("REVIEWER")]);
    for (const person of people)
      await addMember(pool, studyIds[0]!, admin.actor, { email: person.email, role: "REVIEWER" });
    await addMember(pool, studyIds[1]!, other.actor, { email: people[0]!.email, role: "REVIEWER" });
    await setStudyArchived(pool, studyIds[1]!, other.actor, true);

    const select = async (filters: AuditFilters) =>
      (await listAuditEvents(pool, filters, { limit: 100 })).events.map((e) => `${e.action} ${e.target}`);
    expect(await select({ actor: admin.email.toUpperCase() })).toEqual([
      `study.member.add ${people[2]!.email}`,
      `study.member.add ${people[1]!.email}`,
      `study.member.add ${people[0]!.email}`,
      `study.create ${slugs[1]}`,
      `study.create ${slugs[0]}`,
    ]);
    expect(await select({ study: slugs[1], action: "study.member" })).toEqual([`study.member.add ${people[0]!.email}`]);
    expect(await select({ study: slugs[1], action: "study" })).toHaveLength(3);
    expect(await select({ study: slugs[1], action: "study.archive" })).toEqual([`study.archive ${slugs[1]}`]);
    // "study.mem" is no family: an action filter matches whole names.
    expect(await select({ study: slugs[0], action: "study.mem" })).toEqual([]);
    expect(await select({ q: people[1]!.email.toUpperCase() })).toEqual([`study.member.add ${people[1]!.email}`]);
    // LIKE's own characters are taken literally.
    expect(await select({ actor: "%", study: slugs[0] })).toEqual([]);
    const today = (await pool.query<{ d: string }>("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d"))
      .rows[0]!.d;
    expect(await select({ study: slugs[0], from: today, to: today })).toHaveLength(4);
    expect(await select({ study: slugs[0], to: "2000-01-01" })).toEqual([]);
    expect(await select({ study: slugs[0], from: "2999-01-01" })).toEqual([]);

    // Pages of 2, then of 1: together exactly the full list, newest first.
    const all = await listAuditEvents(pool, { actor: admin.email }, { limit: 100 });
    for (const limit of [1, 2]) {
      const seen: string[] = [];
      let before: string | null = null;
      do {
        const cursor: { at: string; id: string } | undefined = before
          ? { at: before.split("_")[0]!, id: before.split("_")[1]! }
          : undefined;
        const page = await listAuditEvents(pool, { actor: admin.email }, { limit, before: cursor });
        seen.push(...page.events.map((e) => e.id));
        before = page.next;
      } while (before);
      expect(seen).toEqual(all.events.map((e) => e.id));
    }

    // The export reads every page; CSV as RFC 4180 with the same rows.
    const exported: string[] = [];
    for await (const e of allAuditEvents(pool, { actor: admin.email }, { pageSize: 2 })) exported.push(e.id);
    expect(exported).toEqual(all.events.map((e) => e.id));
    let csv = "";
    for await (const chunk of auditExportLines(pool, { study: slugs[0] }, "csv")) csv += chunk;
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.actor, r.action, r.study, r.target])).toEqual(
      [...people]
        .reverse()
        .map((p) => [admin.email, "study.member.add", slugs[0], p.email])
        .concat([[admin.email, "study.create", slugs[0], slugs[0]]]),
    );
  });

  it("the command line writes the same CSV, and refuses a bad date naming the option", async () => {
    const admin = await account("ADMIN");
    const slug = unique();
    await createStudy(pool, admin.actor, settings(slug));
    const url = inject("databaseUrl");
    const result = await runParallax(["audit", "--study", slug, "--since", "2020-01-01"], url);
    expect(result.code).toBe(0);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.actor, r.action_label, r.study])).toEqual([[admin.email, "Study created", slug]]);
    const bad = await runParallax(["audit", "--since", "2026-13-01"], url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since: /);
  });
});

describe("at 100 000 events", () => {
  it("reads the first page, a later page and one study's page from the index, without sorting", async () => {
    const marker = unique();
    await pool.query(
      `INSERT INTO audit_event (created_at, actor, study_slug, action, detail)
       SELECT timestamp '2026-01-01' + n * interval '1 second', $1, 'bulk-' || (n % 50), 'study.settings', jsonb_build_object('name', jsonb_build_object('from', 'a', 'to', n::text))
         FROM generate_series(1, 100000) n`,
      [marker],
    );
    try {
      await pool.query("ANALYZE audit_event");
      const plan = async (filters: AuditFilters, before?: { at: string; id: string }) => {
        const query = auditPageQuery(filters, 51, before).toQuery();
        const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query.text}`, query.values);
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      };
      const deep = { at: "2026-01-01T10:00:00.000", id: "9223372036854775807" };
      for (const text of [await plan({}), await plan({}, deep), await plan({ actor: marker }, deep)]) {
        expect(text).toMatch(/Index Scan using audit_event_created_at_id_idx/);
        expect(text).not.toMatch(/Sort|Seq Scan/);
      }
      const study = await plan({ study: "bulk-7" }, deep);
      expect(study).toMatch(/Index Scan using audit_event_study_slug_created_at_id_idx/);
      expect(study).not.toMatch(/Sort|Seq Scan/);
      // And the page is the right one: the 51 events just before the cursor, newest first.
      const page = await listAuditEvents(
        pool,
        { actor: marker },
        { limit: 3, before: { at: "2026-01-01T00:00:10.000", id: "0" } },
      );
      expect(page.events.map((e) => e.at)).toEqual([
        "2026-01-01T00:00:09.000",
        "2026-01-01T00:00:08.000",
        "2026-01-01T00:00:07.000",
      ]);
    } finally {
      await pool.query("DELETE FROM audit_event WHERE actor = $1", [marker]);
    }
  });
});
