// The rubric version a judge's labels carry, in TypeScript and in SQL (kept side by side so the two
// never drift): "harm-severity@1" under the built-in prompt, "harm-severity@1+edit2" under the
// study's second edit of it. No imports, so analytics can use it without pulling in the judges.

export function rubricLabel(rubricId: string, version: number, promptEdits: number, edited: boolean): string {
  return edited ? `${rubricId}@${version}+edit${promptEdits}` : `${rubricId}@${version}`;
}

/** The same for a judge row `j` (columns rubric_id, rubric_version, instructions, prompt_edits). */
export const CURRENT_RUBRIC_SQL = `CASE WHEN j.instructions IS NULL THEN j.rubric_id || '@' || j.rubric_version
  ELSE j.rubric_id || '@' || j.rubric_version || '+edit' || j.prompt_edits END`;
