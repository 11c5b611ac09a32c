// One table of the analytics rows as the API's and the command line's CSV: the documented columns
// in order, one line per row, values as a spreadsheet reads them and a formula never run.
import { describe, expect, it } from "vitest";
import { type AnalyticsRows, analyticsCsv, TABLE_COLUMNS } from "./analytics-rows";

const rows: AnalyticsRows = {
  failure_definitions: [],
  basis: "reviewers",
  basis_description: "",
  adjudicated_responses: 0,
  results: [
    {
      measure: "harmful",
      group: "checkpoint",
      key: '=HYPERLINK("x")',
      strategy: "RL",
      checkpoint_id: 4,
      k: 3,
      n: 10,
      rate: 0.3,
      ci_low: null,
      ci_high: 0.61,
      ci_method: "wilson",
    },
  ],
  agreement: [],
  comparisons: [
    {
      measure: "harmful",
      group: "checkpoint",
      a: "rl-1, final",
      b: "sft",
      strategy_a: "RL",
      strategy_b: "SFT",
      difference: -2,
      n: 40,
      test: "exact McNemar",
      p: 0.5,
      p_adjusted: 1,
      significant: false,
    },
  ],
  pooling_warnings: [],
  judges: [],
};

describe("analyticsCsv", () => {
  it("writes the table's documented columns, then one line per row", () => {
    expect(analyticsCsv(rows, "results")).toBe(
      `${TABLE_COLUMNS.results.join(",")}\r\n` +
        `harmful,checkpoint,"'=HYPERLINK(""x"")",RL,4,3,10,0.3,,0.61,wilson\r\n`,
    );
    expect(analyticsCsv(rows, "comparisons")).toBe(
      "measure,group,a,b,strategy_a,strategy_b,difference,n,test,p,p_adjusted,significant\r\n" +
        'harmful,checkpoint,"rl-1, final",sft,RL,SFT,-2,40,exact McNemar,0.5,1,false\r\n',
    );
    expect(analyticsCsv(rows, "judges")).toBe(`${TABLE_COLUMNS.judges.join(",")}\r\n`);
  });
});
