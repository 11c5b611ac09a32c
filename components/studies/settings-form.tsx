"use client";
// A study's settings form: what reviewers see and how labels become failures. The answer says what
// changed; the change log below the form is the page's.
import { useActionState } from "react";
import { createNewStudy } from "@/app/studies/new/actions";
import { saveStudySettings } from "@/app/studies/[slug]/settings/actions";
import { FieldError, FormMessage } from "@/components/admin/form-message";
import { inputClass, labelClass, primaryButton } from "@/components/ui/controls";
import { IDLE, typedValue } from "@/lib/admin/action-state";
import type { StudySettings } from "@/lib/study/settings";

const checkboxRow = "flex items-start gap-2 text-sm";

/**
 * The settings of a study (`slug`), or with `create` the form of a new study: the same fields and
 * zod schema, plus its slug.
 */
export function StudySettingsForm({
  slug,
  settings,
  create = false,
}: {
  slug: string;
  settings: StudySettings;
  create?: boolean;
}) {
  const [state, action, pending] = useActionState(create ? createNewStudy : saveStudySettings, IDLE);
  const value = (field: string, fallback: string) => typedValue(state, field) ?? fallback;
  const rules = settings.failureRules;
  return (
    <div className="space-y-4">
      <form
        action={action}
        aria-label={create ? "New study" : "Study settings"}
        className="space-y-6 rounded-lg border border-zinc-200 bg-white p-5"
      >
        {create ? null : <input type="hidden" name="study" value={slug} />}
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-base font-semibold">The study</legend>
          <div>
            <label htmlFor="settings-name" className={labelClass}>
              Name
            </label>
            <input
              id="settings-name"
              name="name"
              required
              maxLength={200}
              defaultValue={value("name", settings.name)}
              className={inputClass}
            />
            <FieldError state={state} field="name" />
          </div>
          {create ? (
            <div>
              <label htmlFor="settings-slug" className={labelClass}>
                Slug (in its address; cannot change later)
              </label>
              <input
                id="settings-slug"
                name="slug"
                required
                maxLength={63}
                pattern="[a-z0-9][a-z0-9\-]*"
                placeholder="rl-vs-sft-2026"
                defaultValue={value("slug", slug)}
                className={inputClass}
              />
              <FieldError state={state} field="slug" />
            </div>
          ) : null}
          <div className="sm:col-span-2">
            <label htmlFor="settings-description" className={labelClass}>
              Description
            </label>
            <textarea
              id="settings-description"
              name="description"
              rows={3}
              maxLength={4000}
              defaultValue={value("description", settings.description ?? "")}
              className={inputClass}
            />
            <FieldError state={state} field="description" />
          </div>
        </fieldset>

        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-base font-semibold">Review</legend>
          <label className={checkboxRow}>
            <input type="checkbox" name="blind" defaultChecked={settings.blind} />
            <span>
              Blind review: reviewers see “Response A, B, C” in a shuffled order, never the checkpoint or strategy
            </span>
          </label>
          <label className={checkboxRow}>
            <input type="checkbox" name="showSignals" defaultChecked={settings.showSignals} />
            <span>Show reviewers the automatic signals (language spans, refusal hints)</span>
          </label>
          <div>
            <label htmlFor="settings-mixing-threshold" className={labelClass}>
              A response mixes languages when
            </label>
            <select
              id="settings-mixing-threshold"
              name="mixingThreshold"
              defaultValue={settings.mixingThreshold}
              className={inputClass}
            >
              <option value="default">it has a mixing span (default: what reviewers of real output call mixing)</option>
              <option value="strict">any word is outside its main language (strict)</option>
            </select>
          </div>
          <div>
            <label htmlFor="settings-review-order" className={labelClass}>
              The review queue serves untouched prompts
            </label>
            <select
              id="settings-review-order"
              name="reviewOrder"
              defaultValue={settings.reviewOrder}
              className={inputClass}
            >
              <option value="import">in import order (default)</option>
              <option value="disagreement-first">
                where judges, signals and reviewers disagree, or a judge is unsure, first
              </option>
            </select>
          </div>
          <div>
            <label htmlFor="settings-overlap" className={labelClass}>
              Reviewers per prompt
            </label>
            <input
              id="settings-overlap"
              name="overlap"
              type="number"
              min={1}
              max={10}
              step={1}
              required
              defaultValue={value("overlap", String(settings.overlap))}
              className={inputClass}
            />
            <FieldError state={state} field="overlap" />
          </div>
          <div>
            <label htmlFor="settings-harm-categories" className={labelClass}>
              Harm categories (one per line)
            </label>
            <textarea
              id="settings-harm-categories"
              name="harmCategories"
              rows={4}
              defaultValue={value("harmCategories", settings.harmCategories.join("\n"))}
              className={inputClass}
            />
            <FieldError state={state} field="harmCategories" />
          </div>
        </fieldset>

        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-base font-semibold">Failure rules (every chart says which it used)</legend>
          <div>
            <label htmlFor="settings-harm-at-least" className={labelClass}>
              Harmful when the median harm severity is at least
            </label>
            <select
              id="settings-harm-at-least"
              name="harmSeverityAtLeast"
              defaultValue={value("harmSeverityAtLeast", String(rules.harmSeverityAtLeast))}
              className={inputClass}
            >
              <option value="1">1 — minor</option>
              <option value="2">2 — moderate</option>
              <option value="3">3 — severe</option>
            </select>
            <FieldError state={state} field="harmSeverityAtLeast" />
          </div>
          <div>
            <label htmlFor="settings-quality-at-most" className={labelClass}>
              Poor reasoning when the median quality is at most
            </label>
            <select
              id="settings-quality-at-most"
              name="poorQualityAtMost"
              defaultValue={value("poorQualityAtMost", String(rules.poorQualityAtMost))}
              className={inputClass}
            >
              {[1, 2, 3, 4].map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
            <FieldError state={state} field="poorQualityAtMost" />
          </div>
          <label className={checkboxRow}>
            <input type="checkbox" name="partialCountsAsRefusal" defaultChecked={rules.partialCountsAsRefusal} />
            <span>Over-refusal counts a partial refusal too</span>
          </label>
          <label className={checkboxRow}>
            <input type="checkbox" name="tieIsFailure" defaultChecked={rules.tieIsFailure} />
            <span>When reviewers split evenly (e.g. on mixing), count it as a failure</span>
          </label>
        </fieldset>

        <button type="submit" className={primaryButton} disabled={pending}>
          {create ? (pending ? "Creating…" : "Create study") : pending ? "Saving…" : "Save settings"}
        </button>
      </form>
      <FormMessage state={state} />
    </div>
  );
}
