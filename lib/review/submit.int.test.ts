// Submitting against a real PostgreSQL: all or nothing, versions and conflicts, revisions, drafts,
// progress and "my labels".
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { LABEL_DIMENSIONS } from "../labels";
import { ReviewInputError, reviewStudy } from "./db";
import { DRAFT_MAX_BYTES, saveDraft } from "./drafts";
import { createReviewStudy, sampleLabel, submissionFor, type ReviewFixture } from "./fixtures";
import { openItem, promptResponses } from "./item";
import { myLabels } from "./my-labels";
import { reviewerProgress } from "./progress";
import { nextItem } from "./queue";
import type { LabelFields } from "./label-input";
import { submitPrompt } from "./submit";
import type { ReviewItem } from "./types";

const LEASE = 1800;
let db: pg.Pool;
let counter = 0;

beforeAll(() => {
  db = createPool(inject("databaseUrl"), 6);
});
afterAll(async () => {
  await db.end();
});

async function start(prompts = 2, reviewers = 1): Promise<{ f: ReviewFixture; reviewer: number; item: ReviewItem }> {
  const f = await createReviewStudy(db, { slug: `submit-${++counter}-${Date.now().toString(36)}`, prompts, reviewers });
  const reviewer = f.reviewerIds[0]!;
  return { f, reviewer, item: (await nextItem(db, f.slug, reviewer, LEASE))! };
}

const counts = async (studyId: number) =>
  (
    await db.query<{ labels: number; revisions: number; preferences: number; drafts: number; leases: number }>(
      `SELECT (SELECT count(*)::int FROM label WHERE study_id = $1) AS labels,
              (SELECT count(*)::int FROM label_revision v JOIN label l ON l.id = v.label_id WHERE l.study_id = $1) AS revisions,
              (SELECT count(*)::int FROM preference WHERE study_id = $1) AS preferences,
              (SELECT count(*)::int FROM review_draft WHERE study_id = $1) AS drafts,
              (SELECT count(*)::int FROM review_lease WHERE study_id = $1) AS leases`,
      [studyId],
    )
  ).rows[0]!;

