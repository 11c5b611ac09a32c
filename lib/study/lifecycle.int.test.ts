// A study's life and its members against PostgreSQL: each operation is one transaction with its
// audit row; archive hides a study from the lists and the review queue and keeps it whole; delete
// removes everything of one study and nothing of another, refuses while an import runs, waits for
// reviewers' label writes in flight, and a delete whose connection is killed half-way leaves the
// study whole.
import type pg from "pg";
import { createInvitedUser } from "../admin/users";
import { acceptInvite } from "../auth/invites";
import { createPrisma } from "../db/client";
import { createPool } from "../db/pool";
import { runParallax } from "../testing/run-cli";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { IMPORT_LOCK_NAMESPACE } from "../import/pipeline";
import { createReviewStudy, type ReviewFixture } from "../review/fixtures";
import { nextItem } from "../review/queue";
import { studyBySlug } from "./access";
import { createStudy, deleteStudy, setStudyArchived, studyContents, StudyLifecycleError } from "./lifecycle";
import { addMember, listMembers, removeMember, StudyMemberError } from "./members";
import { DEFAULT_FAILURE_RULES } from "./failure-rules";

let pool: pg.Pool;
let counter = 0;
const unique = () => `life-${Date.now().toString(36)}-${++counter}`;
const cli = { userId: null, label: "command line (test)" };

beforeAll(() => {
  // The app's own pool settings (lib/db/pool.ts), including how it handles a connection the server ends.
  pool = createPool(inject("databaseUrl"), 8);
});
afterAll(async () => {
  await pool.end();
});

