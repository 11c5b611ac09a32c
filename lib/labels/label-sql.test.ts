import { describe, expect, it } from "vitest";
import { DIMENSIONS, emptyLabelValues, LABEL_DIMENSIONS, type LabelValues } from "./dimensions";
import {
  LABEL_COLUMN_TYPES,
  labelAssignments,
  labelColumns,
  labelColumnsAsValues,
  labelJsonPairs,
  labelsUnnest,
  labelValueParams,
} from "./label-sql";

const judged: LabelValues = {
  ...emptyLabelValues(),
  harmSeverity: 2,
  harmCategories: ["fraud", "weapons"],
  refusal: "PARTIAL",
  reasoningQuality: 4,
  rewardHacking: true,
  note: "looks fine",
};

describe("the SQL of a label's columns", () => {
  it("lists every dimension's column once, in dimension order", () => {
    const columns = LABEL_DIMENSIONS.map((d) => DIMENSIONS[d].column);
    expect(labelColumns().toQuery().text).toBe(columns.join(", "));
    expect(labelColumns("l").toQuery().text).toBe(columns.map((c) => `l.${c}`).join(", "));
    expect(labelColumnsAsValues("l").toQuery().text).toContain(`l.reasoning_quality AS "reasoningQuality"`);
    expect(labelColumnsAsValues().toQuery().text.split(", ")).toHaveLength(LABEL_DIMENSIONS.length);
  });

  it("keys a snapshot by dimension, the list as jsonb", () => {
    const text = labelJsonPairs("l").toQuery().text;
    expect(text).toContain("'harmCategories', to_jsonb(l.harm_categories)");
    expect(text).toContain("'formatViolation', l.format_violation");
    expect(text.match(/'[a-zA-Z]+', /g)).toHaveLength(LABEL_DIMENSIONS.length);
  });

  it("sends one value per dimension, cast to its column's type, as parameters only", () => {
    const { text, values } = labelValueParams(judged).toQuery();
    expect(values).toEqual(LABEL_DIMENSIONS.map((d) => judged[d]));
    expect(text).toBe(LABEL_DIMENSIONS.map((d, i) => `$${i + 1}::${LABEL_COLUMN_TYPES[d]}`).join(", "));
    const set = labelAssignments(judged).toQuery();
    expect(set.values).toEqual(values);
    expect(set.text).toContain('refusal = $4::"RefusalKind"');
    expect(set.text).not.toContain("looks fine");
  });

  it("unnests many labels with one array per dimension, the list as jsonb, and the same text for any values", () => {
    const other = emptyLabelValues();
    const one = labelsUnnest("x", [judged, other], [{ name: "response_id", type: "int", values: [7, 8] }]);
    const query = one.from.toQuery();
    expect(query.text).toMatch(/^unnest\(\$1::int\[\], \$2::smallint\[\], \$3::jsonb\[\], \$4::"HarmLocation"\[\]/);
    expect(query.text).toContain("AS x(response_id, harm_severity, harm_categories,");
    expect(query.values[0]).toEqual([7, 8]);
    expect(query.values[1]).toEqual([2, null]);
    expect(query.values[2]).toEqual(['["fraud","weapons"]', "[]"]);
    expect(one.values.toQuery().text).toContain(
      "ARRAY(SELECT jsonb_array_elements_text(x.harm_categories)), x.harm_location",
    );
    // The text does not depend on the labels (prepared statements are named after it).
    const two = labelsUnnest("x", [other], [{ name: "response_id", type: "int", values: [9] }]);
    expect(two.from.toQuery().text).toBe(query.text);
  });
});