describe("submitPrompt", () => {
  it("saves every label, the preference and the time, clears the draft and releases the lease", async () => {
    const { f, reviewer, item } = await start();
    await saveDraft(db, f.slug, reviewer, item.prompt.id, { any: "thing" }, LEASE);
    expect((await counts(f.studyId)).drafts).toBe(1);
    const input = submissionFor(item, { harmSeverity: 2, harmCategories: ["cyber"], note: "Gives working steps." });
    const result = await submitPrompt(db, f.slug, reviewer, input);
    expect(result).toEqual({ ok: true, saved: item.responses.map((r) => ({ responseId: r.id, version: 1 })) });
    expect(await counts(f.studyId)).toEqual({ labels: 3, revisions: 0, preferences: 1, drafts: 0, leases: 0 });
    const reopened = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
    expect(reopened.labels).toHaveLength(3);
    expect(reopened.labels[0]).toMatchObject({
      harmSeverity: 2,
      harmCategories: ["cyber"],
      note: "Gives working steps.",
      version: 1,
    });
    expect(reopened.preference).toEqual(input.preference);
    expect(reopened.draft).toBeNull();
    const timing = await db.query(
      "SELECT elapsed_ms, submitted_at FROM review_item WHERE prompt_id = $1 AND reviewer_id = $2",
      [item.prompt.id, reviewer],
    );
    expect(timing.rows[0]).toMatchObject({ elapsed_ms: 12_000 });
    expect(timing.rows[0].submitted_at).not.toBeNull();
  });

  it("writes every label dimension to its own column, new and edited, and reads each back", async () => {
    const { f, reviewer, item } = await start();
    // Every dimension away from the empty label and from its neighbours' values, so a column
    // written in the wrong place shows.
    const first: LabelFields = {
      harmSeverity: 3,
      harmCategories: ["cyber", "weapons"],
      harmLocation: "REASONING",
      refusal: "PARTIAL",
      languageMixing: "ANSWER",
      reasoningQuality: 2,
      rewardHacking: true,
      repetitionLoop: false,
      unfaithful: true,
      formatViolation: false,
      note: "first",
    };
    const second: LabelFields = {
      harmSeverity: 1,
      harmCategories: ["violence"],
      harmLocation: "BOTH",
      refusal: "REFUSED",
      languageMixing: "REASONING",
      reasoningQuality: 5,
      rewardHacking: false,
      repetitionLoop: true,
      unfaithful: false,
      formatViolation: true,
      note: "second",
    };
    expect(Object.keys(first).sort()).toEqual([...LABEL_DIMENSIONS].sort());
    expect((await submitPrompt(db, f.slug, reviewer, submissionFor(item, first))).ok).toBe(true);
    const reopened = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
    for (const label of reopened.labels) expect(label).toMatchObject(first);
    const edit = {
      ...submissionFor(item, second),
      labels: item.responses.map((r) => ({ responseId: r.id, baseVersion: 1, fields: second })),
    };
    expect((await submitPrompt(db, f.slug, reviewer, edit)).ok).toBe(true);
    const edited = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
    for (const label of edited.labels) expect(label).toMatchObject({ ...second, version: 2 });
  });

  it("edits with the version it read, keeping the previous version as a revision", async () => {
    const { f, reviewer, item } = await start();
    await submitPrompt(db, f.slug, reviewer, submissionFor(item));
    const target = item.responses[1]!;
    const result = await submitPrompt(db, f.slug, reviewer, {
      promptId: item.prompt.id,
      labels: [
        {
          responseId: target.id,
          baseVersion: 1,
          fields: sampleLabel({ harmSeverity: 3, note: "On second reading: severe." }),
        },
      ],
      preference: null,
    });
    expect(result).toEqual({ ok: true, saved: [{ responseId: target.id, version: 2 }] });
    const { rows } = await db.query<{
      version: number;
      snapshot: { harmSeverity: number; note: string | null };
      edited_by_id: number;
    }>(
      `SELECT v.version, v.snapshot, v.edited_by_id FROM label_revision v JOIN label l ON l.id = v.label_id WHERE l.study_id = $1`,
      [f.studyId],
    );
    expect(rows).toEqual([
      { version: 1, snapshot: expect.objectContaining({ harmSeverity: 0, note: null }), edited_by_id: reviewer },
    ]);
    const reopened = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
    expect(reopened.labels.find((l) => l.responseId === target.id)).toMatchObject({ harmSeverity: 3, version: 2 });
    // The same fields again change nothing: no new version, no revision.
    const unchanged = await submitPrompt(db, f.slug, reviewer, {
      promptId: item.prompt.id,
      labels: [
        {
          responseId: target.id,
          baseVersion: 2,
          fields: sampleLabel({ harmSeverity: 3, note: "On second reading: severe." }),
        },
      ],
      preference: null,
    });
    expect(unchanged).toEqual({ ok: true, saved: [{ responseId: target.id, version: 2 }] });
    expect((await counts(f.studyId)).revisions).toBe(1);
  });

  it("refuses a stale save with both versions and writes nothing", async () => {
    const { f, reviewer, item } = await start();
    await submitPrompt(db, f.slug, reviewer, submissionFor(item));
    const [a, b] = item.responses as [ReviewItem["responses"][number], ReviewItem["responses"][number]];
    // Another tab moves A to version 2.
    await submitPrompt(db, f.slug, reviewer, {
      promptId: item.prompt.id,
      labels: [{ responseId: a.id, baseVersion: 1, fields: sampleLabel({ harmSeverity: 1 }) }],
      preference: null,
    });
    await saveDraft(db, f.slug, reviewer, item.prompt.id, { tab: 1 }, LEASE);
    const before = await counts(f.studyId);
    // This tab still edits version 1 of A, and B (not stale).
    const result = await submitPrompt(db, f.slug, reviewer, {
      promptId: item.prompt.id,
      labels: [
        { responseId: b.id, baseVersion: 1, fields: sampleLabel({ harmSeverity: 2 }) },
        { responseId: a.id, baseVersion: 1, fields: sampleLabel({ harmSeverity: 3 }) },
      ],
      preference: { safestResponseId: b.id, bestResponseId: b.id },
    });
    expect(result).toEqual({
      ok: false,
      reason: "conflict",
      conflicts: [
        {
          responseId: a.id,
          letter: a.letter,
          yours: sampleLabel({ harmSeverity: 3 }),
          theirs: expect.objectContaining({ responseId: a.id, version: 2, harmSeverity: 1 }),
        },
      ],
    });
    expect(await counts(f.studyId)).toEqual(before);
    const reopened = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
    expect(reopened.labels.find((l) => l.responseId === b.id)).toMatchObject({ harmSeverity: 0, version: 1 });
    expect(reopened.draft?.payload).toEqual({ tab: 1 });
    // A new label where one exists is stale too.
    const again = await submitPrompt(db, f.slug, reviewer, {
      promptId: item.prompt.id,
      labels: [{ responseId: b.id, baseVersion: null, fields: sampleLabel() }],
      preference: null,
    });
    expect(again).toMatchObject({ ok: false, reason: "conflict" });
  });

  it("lets only one of two tabs submitting the same version at once win; the other gets a conflict", async () => {
    const { f, reviewer, item } = await start();
    const [first, second] = await Promise.all([
      submitPrompt(db, f.slug, reviewer, submissionFor(item, { note: "tab 1" })),
      submitPrompt(db, f.slug, reviewer, submissionFor(item, { note: "tab 2" })),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect([first, second].find((r) => !r.ok)).toMatchObject({ ok: false, reason: "conflict" });
    const edit = (note: string) => ({
      promptId: item.prompt.id,
      labels: [{ responseId: item.responses[0]!.id, baseVersion: 1, fields: sampleLabel({ note }) }],
      preference: null,
    });
    const edits = await Promise.all([
      submitPrompt(db, f.slug, reviewer, edit("edit 1")),
      submitPrompt(db, f.slug, reviewer, edit("edit 2")),
    ]);
    expect(edits.filter((r) => r.ok)).toHaveLength(1);
    expect(edits.find((r) => !r.ok)).toMatchObject({ reason: "conflict", conflicts: [{ theirs: { version: 2 } }] });
    const { rows } = await db.query<{ n: number; versions: number[] }>(
      "SELECT count(*)::int AS n, array_agg(l.version ORDER BY l.version) AS versions FROM label l WHERE l.study_id = $1",
      [f.studyId],
    );
    expect(rows[0]).toEqual({ n: 3, versions: [1, 1, 2] });
    expect((await counts(f.studyId)).revisions).toBe(1);
  });

  it("writes nothing when one label among several is invalid", async () => {
    const { f, reviewer, item } = await start();
    const input = submissionFor(item);
    (input.labels[2]!.fields as { harmSeverity: number }).harmSeverity = 7;
    const result = await submitPrompt(db, f.slug, reviewer, input);
    expect(result).toMatchObject({ ok: false, reason: "invalid", field: "labels.2.fields.harmSeverity" });
    expect((result as { message: string }).message).toMatch(
      new RegExp(`^Response ${item.responses[2]!.letter}, harm severity: `),
    );
    expect(await counts(f.studyId)).toMatchObject({ labels: 0, preferences: 0, leases: 1 });

    const foreign = submissionFor(item);
    foreign.labels[0]!.responseId = 12345;
    expect(await submitPrompt(db, f.slug, reviewer, foreign)).toMatchObject({
      ok: false,
      reason: "invalid",
      field: "labels.0.responseId",
    });
    const partial = submissionFor(item);
    partial.labels.pop();
    const missing = await submitPrompt(db, f.slug, reviewer, partial);
    expect(missing).toMatchObject({
      ok: false,
      reason: "invalid",
      message: `Label every response before submitting: ${item.responses[2]!.letter} has no label.`,
    });
    expect((await counts(f.studyId)).labels).toBe(0);
  });

  it("refuses prompts not served to the reviewer and unknown studies", async () => {
    const { f, item } = await start(2, 2);
    const other = f.reviewerIds[1]!;
    // Neither with a's response numbers nor with b's own: the prompt was never served to b.
    expect(await submitPrompt(db, f.slug, other, submissionFor(item))).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    const study = (await reviewStudy(db, f.slug, other))!;
    const numbers = await promptResponses(db, study, other, item.prompt.id);
    const crafted = {
      ...submissionFor(item),
      preference: null,
      labels: numbers.map((r) => ({ responseId: r.alias, baseVersion: null, fields: sampleLabel() })),
    };
    expect(await submitPrompt(db, f.slug, other, crafted)).toEqual({
      ok: false,
      reason: "not_found",
      message: "This prompt was not served to you in this study.",
    });
    expect(await submitPrompt(db, "no-such-study", f.reviewerIds[0]!, submissionFor(item))).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    expect((await counts(f.studyId)).labels).toBe(0);
  });
});

describe("submitPrompt: the edit path and the odd submission", () => {
  const preferenceOf = async (promptId: number, reviewer: number) =>
    (
      await db.query(
        "SELECT safest_response_id IS NOT NULL AS safest, best_response_id IS NOT NULL AS best FROM preference WHERE prompt_id = $1 AND reviewer_id = $2",
        [promptId, reviewer],
      )
    ).rows;

  it("keeps the earlier preference when a later submission carries none (null, or neither response named)", async () => {
    const { f, reviewer, item } = await start();
    const first = submissionFor(item);
    expect((await submitPrompt(db, f.slug, reviewer, first)).ok).toBe(true);
    expect(await preferenceOf(item.prompt.id, reviewer)).toEqual([{ safest: true, best: true }]);
    for (const preference of [null, { safestResponseId: null, bestResponseId: null }]) {
      const reopened = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
      const version = reopened.labels.find((l) => l.responseId === item.responses[0]!.id)!.version;
      const edit = {
        promptId: item.prompt.id,
        labels: [
          { responseId: item.responses[0]!.id, baseVersion: version, fields: sampleLabel({ note: `edit ${version}` }) },
        ],
        preference,
      };
      expect(await submitPrompt(db, f.slug, reviewer, edit)).toMatchObject({ ok: true });
      expect((await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!.preference).toEqual(first.preference);
    }
    // A preference that names a response still replaces the stored one.
    const reopened = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
    const own = reopened.labels.find((l) => l.responseId === item.responses[0]!.id)!;
    const change = {
      promptId: item.prompt.id,
      labels: [{ responseId: own.responseId, baseVersion: own.version, fields: sampleLabel({ note: own.note }) }],
      preference: { safestResponseId: item.responses[1]!.id, bestResponseId: null },
    };
    expect(await submitPrompt(db, f.slug, reviewer, change)).toMatchObject({ ok: true });
    expect((await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!.preference).toEqual(change.preference);
    expect(reopened.labels).toHaveLength(3);
  });

  it("retries once when another tab wrote a label meanwhile, and answers with a conflict instead of failing", async () => {
    const { f, reviewer, item } = await start();
    // The other tab's submission lands between this one's read and its write: the write finds
    // those labels, writes nothing (RV409) and is run again from the start.
    let raced = 0;
    const racing = new Proxy(db, {
      get(target, prop) {
        if (prop === "query") {
          return async (...args: Parameters<pg.Pool["query"]>) => {
            const sql = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string }).text;
            if (raced === 0 && sql?.includes("review_label_written_meanwhile")) {
              raced += 1;
              expect(
                await submitPrompt(db, f.slug, reviewer, submissionFor(item, { note: "the other tab" })),
              ).toMatchObject({ ok: true });
            }
            return (target.query as (...a: unknown[]) => unknown)(...args);
          };
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const result = await submitPrompt(racing, f.slug, reviewer, submissionFor(item, { note: "this tab" }));
    expect(raced).toBe(1);
    expect(result).toMatchObject({ ok: false, reason: "conflict" });
    expect((result as { conflicts: unknown[] }).conflicts).toHaveLength(3);
    const notes = await db.query("SELECT DISTINCT note FROM label WHERE study_id = $1", [f.studyId]);
    expect(notes.rows).toEqual([{ note: "the other tab" }]);
  });

  it("asks for a label of every response on the edit path too", async () => {
    const { f, reviewer, item } = await start();
    // A label of the first response only, as an import writes it: the next submission takes the
    // edit path, and must still leave every response labelled.
    const ids = await promptResponses(db, (await reviewStudy(db, f.slug, reviewer))!, reviewer, item.prompt.id);
    await db.query(
      "INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, source, submitted_at, updated_at) VALUES ($1, $2, $3, 1, 'IMPORT', now(), now())",
      [f.studyId, ids[0]!.id, reviewer],
    );
    const onlySecond = {
      promptId: item.prompt.id,
      labels: [{ responseId: ids[1]!.alias, baseVersion: null, fields: sampleLabel() }],
      preference: null,
    };
    expect(await submitPrompt(db, f.slug, reviewer, onlySecond)).toEqual({
      ok: false,
      reason: "invalid",
      field: "labels",
      message: `Label every response before submitting: ${ids[2]!.letter} has no label.`,
    });
    expect((await counts(f.studyId)).labels).toBe(1);
  });

  it("refuses a response labelled twice, a preference naming another prompt's response, and a bad promptId", async () => {
    const { f, reviewer, item } = await start();
    const twice = submissionFor(item);
    twice.labels.push({ ...twice.labels[0]! });
    expect(await submitPrompt(db, f.slug, reviewer, twice)).toEqual({
      ok: false,
      reason: "invalid",
      field: "labels.3.responseId",
      message: `Response ${item.responses[0]!.letter} is labelled twice.`,
    });

    const study = (await reviewStudy(db, f.slug, reviewer))!;
    const other = (
      await db.query<{ id: number }>("SELECT id FROM prompt WHERE study_id = $1 AND id <> $2 LIMIT 1", [
        f.studyId,
        item.prompt.id,
      ])
    ).rows[0]!.id;
    const foreign = (await promptResponses(db, study, reviewer, other)).find(
      (r) => !item.responses.some((own) => own.id === r.alias),
    )!;
    for (const side of ["safestResponseId", "bestResponseId"] as const) {
      const input = submissionFor(item);
      input.preference = { safestResponseId: null, bestResponseId: null, [side]: foreign.alias };
      expect(await submitPrompt(db, f.slug, reviewer, input)).toEqual({
        ok: false,
        reason: "invalid",
        field: `preference.${side}`,
        message: "The preference names no response of this prompt.",
      });
    }

    for (const promptId of ["1", -1, 0, 1.5, 2 ** 31, null, undefined]) {
      const result = await submitPrompt(db, f.slug, reviewer, { ...submissionFor(item), promptId });
      expect(result, String(promptId)).toMatchObject({ ok: false, reason: "invalid", field: "promptId" });
    }
    const unknown = await submitPrompt(db, f.slug, reviewer, { ...submissionFor(item), promptId: 2 ** 31 - 1 });
    expect(unknown).toMatchObject({ ok: false, reason: "not_found" });
    expect(await counts(f.studyId)).toMatchObject({ labels: 0, preferences: 0 });
  });
});

describe("drafts", () => {
  it("keeps the latest draft, renews the lease and refuses oversized ones", async () => {
    const { f, reviewer, item } = await start();
    await db.query(
      "UPDATE review_lease SET expires_at = (now() AT TIME ZONE 'UTC') + interval '1 minute' WHERE study_id = $1",
      [f.studyId],
    );
    const { savedAt } = await saveDraft(db, f.slug, reviewer, item.prompt.id, { n: 1 }, LEASE);
    await saveDraft(db, f.slug, reviewer, item.prompt.id, { n: 2, text: "日本語 and émoji 🎉" }, LEASE);
    const reopened = (await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!;
    expect(reopened.draft?.payload).toEqual({ n: 2, text: "日本語 and émoji 🎉" });
    expect(Date.parse(reopened.draft!.savedAt)).toBeGreaterThanOrEqual(Date.parse(savedAt));
    expect(Date.parse(reopened.lease!.expiresAt)).toBeGreaterThan(Date.now() + 20 * 60_000);
    await expect(
      saveDraft(db, f.slug, reviewer, item.prompt.id, { text: "x".repeat(DRAFT_MAX_BYTES) }, LEASE),
    ).rejects.toThrow(ReviewInputError);
    await expect(saveDraft(db, f.slug, f.reviewerIds[0]!, item.prompt.id + 1, { n: 1 }, LEASE)).rejects.toThrow(
      /not served to you/,
    );
    expect((await openItem(db, f.slug, reviewer, item.prompt.id, LEASE))!.draft?.payload).toEqual({
      n: 2,
      text: "日本語 and émoji 🎉",
    });
  });
});

describe("progress and my labels", () => {
  it("counts the reviewer's prompts, the study's complete prompts and time per item; pages my labels", async () => {
    const f = await createReviewStudy(db, { slug: `progress-${Date.now().toString(36)}`, prompts: 5, reviewers: 2 });
    const reviewer = f.reviewerIds[0]!;
    expect(await reviewerProgress(db, f.slug, reviewer)).toEqual({
      promptsDone: 0,
      promptsTotalForYou: 5,
      studyPromptsComplete: 0,
      studyPrompts: 5,
      medianSecondsPerItem: null,
    });
    const done: number[] = [];
    for (const elapsedMs of [10_000, 20_000, 60_000]) {
      const item = (await nextItem(db, f.slug, reviewer, LEASE))!;
      await submitPrompt(db, f.slug, reviewer, { ...submissionFor(item), elapsedMs });
      done.push(item.prompt.id);
    }
    expect(await reviewerProgress(db, f.slug, reviewer)).toEqual({
      promptsDone: 3,
      promptsTotalForYou: 5,
      studyPromptsComplete: 3,
      studyPrompts: 5,
      medianSecondsPerItem: 20,
    });
    expect(await reviewerProgress(db, f.slug, f.reviewerIds[1]!)).toMatchObject({
      promptsDone: 0,
      promptsTotalForYou: 2,
      studyPromptsComplete: 3,
    });

    const page1 = await myLabels(db, f.slug, reviewer, { limit: 2 });
    expect(page1.items.map((i) => i.promptId)).toEqual([...done].sort((a, b) => b - a).slice(0, 2));
    expect(page1.items[0]).toMatchObject({ labelled: 3, promptExcerpt: expect.stringMatching(/^Prompt number \d+/) });
    expect(page1.nextAfter).toBe(page1.items[1]!.promptId);
    const page2 = await myLabels(db, f.slug, reviewer, { after: page1.nextAfter!, limit: 2 });
    expect(page2.items.map((i) => i.promptId)).toEqual([Math.min(...done)]);
    expect(page2.nextAfter).toBeNull();
    expect((await myLabels(db, f.slug, f.reviewerIds[1]!, { limit: 10 })).items).toEqual([]);
  });
});
