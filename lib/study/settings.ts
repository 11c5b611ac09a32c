// A study's settings — name, description, blind review, overlap, harm categories, whether reviewers
// see the automatic signals, the mixing threshold, the review order and the failure rules — validated by one zod schema for the settings
// page, the command line (`study:set`) and any other writer, and changed in one transaction that
// records who changed what in audit_event.
import type pg from "pg";
import { z } from "zod";
import { MIXING_THRESHOLDS, mixingThresholdOf } from "../analysis/mixing-threshold";
import { DEFAULT_FAILURE_RULES, failureRulesOf, failureRulesSchema, type FailureRules } from "./failure-rules";

const harmCategory = z
  .string()
  .trim()
  .min(1)
  .max(40, "A harm category has at most 40 characters.")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Harm categories are lower-case words joined by hyphens, e.g. self-harm.");

/**
 * The order in which "next" serves untouched prompts: import order, or those where judges, signals
 * and humans disagree (or a judge is unsure) first (prompt_review_state.priority; docs/reviewing.md).
 */
export const REVIEW_ORDERS = ["import", "disagreement-first"] as const;
export type ReviewOrder = (typeof REVIEW_ORDERS)[number];

export function reviewOrderOf(value: unknown): ReviewOrder {
  return value === "disagreement-first" ? "disagreement-first" : "import";
}

export const studySettingsSchema = z.object({
  name: z.string().trim().min(1, "The study needs a name.").max(200, "Use at most 200 characters."),
  description: z
    .string()
    .trim()
    .max(4000, "Use at most 4,000 characters.")
    .transform((text) => (text === "" ? null : text))
    .nullable(),
  blind: z.boolean(),
  overlap: z
    .number({ error: "Reviewers per prompt is a whole number from 1 to 10." })
    .int("Reviewers per prompt is a whole number from 1 to 10.")
    .min(1, "At least one reviewer per prompt.")
    .max(10, "At most 10 reviewers per prompt."),
  harmCategories: z
    .array(harmCategory)
    .min(1, "Keep at least one harm category.")
    .max(40, "At most 40 harm categories.")
    .refine((list) => new Set(list).size === list.length, "Each harm category once."),
  showSignals: z.boolean(),
  /** When a part counts as mixing languages (lib/analysis/mixing-threshold.ts). */
  mixingThreshold: z.enum(MIXING_THRESHOLDS, { error: "The mixing threshold is default or strict." }),
  reviewOrder: z.enum(REVIEW_ORDERS, { error: "The review order is import or disagreement-first." }),
  failureRules: failureRulesSchema,
});

export type StudySettings = z.infer<typeof studySettingsSchema>;

