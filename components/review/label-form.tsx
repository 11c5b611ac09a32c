// The label form of one response: every field of a label with its key shown beside it, so the
// mouse is optional and the keys are learnt by looking. Radio groups for single choices, checkboxes
// for categories and flags.
import { memo, type ReactNode, type Ref } from "react";
import {
  DIMENSIONS,
  HARM_LOCATIONS,
  HARM_SEVERITIES,
  LANGUAGE_MIXINGS,
  NOTE_MAX_CHARS,
  REASONING_QUALITIES,
  REFUSALS,
  type RefusalValue,
} from "@/lib/labels";
import type { LabelFields } from "@/lib/review/label-input";
import { FLAG_ORDER, type FlagName, type Prefix } from "@/lib/review-screen/keymap";
import type { LabelAction } from "./label-state";

/** The key that sets each refusal value (r cycles through them). */
const REFUSAL_KEYS: Record<RefusalValue, string> = { COMPLIED: "c", PARTIAL: "p", REFUSED: "x" };
/** A flag's full name: the chip's tooltip and accessible description. */
export const FLAG_TEXT: Record<FlagName, string> = {
  rewardHacking: DIMENSIONS.rewardHacking.title,
  repetitionLoop: DIMENSIONS.repetitionLoop.title,
  unfaithful: DIMENSIONS.unfaithful.title,
  formatViolation: DIMENSIONS.formatViolation.title,
};
/** Short names for the chips (the full one is their tooltip and accessible description). */
const FLAG_SHORT: Record<FlagName, string> = {
  rewardHacking: "reward hacking",
  repetitionLoop: "loop",
  unfaithful: "unfaithful",
  formatViolation: "format",
};

function Key({ children }: { children: ReactNode }) {
  return (
    <kbd className="rounded border border-zinc-300 bg-white px-1 font-mono text-[10px] leading-none text-zinc-500">
      {children}
    </kbd>
  );
}

const chip =
  "inline-flex cursor-pointer items-center gap-1 rounded border border-zinc-200 bg-white px-1 py-px text-[11px] text-zinc-700 select-none hover:border-zinc-400 has-checked:border-accent has-checked:bg-accent has-checked:text-white has-checked:[&_kbd]:border-white/40 has-checked:[&_kbd]:bg-transparent has-checked:[&_kbd]:text-white has-focus-visible:outline-2 has-focus-visible:outline-accent";

function Row({
  legend,
  hint,
  pending,
  children,
}: {
  legend: string;
  hint: ReactNode;
  pending?: boolean;
  children: ReactNode;
}) {
  return (
    <fieldset
      data-field={legend}
      className={`grid grid-cols-[4rem_minmax(0,1fr)] items-start gap-x-1.5 rounded ${pending ? "bg-amber-50 ring-1 ring-amber-300" : ""}`}
    >
      <legend className="sr-only">{legend}</legend>
      <span
        aria-hidden="true"
        className="flex items-center justify-between gap-1 text-[11px] font-medium text-zinc-600"
      >
        {legend} {hint}
      </span>
      <div className="flex flex-wrap gap-1">{children}</div>
    </fieldset>
  );
}

function Choice({
  name,
  label,
  keyHint,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  keyHint?: ReactNode;
  checked: boolean;
  onChange: () => void;
}) {
  return (
    <label className={chip}>
      <input type="radio" className="sr-only" name={name} checked={checked} onChange={onChange} />
      {keyHint ? <Key>{keyHint}</Key> : null}
      {label}
    </label>
  );
}

function Toggle({
  label,
  title,
  keyHint,
  checked,
  onChange,
}: {
  label: string;
  title?: string;
  keyHint?: ReactNode;
  checked: boolean;
  onChange: () => void;
}) {
  return (
    <label className={chip} title={title}>
      <input type="checkbox" className="sr-only" checked={checked} onChange={onChange} aria-label={title} />
      {keyHint ? <Key>{keyHint}</Key> : null}
      {label}
    </label>
  );
}

export interface LabelFormProps {
  responseId: number;
  letter: string;
  hasReasoning: boolean;
  fields: LabelFields;
  categories: readonly string[];
  /** The prefix key waiting for its number, when this is the active response. */
  prefix: Prefix | null;
  dispatch: (action: LabelAction) => void;
  noteRef?: Ref<HTMLTextAreaElement>;
}

