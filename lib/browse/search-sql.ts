// The full-text document of a response for the browse table's search: prompt, answer and
// reasoning in one tsvector (response_search.document, GIN-indexed). 'simple' keeps every word as
// it is (no stemming, no stop words): right for many languages, code and mixed text. Only the
// first 20,000 characters of the prompt and the answer and 30,000 of the reasoning are searchable:
// a tsvector holds at most 1 MB.
import { sql, type Sql } from "../db/sql";

/** The document of response `r` with its prompt `p`. */
export const searchDocument = (r: string, p: string) =>
  `to_tsvector('simple'::regconfig, left(${p}.text, 20000) || ' ' || left(${r}.answer, 20000) || ' ' || left(coalesce(${r}.reasoning, ''), 30000))`;

/** A search box's text (a text parameter) as a query: "quoted phrases", or, -excluded words (websearch syntax). */
export const searchQuery = (text: Sql) => sql`websearch_to_tsquery('simple'::regconfig, ${text})`;
