// The import page's remembered mapping against a real PostgreSQL: a real import that succeeded keeps
// its options for the study and its set of columns; a check, a rejected file or another study does
// not; the newest wins; forgetting removes it.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPool } from "../db/client";
import { importUpload, type UploadRequest } from "./http-upload";
import { columnKey, forgetMapping, rememberedMapping } from "./remembered-mapping";

let pool: pg.Pool;
let userId: number;
let studyId: number;
let otherStudyId: number;
const slug = `remember-${Date.now().toString(36)}`;
const columns = ["id", "type", "prompt", "completion"];

async function* bytes(text: string) {
  yield new Uint8Array(Buffer.from(text, "utf8"));
}

const csv = (ids: string[]) =>
  `id,type,prompt,completion\n${ids.map((id) => `${id},safe_x,Prompt ${id},Answer ${id}`).join("\n")}\n`;

function upload(text: string, overrides: Partial<UploadRequest> = {}) {
  return importUpload(pool, {
    studySlug: slug,
    userId,
    body: bytes(text),
    contentType: "text/csv",
    contentLength: null,
    format: null,
    fileName: "gpt4.csv",
    set: ["checkpoint=gpt4", "strategy=rl"],
    rename: ["id=prompt_id"],
    derive: ["split=unsafe if type startswith contrast_ else safe"],
    remember: { format: "csv", columns },
    ...overrides,
  });
}

beforeAll(async () => {
  pool = createPool(inject("databaseUrl"), 4);
  studyId = (
    await pool.query<{ id: number }>(
      "INSERT INTO study (slug, name, updated_at) VALUES ($1, 'Remember test', now()) RETURNING id",
      [slug],
    )
  ).rows[0]!.id;
  otherStudyId = (
    await pool.query<{ id: number }>(
      "INSERT INTO study (slug, name, updated_at) VALUES ($1, 'Other', now()) RETURNING id",
      [`${slug}-other`],
    )
  ).rows[0]!.id;
  userId = (
    await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) VALUES ($1, 'RESEARCHER', now()) RETURNING id`,
      [`${slug}@example.test`],
    )
  ).rows[0]!.id;
});
afterAll(async () => {
  await pool.query("DELETE FROM study WHERE id = ANY($1)", [[studyId, otherStudyId]]);
  await pool.query(`DELETE FROM "user" WHERE id = $1`, [userId]);
  await pool.end();
});

describe("remembered mapping", () => {
  it("keys a set of columns by their names as the importer matches them, in any order", () => {
    expect(columnKey(["Prompt", "id", "model output", "id"])).toBe(columnKey(["model_output", "ID", "prompt"]));
    expect(columnKey(["id", "prompt"])).not.toBe(columnKey(["id", "prompt", "type"]));
  });

  it("is not kept by a check or by a rejected file", async () => {
    expect((await upload(csv(["a1"]), { dryRun: true })).status).toBe(200);
    expect((await upload("id,type,prompt,completion\na1,t,,x\n")).status).toBe(422);
    expect(await rememberedMapping(pool, studyId, "csv", columns)).toBeNull();
  });

  it("keeps the options of a real import that succeeded, for this study and these columns only", async () => {
    expect((await upload(csv(["a1", "a2"]))).status).toBe(201);
    const remembered = await rememberedMapping(pool, studyId, "csv", ["completion", "prompt", "TYPE", "id"]);
    expect(remembered).toMatchObject({
      set: ["checkpoint=gpt4", "strategy=rl"],
      rename: ["id=prompt_id"],
      derive: ["split=unsafe if type startswith contrast_ else safe"],
      savedBy: `${slug}@example.test`,
    });
    expect(await rememberedMapping(pool, otherStudyId, "csv", columns)).toBeNull();
    expect(await rememberedMapping(pool, studyId, "jsonl", columns)).toBeNull();
    expect(await rememberedMapping(pool, studyId, "csv", [...columns, "extra"])).toBeNull();
  });

  it("is replaced by the newest successful import, and can be forgotten", async () => {
    expect(
      (await upload(csv(["b1"]), { set: ["checkpoint=llama2", "strategy=sft"], rename: ["id=prompt_id"], derive: [] }))
        .status,
    ).toBe(201);
    const remembered = await rememberedMapping(pool, studyId, "csv", columns);
    expect(remembered?.set).toEqual(["checkpoint=llama2", "strategy=sft"]);
    expect(remembered?.derive).toEqual([]);
    expect(await forgetMapping(pool, studyId, "csv", columns)).toBe(true);
    expect(await rememberedMapping(pool, studyId, "csv", columns)).toBeNull();
    expect(await forgetMapping(pool, studyId, "csv", columns)).toBe(false);
  });

  it("is not kept when the page does not ask for it (scripts over HTTP)", async () => {
    expect((await upload(csv(["c1"]), { remember: null })).status).toBe(201);
    expect(await rememberedMapping(pool, studyId, "csv", columns)).toBeNull();
  });

  it("does not turn a committed import into an error when its mapping cannot be stored", async () => {
    // PostgreSQL refuses a NUL character in text: the store fails after the import has committed.
    const answer = await upload(csv(["d1"]), { remember: { format: "csv", columns: ["bad\u0000name"] } });
    expect(answer.status).toBe(201);
    expect((answer.body as { message: string }).message).toMatch(
      /^Imported: 1 new, 0 already present\. The column mapping could not be remembered for the next file\.$/,
    );
    const rows = await pool.query("SELECT count(*)::int AS n FROM response WHERE study_id = $1", [studyId]);
    expect(rows.rows[0].n).toBe(5);
  });
});