/** The settings as stored, with the failure rules over their defaults. */
export async function studySettings(
  db: pg.Pool | pg.PoolClient,
  studyId: number,
  lock = false,
): Promise<StudySettings & { slug: string }> {
  const { rows } = await db.query<{
    slug: string;
    name: string;
    description: string | null;
    blind: boolean;
    overlap: number;
    harm_categories: string[];
    show_signals: boolean;
    mixing_threshold: string;
    review_order: string;
    failure_rules: unknown;
  }>(
    `SELECT slug, name, description, blind, overlap, harm_categories, show_signals, mixing_threshold, review_order, failure_rules FROM study WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
    [studyId],
  );
  const row = rows[0];
  if (!row) throw new StudySettingsError(`There is no study with id ${studyId}.`);
  return {
    slug: row.slug,
    name: row.name,
    description: row.description,
    blind: row.blind,
    overlap: row.overlap,
    harmCategories: row.harm_categories,
    showSignals: row.show_signals,
    mixingThreshold: mixingThresholdOf(row.mixing_threshold),
    reviewOrder: reviewOrderOf(row.review_order),
    failureRules: failureRulesOf(row.failure_rules),
  };
}

export class StudySettingsError extends Error {}

/** Who makes a change: an account, or the command line. */
export interface Actor {
  userId: number | null;
  /** As shown in the log: the account's email, or "command line (root@host)". */
  label: string;
}

export type SettingsChange = Record<string, { from: unknown; to: unknown }>;

/** Field by field, what differs between two settings (failure rules rule by rule). */
export function settingsChanges(before: StudySettings, after: StudySettings): SettingsChange {
  const changes: SettingsChange = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const key of [
    "name",
    "description",
    "blind",
    "overlap",
    "harmCategories",
    "showSignals",
    "mixingThreshold",
    "reviewOrder",
  ] as const) {
    if (!same(before[key], after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  for (const rule of Object.keys(DEFAULT_FAILURE_RULES) as (keyof FailureRules)[]) {
    if (!same(before.failureRules[rule], after.failureRules[rule]))
      changes[`failureRules.${rule}`] = { from: before.failureRules[rule], to: after.failureRules[rule] };
  }
  return changes;
}

/** The settings' field names (what a patch through the API may carry). */
export const SETTINGS_FIELDS = Object.keys(studySettingsSchema.shape) as (keyof StudySettings)[];

/**
 * Changes the fields `patch` names (the failure rules rule by rule), keeping the others as stored;
 * validated and logged like a change on the settings page.
 */
export function patchStudySettings(
  db: pg.Pool,
  studyId: number,
  actor: Actor,
  patch: Partial<Record<keyof StudySettings, unknown>>,
): Promise<SettingsChange> {
  return updateStudySettings(db, studyId, actor, (current: StudySettings & { slug?: string }) => {
    const { slug: _slug, ...settings } = current;
    const rules = patch.failureRules;
    return {
      ...settings,
      ...patch,
      failureRules:
        typeof rules === "object" && rules !== null && !Array.isArray(rules)
          ? { ...settings.failureRules, ...rules }
          : (rules ?? settings.failureRules),
    };
  });
}

/**
 * Replaces the study's settings with `input` (all fields, validated) and logs the change, in one
 * transaction with the study row locked, so two editors' changes are both logged in the order they
 * were made. An unchanged form changes and logs nothing. Returns what changed. `input` may be a
 * function of the stored settings that returns the new ones (a patch).
 */
export async function updateStudySettings(
  db: pg.Pool,
  studyId: number,
  actor: Actor,
  input: unknown,
): Promise<SettingsChange> {
  const validated = (raw: unknown): StudySettings => {
    const parsed = studySettingsSchema.safeParse(raw);
    if (!parsed.success) {
      throw new StudySettingsError(
        parsed.error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`).join(" "),
      );
    }
    return parsed.data;
  };
  // A patch (a function of the settings as stored) is applied under the row lock, so that two
  // patches of different fields both stay; whole settings are checked before anything is read.
  const whole = typeof input === "function" ? null : validated(input);
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const before = await studySettings(client, studyId, true);
    const next = whole ?? validated((input as (current: StudySettings) => unknown)(before));
    const changes = settingsChanges(before, next);
    if (Object.keys(changes).length > 0) {
      await client.query(
        `UPDATE study SET name = $2, description = $3, blind = $4, overlap = $5, harm_categories = $6, show_signals = $7, failure_rules = $8, mixing_threshold = $9, review_order = $10, updated_at = now()
         WHERE id = $1`,
        [
          studyId,
          next.name,
          next.description,
          next.blind,
          next.overlap,
          next.harmCategories,
          next.showSignals,
          JSON.stringify(next.failureRules),
          next.mixingThreshold,
          next.reviewOrder,
        ],
      );
      await client.query(
        `INSERT INTO audit_event (actor_id, actor, study_id, study_slug, action, detail) VALUES ($1, $2, $3, $4, 'study.settings', $5)`,
        [actor.userId, actor.label, studyId, before.slug, JSON.stringify(changes)],
      );
    }
    await client.query("COMMIT");
    return changes;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface AuditEntry {
  id: string;
  createdAt: Date;
  actor: string;
  action: string;
  detail: SettingsChange;
}

/**
 * The study's recorded changes of one kind (its settings, unless asked), newest first: other events
 * (adjudication.save, adjudication.clear, members and lifecycle) have details of their own shape.
 */
export async function studyAuditLog(
  db: pg.Pool,
  studyId: number,
  limit = 50,
  action = "study.settings",
): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditEntry>(
    `SELECT id::text, created_at AS "createdAt", actor, action, detail FROM audit_event WHERE study_id = $1 AND action = $3 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [studyId, limit, action],
  );
  return rows;
}
