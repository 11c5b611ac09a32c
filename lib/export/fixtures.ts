// What the export tests share: a request with the defaults a page or command would send, and a
// study of one prompt padded out to many large responses (for exports that must stream, stall or
// be cancelled part-way).
import { Readable } from "node:stream";
import type pg from "pg";
import { importResponses } from "../import/pipeline";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import type { ExportRequest } from "./export-stream";

/** An export of one shape of a study as CSV, every filter off, reviewers hidden; overrides on top. */
export function exportRequest(
  studyId: number,
  shape: ExportRequest["shape"],
  overrides: Partial<ExportRequest> = {},
): ExportRequest {
  return {
    studyId,
    shape,
    format: "csv",
    filters: {},
    rules: DEFAULT_FAILURE_RULES,
    revealReviewers: false,
    ...overrides,
  };
}

/**
 * A new study with one imported response and `rows` more of about 16 KB each (written directly: an
 * import of that size would only slow the test down). Returns its id; delete the study afterwards.
 */
export async function paddedStudy(db: pg.Pool, slug: string, name: string, rows: number): Promise<number> {
  const summary = await importResponses(db, {
    studySlug: slug,
    createStudyName: name,
    fileName: "one.jsonl",
    signals: false,
    source: Readable.from([
      Buffer.from(
        JSON.stringify({ prompt_id: "q1", prompt: "Prompt", checkpoint: "sft-1", strategy: "sft", answer: "short" }),
      ),
    ]),
  });
  const studyId = summary.studyId!;
  await db.query(
    `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, answer, source_shape)
     SELECT r.study_id, r.prompt_id, r.checkpoint_id, g, repeat('padding ', 2000), r.source_shape
     FROM response r, generate_series(1, $2) g WHERE r.study_id = $1`,
    [studyId, rows],
  );
  return studyId;
}
