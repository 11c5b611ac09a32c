// What a reviewer sees instead of response ids, and the order of the columns. Response ids follow
// import order, and import files are usually grouped by checkpoint, so an id (or the order of ids
// within a prompt) would hint at which model wrote a response. The workspace therefore shows a
// per-reviewer number derived with the study's secret salt, and in blind studies orders the
// columns by a keyed hash: stable for one reviewer and prompt, different between reviewers, and
// independent of ids and checkpoints. Adding a response later keeps the others' relative order.
import { createHmac } from "node:crypto";

function mac(salt: string, text: string): Buffer {
  return createHmac("sha256", salt).update(text).digest();
}

/** The number a reviewer's workspace uses for a response: 48 bits, never 0, opaque without the salt. */
export function responseAlias(salt: string, reviewerId: number, responseId: number): number {
  const value = mac(salt, `alias:${reviewerId}:${responseId}`).readUIntBE(0, 6);
  return value === 0 ? 1 : value;
}

/** "A" … "Z", then "AA", "AB" … (more than 26 responses to a prompt are rare but possible). */
export function letterFor(index: number): string {
  let n = index;
  let letters = "";
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return letters;
}

/**
 * The display order of a prompt's responses for one reviewer. Blind: sorted by a keyed hash of
 * (reviewer, prompt, response). Not blind: the order given (checkpoint order from the query).
 */
export function displayOrder<T extends { id: number }>(
  responses: readonly T[],
  options: { blind: boolean; salt: string; reviewerId: number; promptId: number },
): T[] {
  if (!options.blind) return [...responses];
  const keyed = responses.map((response) => ({
    response,
    key: mac(options.salt, `order:${options.reviewerId}:${options.promptId}:${response.id}`).toString("hex"),
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.response.id - b.response.id));
  return keyed.map((k) => k.response);
}
