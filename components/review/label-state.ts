// The labels of one prompt while the reviewer works on it: one label per response, the preference,
// undo/redo, and what a keyboard command does to a label. Framework-free (a reducer), so the
// workspace's behaviour is unit-tested without a browser.
import {
  emptyLabelValues,
  HARM_LOCATIONS,
  LABEL_DIMENSIONS,
  LANGUAGE_MIXINGS,
  labelValuesOf,
  REFUSALS,
  sameLabelValues,
  type LabelDimension,
} from "@/lib/labels";
import type { LabelFields } from "@/lib/review/label-input";
import type { Command, FlagName } from "@/lib/review-screen/keymap";

export type Preference = { safestResponseId: number | null; bestResponseId: number | null };

export const EMPTY_LABEL: LabelFields = Object.freeze(emptyLabelValues()) as LabelFields;

export interface LabelSnapshot {
  labels: Record<number, LabelFields>;
  preference: Preference;
}

export interface LabelState extends LabelSnapshot {
  /** The label version each response's edit started from (null: a new label): sent with the submit. */
  baseVersions: Record<number, number | null>;
  past: LabelSnapshot[];
  future: LabelSnapshot[];
  /** What the last change was, so a run of keystrokes in one note is one undo step. */
  lastEdit: string | null;
  /** Bumped on every change of labels or preference: the autosave watches it. */
  revision: number;
}

export type LabelAction =
  | { type: "command"; responseId: number; command: Command; categories: readonly string[] }
  | { type: "patch"; responseId: number; patch: Partial<LabelFields> }
  | { type: "note"; responseId: number; note: string }
  | { type: "toggleCategory"; responseId: number; category: string }
  | { type: "toggleFlag"; responseId: number; flag: FlagName }
  | { type: "prefer"; kind: "safest" | "best"; responseId: number }
  | { type: "undo" }
  | { type: "redo" }
  /** Take another version of some labels (conflict resolution) without losing undo. */
  | { type: "replace"; labels: Record<number, LabelFields>; baseVersions: Record<number, number | null> }
  | { type: "rebase"; baseVersions: Record<number, number | null> }
  /** Start over from a restored draft: no undo step, but saved again (revision bumps). */
  | {
      type: "restore";
      labels: Record<number, LabelFields>;
      baseVersions: Record<number, number | null>;
      preference: Preference;
    };

const HISTORY = 200;
const REFUSAL_CYCLE = REFUSALS.map((r) => r.value);
const MIXING_CYCLE = LANGUAGE_MIXINGS.map((m) => m.value);
const LOCATION_CYCLE = HARM_LOCATIONS.map((l) => l.value);

export function initialLabelState(
  labels: Record<number, LabelFields>,
  preference: Preference,
  baseVersions: Record<number, number | null>,
): LabelState {
  return { labels, preference, baseVersions, past: [], future: [], lastEdit: null, revision: 0 };
}

function cycle<T>(values: readonly T[], current: T | null, includeUnset: boolean): T | null {
  const at = current === null ? -1 : values.indexOf(current);
  if (at === values.length - 1) return includeUnset ? null : values[0]!;
  return values[at + 1]!;
}

function toggle(list: readonly string[], item: string): string[] {
  return list.includes(item) ? list.filter((c) => c !== item) : [...list, item];
}

/** A keyboard command applied to one label; null when the command is not about a label. */
export function applyLabelCommand(
  fields: LabelFields,
  command: Command,
  categories: readonly string[],
): LabelFields | null {
  switch (command.type) {
    case "severity":
      return { ...fields, harmSeverity: fields.harmSeverity === command.value ? null : command.value };
    case "refusal":
      return { ...fields, refusal: fields.refusal === command.value ? null : command.value };
    case "refusalCycle":
      return { ...fields, refusal: cycle(REFUSAL_CYCLE, fields.refusal, false) };
    case "mixingCycle":
      return { ...fields, languageMixing: cycle(MIXING_CYCLE, fields.languageMixing, false) };
    case "locationCycle":
      return { ...fields, harmLocation: cycle(LOCATION_CYCLE, fields.harmLocation, true) };
    case "quality":
      return { ...fields, reasoningQuality: fields.reasoningQuality === command.value ? null : command.value };
    case "flag":
      return { ...fields, [command.flag]: !fields[command.flag] };
    case "category": {
      const category = categories[command.index];
      return category === undefined ? fields : { ...fields, harmCategories: toggle(fields.harmCategories, category) };
    }
    case "clearLabel":
      return { ...EMPTY_LABEL };
    default:
      return null;
  }
}

function withChange(state: LabelState, next: LabelSnapshot, editKey: string | null): LabelState {
  const coalesce = editKey !== null && editKey === state.lastEdit;
  const past = coalesce
    ? state.past
    : [...state.past.slice(-(HISTORY - 1)), { labels: state.labels, preference: state.preference }];
  return { ...state, ...next, past, future: [], lastEdit: editKey, revision: state.revision + 1 };
}

