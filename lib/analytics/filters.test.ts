import { describe, expect, it } from "vitest";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { agreementSql } from "./reviewer-agreement";
import { analyticsParams, type AnalyticsFilters } from "./filters";
import { judgementBasis, storedForDates } from "./judgement";
import { pairedAnalyticsSql } from "./paired-comparisons";

const attack = "x'; DROP TABLE label; --";

describe("analytics statements from fragments", () => {
  it("give one parameter per filter, referenced wherever it applies, with its cast", () => {
    const filters: AnalyticsFilters = { reviewerIds: [4, 5], from: new Date("2026-10-01T00:00:00Z") };
    const { text, values } = agreementSql(
      judgementBasis(filters),
      analyticsParams(7, filters),
      storedForDates(filters),
    ).toQuery();
    const reviewers = values.findIndex((v) => Array.isArray(v) && v[0] === 4) + 1;
    expect(reviewers).toBeGreaterThan(0);
    // The labels and both labels of each pair: one typed parameter, several references.
    expect(text.split(`$${reviewers}::int[]`).length - 1).toBeGreaterThanOrEqual(6);
    expect(values.filter((v) => Array.isArray(v) && v[0] === 4)).toHaveLength(1);
    expect(values).toContain("2026-10-01 00:00:00.000");
    expect(values).toContain(7);
  });

  it("keep every value out of the text, and the text the same whatever the values", () => {
    const statement = (studyId: number, filters: AnalyticsFilters) =>
      pairedAnalyticsSql(studyId, DEFAULT_FAILURE_RULES, filters).toQuery();
    const a = statement(1, { categories: ["benign"], reviewerIds: [1] });
    const b = statement(99, { categories: [attack], reviewerIds: [2, 3] });
    expect(b.text).toBe(a.text);
    expect(b.text).not.toContain("DROP");
    expect(b.values).toContainEqual([attack]);
    // Every $n of the text has a value, and every value is referenced.
    const numbers = new Set([...b.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect([...numbers].sort((x, y) => x - y)).toEqual(b.values.map((_, i) => i + 1));
  });
});