function LabelFormImpl({ responseId, letter, fields, categories, prefix, dispatch, noteRef }: LabelFormProps) {
  const patch = (p: Partial<LabelFields>) => dispatch({ type: "patch", responseId, patch: p });
  const name = (field: string) => `${field}-${responseId}`;
  // Where and which categories matter once there is harm (or when they were set anyway).
  const harmful =
    (fields.harmSeverity ?? 0) > 0 ||
    fields.harmLocation !== null ||
    fields.harmCategories.length > 0 ||
    prefix === "category";
  return (
    <div role="group" aria-label={`Label of response ${letter}`} className="space-y-1.5">
      <Row legend="Harm" hint={<Key>0–3</Key>}>
        {HARM_SEVERITIES.map((s) => (
          <Choice
            key={s.value}
            name={name("severity")}
            label={s.text}
            keyHint={String(s.value)}
            checked={fields.harmSeverity === s.value}
            onChange={() => patch({ harmSeverity: s.value })}
          />
        ))}
      </Row>
      {harmful ? (
        <>
          <Row legend="Where" hint={<Key>w</Key>}>
            {HARM_LOCATIONS.map((l) => (
              <Choice
                key={l.value}
                name={name("location")}
                label={l.text}
                checked={fields.harmLocation === l.value}
                onChange={() => patch({ harmLocation: l.value })}
              />
            ))}
          </Row>
          <Row legend="Category" hint={<Key>g</Key>} pending={prefix === "category"}>
            {categories.map((category, i) => (
              <Toggle
                key={category}
                label={category}
                keyHint={i < 10 ? String((i + 1) % 10) : undefined}
                checked={fields.harmCategories.includes(category)}
                onChange={() => dispatch({ type: "toggleCategory", responseId, category })}
              />
            ))}
          </Row>
        </>
      ) : null}
      <Row legend="Refusal" hint={<Key>r</Key>}>
        {REFUSALS.map((r) => (
          <Choice
            key={r.value}
            name={name("refusal")}
            label={r.text}
            keyHint={REFUSAL_KEYS[r.value]}
            checked={fields.refusal === r.value}
            onChange={() => patch({ refusal: r.value })}
          />
        ))}
      </Row>
      <Row legend="Mixing" hint={<Key>m</Key>}>
        {LANGUAGE_MIXINGS.map((m) => (
          <Choice
            key={m.value}
            name={name("mixing")}
            label={m.text}
            checked={fields.languageMixing === m.value}
            onChange={() => patch({ languageMixing: m.value })}
          />
        ))}
      </Row>
      <Row legend="Quality" hint={<Key>q</Key>} pending={prefix === "quality"}>
        {REASONING_QUALITIES.map((q) => (
          <Choice
            key={q}
            name={name("quality")}
            label={String(q)}
            checked={fields.reasoningQuality === q}
            onChange={() => patch({ reasoningQuality: q })}
          />
        ))}
      </Row>
      <Row legend="Flags" hint={<Key>f</Key>} pending={prefix === "flag"}>
        {FLAG_ORDER.map((flag, i) => (
          <Toggle
            key={flag}
            label={FLAG_SHORT[flag]}
            title={FLAG_TEXT[flag]}
            keyHint={String(i + 1)}
            checked={fields[flag]}
            onChange={() => dispatch({ type: "toggleFlag", responseId, flag })}
          />
        ))}
      </Row>
      <label className="grid grid-cols-[4rem_minmax(0,1fr)] items-start gap-x-1.5">
        <span className="flex items-center justify-between pt-1 text-[11px] font-medium text-zinc-600">
          Note <Key>n</Key>
        </span>
        <textarea
          ref={noteRef}
          rows={1}
          maxLength={NOTE_MAX_CHARS}
          value={fields.note ?? ""}
          onChange={(event) => dispatch({ type: "note", responseId, note: event.target.value })}
          placeholder="Optional. Esc to leave."
          className="block h-7 w-full resize-y rounded-md border transition-[height] focus:h-20 border-zinc-300 bg-white px-2 py-1 text-xs text-zinc-950 placeholder:text-zinc-400 focus:border-accent focus:outline-2 focus:outline-accent/30"
          aria-label={`Note on response ${letter}`}
        />
      </label>
    </div>
  );
}

export const LabelForm = memo(LabelFormImpl);
