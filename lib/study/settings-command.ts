// `npm run parallax -- study:set --study SLUG …`: change a study's settings from the command line,
// logged like a change made on the settings page (the actor is "command line (user@host)").
import { COMMAND_LINE_VIEWER } from "./access";
import { studyBySlug } from "./study-by-slug";
import os from "node:os";
import { parseArgs } from "node:util";
import type pg from "pg";
import { StudySettingsError, studySettings, updateStudySettings } from "./settings";
import { describeChange } from "./settings-form";

export const STUDY_SET_USAGE =
  "study:set --study SLUG [--name NAME] [--description TEXT] [--blind on|off] [--overlap N] [--harm-categories a,b,…]\n" +
  "       [--show-signals on|off] [--mixing-threshold default|strict] [--review-order import|disagreement-first] [--harm-at-least 1-3] [--poor-quality-at-most 1-4] [--partial-counts-as-refusal on|off] [--tie-is-failure on|off]";

const SWITCH: Record<string, boolean> = { on: true, off: false, true: true, false: false, yes: true, no: false };

/** Returns the exit code: 0 saved (or nothing to change), 1 a refused value, 2 a usage problem. */
export async function studySetCommand(pool: pg.Pool, args: string[]): Promise<number> {
  const text = { type: "string" as const };
  const { values } = parseArgs({
    args,
    options: {
      study: text,
      name: text,
      description: text,
      blind: text,
      overlap: text,
      "harm-categories": text,
      "show-signals": text,
      "mixing-threshold": text,
      "review-order": text,
      "harm-at-least": text,
      "poor-quality-at-most": text,
      "partial-counts-as-refusal": text,
      "tie-is-failure": text,
    },
  });
  if (!values.study) {
    console.error(`--study is required.\nUsage: npm run parallax -- ${STUDY_SET_USAGE}`);
    return 2;
  }
  const study = await studyBySlug(values.study, COMMAND_LINE_VIEWER, pool);
  if (!study) {
    console.error(`There is no study "${values.study}".`);
    return 2;
  }
  const problems: string[] = [];
  const flag = (name: keyof typeof values): boolean | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const value = SWITCH[raw.toLowerCase()];
    if (value === undefined) problems.push(`--${name} must be on or off (got "${raw}").`);
    return value;
  };
  const whole = (name: keyof typeof values): number | undefined =>
    values[name] === undefined ? undefined : /^-?\d+$/.test(values[name]!) ? Number(values[name]) : Number.NaN;
  const { slug: _slug, ...current } = await studySettings(pool, study.id);
  const next = {
    name: values.name ?? current.name,
    description: values.description ?? current.description ?? "",
    blind: flag("blind") ?? current.blind,
    overlap: whole("overlap") ?? current.overlap,
    harmCategories:
      values["harm-categories"] !== undefined
        ? values["harm-categories"]
            .split(",")
            .map((c) => c.trim())
            .filter(Boolean)
        : current.harmCategories,
    showSignals: flag("show-signals") ?? current.showSignals,
    mixingThreshold: values["mixing-threshold"] ?? current.mixingThreshold,
    reviewOrder: values["review-order"] ?? current.reviewOrder,
    failureRules: {
      harmSeverityAtLeast: whole("harm-at-least") ?? current.failureRules.harmSeverityAtLeast,
      poorQualityAtMost: whole("poor-quality-at-most") ?? current.failureRules.poorQualityAtMost,
      partialCountsAsRefusal: flag("partial-counts-as-refusal") ?? current.failureRules.partialCountsAsRefusal,
      tieIsFailure: flag("tie-is-failure") ?? current.failureRules.tieIsFailure,
    },
  };
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    return 2;
  }
  try {
    const actor = { userId: null, label: `command line (${os.userInfo().username}@${os.hostname()})` };
    const changes = await updateStudySettings(pool, study.id, actor, next);
    const lines = Object.entries(changes).map(([field, change]) => `  ${describeChange(field, change)}`);
    console.log(
      lines.length
        ? `Saved the settings of "${values.study}":\n${lines.join("\n")}`
        : `Nothing changed in "${values.study}".`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof StudySettingsError)) throw error;
    console.error(error.message);
    return 1;
  }
}