async function account(role: "ADMIN" | "RESEARCHER" | "REVIEWER", extra = "") {
  const email = `${unique()}${extra}@example.test`;
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "user" (email, role, updated_at) VALUES ($1, $2::"Role", now()) RETURNING id`,
    [email, role],
  );
  return { id: rows[0]!.id, email, role };
}

const settings = (slug: string) => ({
  slug,
  name: `Study ${slug}`,
  description: "",
  blind: true,
  overlap: 2,
  harmCategories: ["cyber", "other"],
  showSignals: true,
  mixingThreshold: "default",
  reviewOrder: "import",
  failureRules: DEFAULT_FAILURE_RULES,
});

async function auditOf(slug: string): Promise<{ action: string; actor: string; detail: unknown }[]> {
  const { rows } = await pool.query("SELECT action, actor, detail FROM audit_event WHERE study_slug = $1 ORDER BY id", [
    slug,
  ]);
  return rows;
}

async function labelOne(fixture: ReviewFixture, client: pg.PoolClient | pg.Pool = pool): Promise<void> {
  await client.query(
    `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, submitted_at, updated_at)
     SELECT $1, r.id, $2, 0, now(), now() FROM response r
      WHERE r.study_id = $1 AND NOT EXISTS (SELECT 1 FROM label l WHERE l.response_id = r.id AND l.reviewer_id = $2)
      ORDER BY r.id LIMIT 1`,
    [fixture.studyId, fixture.reviewerIds[0]],
  );
}

describe("createStudy", () => {
  it("creates the study with its settings, makes its creator a member researcher, and logs it", async () => {
    const researcher = await account("RESEARCHER");
    const slug = unique();
    const created = await createStudy(pool, { userId: researcher.id, label: researcher.email }, settings(slug));
    expect(await studyBySlug(slug, researcher, pool)).toMatchObject({
      id: created.id,
      studyRole: "RESEARCHER",
      role: "RESEARCHER",
    });
    expect((await listMembers(pool, created.id)).map((m) => [m.email, m.role])).toEqual([
      [researcher.email, "RESEARCHER"],
    ]);
    expect(await auditOf(slug)).toEqual([
      { action: "study.create", actor: researcher.email, detail: { name: `Study ${slug}`, blind: true, overlap: 2 } },
    ]);
    // Another researcher does not see it; a second study with the same slug is refused.
    expect(await studyBySlug(slug, await account("RESEARCHER"), pool)).toBeNull();
    await expect(createStudy(pool, cli, settings(slug))).rejects.toThrow(/slug "life-.*" is taken/);
    await expect(createStudy(pool, cli, { ...settings(`${unique()}`), slug: "Not A Slug" })).rejects.toThrow(
      StudyLifecycleError,
    );
  });
});

describe("members", () => {
  it("adds, changes and removes members by the rules, logging each change; removal gives back their leases", async () => {
    const fixture = await createReviewStudy(pool, { slug: unique(), prompts: 4, reviewers: 1 });
    const researcher = await account("RESEARCHER");
    const reviewer = await account("REVIEWER");
    const admin = await account("ADMIN");
    const actor = { userId: researcher.id, label: researcher.email };

    expect(await studyBySlug(fixture.slug, reviewer, pool)).toBeNull();
    expect(await addMember(pool, fixture.studyId, actor, { email: reviewer.email, role: "REVIEWER" })).toMatchObject({
      outcome: "added",
    });
    expect(await studyBySlug(fixture.slug, reviewer, pool)).toMatchObject({ role: "REVIEWER" });
    // A researcher account may be a study's reviewer: it then acts as one there.
    await addMember(pool, fixture.studyId, actor, { email: researcher.email, role: "REVIEWER" });
    expect(await studyBySlug(fixture.slug, researcher, pool)).toMatchObject({ role: "REVIEWER" });
    expect(
      await addMember(pool, fixture.studyId, actor, { email: researcher.email, role: "RESEARCHER" }),
    ).toMatchObject({
      outcome: "changed",
    });

    // Refusals: a reviewer account as researcher, admins, placeholders, unknown accounts, bad input.
    await expect(
      addMember(pool, fixture.studyId, actor, { email: reviewer.email, role: "RESEARCHER" }),
    ).rejects.toThrow(/reviewer account can only be a study's reviewer/);
    await expect(addMember(pool, fixture.studyId, actor, { email: admin.email, role: "REVIEWER" })).rejects.toThrow(
      /Admins see every study/,
    );
    const placeholder = await account("REVIEWER");
    await pool.query('UPDATE "user" SET placeholder = true WHERE id = $1', [placeholder.id]);
    await expect(
      addMember(pool, fixture.studyId, actor, { email: placeholder.email, role: "REVIEWER" }),
    ).rejects.toThrow(/only known from imported labels/);
    await expect(
      addMember(pool, fixture.studyId, actor, { email: "nobody@example.test", role: "REVIEWER" }),
    ).rejects.toThrow(/There is no account/);
    await expect(addMember(pool, fixture.studyId, actor, { email: reviewer.email, role: "OWNER" })).rejects.toThrow(
      StudyMemberError,
    );

    // A member's lease goes back to the queue when they are removed; their labels stay.
    const item = await nextItem(pool, fixture.slug, reviewer.id, 600);
    expect(item).not.toBeNull();
    await pool.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, submitted_at, updated_at)
       VALUES ($1, $2, $3, 1, now(), now())`,
      [
        fixture.studyId,
        (await pool.query<{ id: number }>("SELECT id FROM response WHERE prompt_id = $1 LIMIT 1", [item!.prompt.id]))
          .rows[0]!.id,
        reviewer.id,
      ],
    );
    expect(await removeMember(pool, fixture.studyId, actor, { email: reviewer.email })).toEqual({
      removed: true,
      email: reviewer.email,
    });
    const left = await pool.query(
      "SELECT (SELECT count(*)::int FROM review_lease WHERE reviewer_id = $1) AS leases, (SELECT count(*)::int FROM label WHERE reviewer_id = $1) AS labels",
      [reviewer.id],
    );
    expect(left.rows[0]).toEqual({ leases: 0, labels: 1 });
    expect(await studyBySlug(fixture.slug, reviewer, pool)).toBeNull();
    // The review queue is shut to a non-member too, whoever calls it.
    expect(await nextItem(pool, fixture.slug, reviewer.id, 600)).toBeNull();
    expect(await removeMember(pool, fixture.studyId, actor, { email: reviewer.email })).toMatchObject({
      removed: false,
    });

    expect((await auditOf(fixture.slug)).map((e) => e.action)).toEqual([
      "study.member.add",
      "study.member.add",
      "study.member.role",
      "study.member.remove",
    ]);
  });
});

describe("archive and restore", () => {
  it("hide the study from the queue and keep it whole; restoring brings it back", async () => {
    const fixture = await createReviewStudy(pool, { slug: unique(), prompts: 3, reviewers: 1 });
    const reviewer = fixture.reviewerIds[0]!;
    const before = await studyContents(pool, fixture.studyId);
    expect(await setStudyArchived(pool, fixture.studyId, cli, true)).toBe(true);
    expect(await setStudyArchived(pool, fixture.studyId, cli, true)).toBe(false);
    expect(await nextItem(pool, fixture.slug, reviewer, 600)).toBeNull();
    expect(await studyContents(pool, fixture.studyId)).toEqual(before);
    expect(await setStudyArchived(pool, fixture.studyId, cli, false)).toBe(true);
    expect(await nextItem(pool, fixture.slug, reviewer, 600)).not.toBeNull();
    expect((await auditOf(fixture.slug)).map((e) => e.action)).toEqual(["study.archive", "study.restore"]);
  });
});

