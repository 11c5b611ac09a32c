// How the adjudication screens and the export name people: reviewers by pseudonym (reviewer-1,
// reviewer-2… in order of account creation among those with labels in the study), as the export
// does; an adjudicator by their reviewer pseudonym when they also labelled, else adjudicator-1, 2…;
// e-mail addresses instead when the viewer is an admin.

/**
 * SQL (id, name) of everyone with a label or an adjudication in the study. `study` and `reveal` are
 * SQL expressions (a parameter, or a setting read once).
 */
export function peopleNamesSql(study: string, reveal: string): string {
  return `SELECT u.id,
       CASE WHEN ${reveal} THEN u.email
            WHEN x.reviewer THEN 'reviewer-' || x.n
            ELSE 'adjudicator-' || x.n END AS name
  FROM (
    SELECT id, reviewer, row_number() OVER (PARTITION BY reviewer ORDER BY id) AS n
    FROM (
      SELECT r.id, true AS reviewer FROM "user" r WHERE r.id IN (SELECT reviewer_id FROM label WHERE study_id = ${study})
      UNION ALL
      SELECT a.id, false FROM "user" a
       WHERE a.id IN (SELECT adjudicator_id FROM adjudication WHERE study_id = ${study})
         AND a.id NOT IN (SELECT reviewer_id FROM label WHERE study_id = ${study})
    ) people
  ) x JOIN "user" u ON u.id = x.id`;
}
