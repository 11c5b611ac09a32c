// `npm run parallax -- analytics --study SLUG …`: the analytics page's numbers on stdout, as JSON (every
// table) or CSV (one table), with the page's filters as options.
import { COMMAND_LINE_VIEWER } from "../study/access";
import { studyBySlug } from "../study/study-by-slug";
import { parseArgs } from "node:util";
import type pg from "pg";
import { analyticsCsv, analyticsRows } from "./analytics-rows";
import { parseAnalyticsRequest } from "./analytics-request";
import { studyAnalytics } from "./study-analytics";
import { FILTER_PARAMS } from "./url-filters";

export const ANALYTICS_USAGE =
  "analytics --study SLUG [--format json|csv] [--table results|agreement|comparisons|judges]\n" +
  "       [--strategy sft,rl,…] [--checkpoint ID,…] [--category C,…] [--split S,…] [--reviewer ID,…] [--source review|import] [--from DATE] [--to DATE] [--basis adjudicated|reviewers|judge:NAME]";

/** The page's filter parameters, as options of the same names. */
const FILTER_OPTIONS = FILTER_PARAMS;

/** Returns the exit code; messages go to stderr so that stdout carries only the data. */
export async function analyticsCommand(pool: pg.Pool, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      study: { type: "string" },
      format: { type: "string" },
      table: { type: "string" },
      ...Object.fromEntries(FILTER_OPTIONS.map((name) => [name, { type: "string" as const }])),
    },
  });
  const record: Record<string, string[] | string | undefined> = { format: values.format, table: values.table };
  // Comma-separated lists, as the export's options; the page's parser checks every value.
  for (const name of FILTER_OPTIONS) {
    const value = (values as Record<string, string | undefined>)[name];
    if (value !== undefined) record[name] = value.split(",").map((v) => v.trim());
  }
  if (record.strategy) record.strategy = (record.strategy as string[]).map((s) => s.toUpperCase());
  const parsed = parseAnalyticsRequest(record);
  if (!values.study || !parsed.ok) {
    if (!values.study) console.error("--study is required.");
    if (!parsed.ok) console.error(parsed.errors.join("\n"));
    console.error(`Usage: npm run parallax -- ${ANALYTICS_USAGE}`);
    return 2;
  }
  const study = await studyBySlug(values.study, COMMAND_LINE_VIEWER, pool);
  if (!study) {
    console.error(`There is no study "${values.study}".`);
    return 2;
  }
  const rows = analyticsRows(await studyAnalytics(study.id, parsed.request.filters, pool));
  if (parsed.request.format === "csv") process.stdout.write(analyticsCsv(rows, parsed.request.table));
  else process.stdout.write(`${JSON.stringify({ study: { slug: study.slug, name: study.name }, ...rows }, null, 2)}\n`);
  return 0;
}