describe("deleteStudy", () => {
  it("needs the slug typed, removes everything of the study in one go and nothing of another, and logs the counts", async () => {
    const doomed = await createReviewStudy(pool, { slug: unique(), prompts: 20, reviewers: 2 });
    const kept = await createReviewStudy(pool, { slug: unique(), prompts: 5, reviewers: 1 });
    await labelOne(doomed);
    await labelOne(kept);
    const keptBefore = await studyContents(pool, kept.studyId);
    await expect(deleteStudy(pool, doomed.studyId, cli, "wrong")).rejects.toThrow(/Type the study's slug/);

    const result = await deleteStudy(pool, doomed.studyId, cli, doomed.slug);
    expect(result.deleted).toEqual({ checkpoints: 3, prompts: 20, responses: 60, labels: 1, members: 2, imports: 0 });
    const left = await pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM study WHERE id = $1) + (SELECT count(*) FROM response WHERE study_id = $1)
            + (SELECT count(*) FROM label WHERE study_id = $1) + (SELECT count(*) FROM prompt WHERE study_id = $1)
            + (SELECT count(*) FROM response_judgement WHERE study_id = $1) + (SELECT count(*) FROM study_member WHERE study_id = $1)
            + (SELECT count(*) FROM prompt_review_state s JOIN prompt p ON p.id = s.prompt_id WHERE p.study_id = $1) AS n`,
      [doomed.studyId],
    );
    expect(Number(left.rows[0]!.n)).toBe(0);
    expect(await studyContents(pool, kept.studyId)).toEqual(keptBefore);
    expect(await auditOf(doomed.slug)).toEqual([
      { action: "study.delete", actor: "command line (test)", detail: { deleted: result.deleted } },
    ]);
    await expect(deleteStudy(pool, doomed.studyId, cli, doomed.slug)).rejects.toThrow(/no longer exists/);
  });

  it("refuses while an import into the study runs, and deletes nothing", async () => {
    const fixture = await createReviewStudy(pool, { slug: unique(), prompts: 4, reviewers: 1 });
    const importer = await pool.connect();
    try {
      await importer.query("BEGIN");
      await importer.query("SELECT pg_advisory_xact_lock($1, $2)", [IMPORT_LOCK_NAMESPACE, fixture.studyId]);
      await expect(deleteStudy(pool, fixture.studyId, cli, fixture.slug)).rejects.toThrow(
        /import into this study is running/,
      );
      await importer.query("COMMIT");
    } finally {
      importer.release();
    }
    expect((await studyContents(pool, fixture.studyId)).responses).toBe(12);
    await deleteStudy(pool, fixture.studyId, cli, fixture.slug);
  });

  it("waits for a reviewer's label write in flight, then deletes it with the rest; a later write is refused", async () => {
    const fixture = await createReviewStudy(pool, { slug: unique(), prompts: 4, reviewers: 1 });
    const responseId = (
      await pool.query<{ id: number }>("SELECT max(id) AS id FROM response WHERE study_id = $1", [fixture.studyId])
    ).rows[0]!.id;
    const reviewer = await pool.connect();
    let deleting: Promise<unknown> | undefined;
    try {
      await reviewer.query("BEGIN");
      await labelOne(fixture, reviewer);
      deleting = deleteStudy(pool, fixture.studyId, cli, fixture.slug);
      // The delete waits on the study row that the label's key holds.
      await expect
        .poll(async () => {
          const { rows } = await pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT 1 FROM study WHERE id = $1 FOR UPDATE%'",
          );
          return rows[0]!.n;
        })
        .toBe(1);
      await reviewer.query("COMMIT");
    } finally {
      reviewer.release();
    }
    const result = (await deleting) as { deleted: { labels: number } };
    expect(result.deleted.labels).toBe(1);
    // A reviewer's save that comes after the delete finds neither study nor response.
    await expect(
      pool.query(
        `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, submitted_at, updated_at)
         VALUES ($1, $2, $3, 0, now(), now())`,
        [fixture.studyId, responseId, fixture.reviewerIds[0]],
      ),
    ).rejects.toThrow(/foreign key/);
    expect(await nextItem(pool, fixture.slug, fixture.reviewerIds[0]!, 600)).toBeNull();
    expect((await pool.query("SELECT 1 FROM label WHERE study_id = $1", [fixture.studyId])).rowCount).toBe(0);
  });

  it("killed half-way (its connection ended by the server), leaves the study whole", async () => {
    const fixture = await createReviewStudy(pool, { slug: unique(), prompts: 10, reviewers: 2 });
    await labelOne(fixture);
    const before = await studyContents(pool, fixture.studyId);
    // Another session holds a member row: the delete has removed the responses and labels when it
    // reaches the cascade to study_member, and waits there.
    const holder = await pool.connect();
    let outcome: Promise<unknown> | undefined;
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM study_member WHERE study_id = $1 FOR UPDATE", [fixture.studyId]);
      outcome = deleteStudy(pool, fixture.studyId, cli, fixture.slug).catch((error: unknown) => error);
      let pid = 0;
      await expect
        .poll(async () => {
          const { rows } = await pool.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM study WHERE id = $1%'",
          );
          pid = rows[0]?.pid ?? 0;
          return pid;
        })
        .toBeGreaterThan(0);
      await pool.query("SELECT pg_terminate_backend($1)", [pid]);
      expect(await outcome).toBeInstanceOf(Error);
      await holder.query("COMMIT");
    } finally {
      holder.release();
    }
    expect(await studyContents(pool, fixture.studyId)).toEqual(before);
    expect(await auditOf(fixture.slug)).toEqual([]);
  });
});

describe("the command line", () => {
  it("creates a study, adds and lists members, archives, restores and deletes it (only with the slug repeated)", async () => {
    const url = inject("databaseUrl");
    const reviewer = await account("REVIEWER");
    const slug = unique();
    const created = await runParallax(["study:create", "--slug", slug, "--name", "From the terminal"], url);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created the study "${slug}"`);
    expect(
      (
        await runParallax(
          ["study:member", "add", "--study", slug, "--email", reviewer.email, "--role", "reviewer"],
          url,
        )
      ).code,
    ).toBe(0);
    const listed = await runParallax(["study:member", "list", "--study", slug], url);
    expect(listed.stdout.trim()).toBe(`reviewer   ${reviewer.email}`);
    const refused = await runParallax(
      ["study:member", "add", "--study", slug, "--email", reviewer.email, "--role", "researcher"],
      url,
    );
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining("can only be a study's reviewer")]);
    expect((await runParallax(["study:archive", "--study", slug], url)).stdout).toContain("Archived");
    expect((await runParallax(["study:restore", "--study", slug], url)).stdout).toContain("Restored");
    const unconfirmed = await runParallax(["study:delete", "--study", slug], url);
    expect([unconfirmed.code, unconfirmed.stderr]).toEqual([1, expect.stringContaining(`--confirm ${slug}`)]);
    const deleted = await runParallax(["study:delete", "--study", slug, "--confirm", slug], url);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await pool.query("SELECT 1 FROM study WHERE slug = $1", [slug])).rowCount).toBe(0);
    expect((await auditOf(slug)).map((e) => e.action)).toEqual([
      "study.create",
      "study.member.add",
      "study.archive",
      "study.restore",
      "study.delete",
    ]);
  });
});

