// Server-side drafts: the workspace autosaves its unsubmitted form per reviewer and prompt (the
// screen also keeps a copy in the browser, so a server outage loses nothing). Opaque JSON, capped.
import { iso, NOW, ReviewInputError, reviewStudy, servedTo, type Db } from "./db";
import { renewLease } from "./item";

/** Largest draft accepted, as UTF-8 JSON. A form of a dozen responses with long notes is far below. */
export const DRAFT_MAX_BYTES = 256 * 1024;

/** The payload as JSON text, or an error naming what is wrong with it. */
export function draftJson(payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch {
    throw new ReviewInputError("The draft is not plain JSON data.", "payload");
  }
  if (json === undefined) throw new ReviewInputError("The draft is empty.", "payload");
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > DRAFT_MAX_BYTES) {
    throw new ReviewInputError(
      `The draft is ${Math.ceil(bytes / 1024)} KB; at most ${DRAFT_MAX_BYTES / 1024} KB are kept on the server.`,
      "payload",
    );
  }
  // PostgreSQL's jsonb refuses the NUL character (JSON.stringify writes it as \u0000).
  if (json.includes("\\u0000")) throw new ReviewInputError("The draft contains a NUL character.", "payload");
  return json;
}

/** Saves (replaces) the reviewer's draft for a prompt served to them and renews their lease on it. */
export async function saveDraft(
  db: Db,
  studySlug: string,
  reviewerId: number,
  promptId: number,
  payload: unknown,
  leaseSeconds: number,
): Promise<{ savedAt: string }> {
  const json = draftJson(payload);
  const study = await reviewStudy(db, studySlug, reviewerId);
  if (!study) throw new ReviewInputError("No such study.");
  const { rows } = await db.query<{ saved_at: string }>(
    `INSERT INTO review_draft (reviewer_id, prompt_id, study_id, payload, saved_at)
     SELECT $1, p.id, p.study_id, $4::jsonb, ${NOW} FROM prompt p
      WHERE p.id = $2 AND p.study_id = $3 AND ${servedTo("p.id", "$1")}
     ON CONFLICT (reviewer_id, prompt_id) DO UPDATE SET payload = EXCLUDED.payload, saved_at = EXCLUDED.saved_at
     RETURNING ${iso("saved_at")} AS saved_at`,
    [reviewerId, promptId, study.id, json],
  );
  if (!rows[0]) throw new ReviewInputError("This prompt was not served to you in this study.", "promptId");
  await renewLease(db, reviewerId, promptId, leaseSeconds);
  return { savedAt: rows[0].saved_at };
}