function changeLabel(
  state: LabelState,
  responseId: number,
  fields: LabelFields | null,
  editKey: string | null = null,
): LabelState {
  if (fields === null) return state;
  const current = state.labels[responseId] ?? EMPTY_LABEL;
  if (sameFields(current, fields)) return state;
  return withChange(
    state,
    { labels: { ...state.labels, [responseId]: fields }, preference: state.preference },
    editKey,
  );
}

export function labelReducer(state: LabelState, action: LabelAction): LabelState {
  switch (action.type) {
    case "command": {
      const current = state.labels[action.responseId] ?? EMPTY_LABEL;
      return changeLabel(state, action.responseId, applyLabelCommand(current, action.command, action.categories));
    }
    case "patch":
      return changeLabel(state, action.responseId, {
        ...(state.labels[action.responseId] ?? EMPTY_LABEL),
        ...action.patch,
      });
    case "note": {
      const note = action.note === "" ? null : action.note;
      return changeLabel(
        state,
        action.responseId,
        { ...(state.labels[action.responseId] ?? EMPTY_LABEL), note },
        `note:${action.responseId}`,
      );
    }
    case "toggleCategory": {
      const current = state.labels[action.responseId] ?? EMPTY_LABEL;
      return changeLabel(state, action.responseId, {
        ...current,
        harmCategories: toggle(current.harmCategories, action.category),
      });
    }
    case "toggleFlag": {
      const current = state.labels[action.responseId] ?? EMPTY_LABEL;
      return changeLabel(state, action.responseId, { ...current, [action.flag]: !current[action.flag] });
    }
    case "prefer": {
      const key = action.kind === "safest" ? "safestResponseId" : "bestResponseId";
      const preference = {
        ...state.preference,
        [key]: state.preference[key] === action.responseId ? null : action.responseId,
      };
      return withChange(state, { labels: state.labels, preference }, null);
    }
    case "undo": {
      const previous = state.past.at(-1);
      if (!previous) return state;
      return {
        ...state,
        ...previous,
        past: state.past.slice(0, -1),
        future: [{ labels: state.labels, preference: state.preference }, ...state.future],
        lastEdit: null,
        revision: state.revision + 1,
      };
    }
    case "redo": {
      const next = state.future[0];
      if (!next) return state;
      return {
        ...state,
        ...next,
        past: [...state.past, { labels: state.labels, preference: state.preference }],
        future: state.future.slice(1),
        lastEdit: null,
        revision: state.revision + 1,
      };
    }
    case "replace":
      return {
        ...withChange(state, { labels: { ...state.labels, ...action.labels }, preference: state.preference }, null),
        baseVersions: { ...state.baseVersions, ...action.baseVersions },
      };
    case "rebase":
      return {
        ...state,
        baseVersions: { ...state.baseVersions, ...action.baseVersions },
        revision: state.revision + 1,
      };
    case "restore":
      return {
        ...state,
        labels: action.labels,
        baseVersions: action.baseVersions,
        preference: action.preference,
        past: [],
        future: [],
        lastEdit: null,
        revision: state.revision + 1,
      };
  }
}

export function sameFields(a: LabelFields, b: LabelFields): boolean {
  return sameLabelValues(a, b);
}

interface MissingContext {
  /** The response has a reasoning part to judge. */
  hasReasoning: boolean;
}

/**
 * Per dimension: what is missing before a submit without gaps, or null. Flags, categories and the
 * note are optional; where the harm is matters only once there is harm; reasoning quality only
 * when there is reasoning.
 */
const MISSING: Record<LabelDimension, (fields: LabelFields, context: MissingContext) => string | null> = {
  harmSeverity: (f) => (f.harmSeverity === null ? "harm severity" : null),
  harmCategories: () => null,
  harmLocation: (f) =>
    f.harmSeverity !== null && f.harmSeverity > 0 && f.harmLocation === null ? "where the harm is" : null,
  refusal: (f) => (f.refusal === null ? "refusal" : null),
  languageMixing: (f) => (f.languageMixing === null ? "language mixing" : null),
  reasoningQuality: (f, c) => (c.hasReasoning && f.reasoningQuality === null ? "reasoning quality" : null),
  rewardHacking: () => null,
  repetitionLoop: () => null,
  unfaithful: () => null,
  formatViolation: () => null,
  note: () => null,
};

/** The fields a reviewer has not judged yet; the workspace asks before submitting with gaps. */
export function missingFields(fields: LabelFields, hasReasoning: boolean): string[] {
  return LABEL_DIMENSIONS.map((d) => MISSING[d](fields, { hasReasoning })).filter((m): m is string => m !== null);
}

/** Only the fields the label schema knows (a draft or a saved label may carry more). */
export function labelFieldsOf(value: LabelFields): LabelFields {
  return labelValuesOf(value);
}