describe("an invite that names a study", () => {
  it("makes the invited person its member when they accept, logged as added by whoever invited them", async () => {
    const db = createPrisma(inject("databaseUrl"), 2);
    try {
      const admin = await account("ADMIN");
      const fixture = await createReviewStudy(pool, { slug: unique(), prompts: 2, reviewers: 1 });
      const email = `${unique()}@example.test`;
      const invited = await createInvitedUser(
        { email, name: null, role: "REVIEWER", study: fixture.slug, studyRole: "REVIEWER" },
        admin.id,
        db,
      );
      // Not a member before accepting.
      expect(await studyBySlug(fixture.slug, { id: invited.userId, role: "REVIEWER" }, pool)).toBeNull();
      expect(
        await acceptInvite({ token: invited.inviteToken, password: "orbit-velvet-kettle-lamp" }, db),
      ).toMatchObject({
        ok: true,
      });
      expect(await studyBySlug(fixture.slug, { id: invited.userId, role: "REVIEWER" }, pool)).toMatchObject({
        role: "REVIEWER",
      });
      expect(await auditOf(fixture.slug)).toEqual([
        {
          action: "user.create",
          actor: admin.email,
          detail: { user: email, role: "REVIEWER", via: "invite", study: fixture.slug, studyRole: "REVIEWER" },
        },
        {
          action: "study.member.add",
          actor: admin.email,
          detail: { member: email, role: { from: null, to: "REVIEWER" }, via: "invite" },
        },
      ]);
      // A reviewer account cannot be invited as a study's researcher; an unknown study is refused.
      await expect(
        createInvitedUser(
          {
            email: `${unique()}@example.test`,
            name: null,
            role: "REVIEWER",
            study: fixture.slug,
            studyRole: "RESEARCHER",
          },
          admin.id,
          db,
        ),
      ).rejects.toThrow(/reviewer account can only be/);
      await expect(
        createInvitedUser(
          { email: `${unique()}@example.test`, name: null, role: "REVIEWER", study: "no-such-study" },
          admin.id,
          db,
        ),
      ).rejects.toThrow(/There is no study/);
    } finally {
      await db.$disconnect();
    }
  });
});
