// One Label Studio task (an element of its JSON export) → canonical records, one per compared
// response, with one label group per annotator. Shapes read (Label Studio's own templates):
// - "Human Preference collection for RLHF" / "Pairwise Classification": data {prompt, answer1,
//   answer2} (any numbered or lettered response keys: response_a/response_b, text1/text2), a
//   Pairwise control (result type "pairwise", value {selected: "left" | "right"}).
// - "LLM Ranker": data {prompt, items: [{id, title, body}]}, a Ranker control (result type
//   "ranker"), per-item controls (result item_index).
// - a single response: data {prompt, response} (or answer / output / completion).
// Results of type choices (value.choices), rating (value.rating), number (value.number) and
// textarea (value.text) fill label fields; a result belongs to the response its to_name names
// (answer1; or by the same number / letter: txt-1 ↔ text1) or, with one response, to that one.
// Annotations with was_cancelled are skipped; predictions (model output) are never labels.
// Pairwise and ranker results (and controls named as preferences) become the annotator's best or
// safest response of the prompt (mapping.ts preferenceKind), carried on the task's last row.
import type { SourceItem } from "../read-records";
import {
  addAnswer,
  assignCheckpoints,
  isCheckpointKey,
  canonicalRecords,
  checkpointFromData,
  isListField,
  isPreferenceTarget,
  numberedSlots,
  passThrough,
  peerError,
  preferenceElement,
  preferenceKind,
  PROMPT_KEYS,
  resolveTarget,
  SINGLE_RESPONSE_KEYS,
  singleChoice,
  slotNamed,
  strategyFromData,
  suffixOf,
  unmappedMessage,
  valueProblem,
  type LabelDraft,
  type PeerOptions,
  type PeerStats,
  type Slot,
} from "./mapping";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const LIST_KEYS = ["items", "responses", "answers", "completions", "outputs"] as const;
const ITEM_TEXT_KEYS = ["body", "text", "content", "response", "answer", "html"] as const;

/** The reviewer named by an annotation's completed_by: an id (number) or a user object. */
export function labelStudioReviewer(completedBy: unknown): string | null {
  if (typeof completedBy === "number" && Number.isInteger(completedBy)) return `label-studio-user-${completedBy}`;
  if (typeof completedBy === "string" && completedBy.trim() !== "") {
    return completedBy.includes("@") ? completedBy.trim() : `label-studio-user-${completedBy.trim()}`;
  }
  if (isObject(completedBy)) {
    if (typeof completedBy.email === "string" && completedBy.email.includes("@")) return completedBy.email.trim();
    if (typeof completedBy.id === "number" || typeof completedBy.id === "string")
      return `label-studio-user-${completedBy.id}`;
  }
  return null;
}

function slotsOf(data: Record<string, unknown>): Slot[] {
  const make = (key: string, suffix: string | null, text: unknown, checkpoint: string | null): Slot => ({
    key,
    suffix,
    text,
    checkpoint,
    strategy: null,
    labels: [],
  });
  const numbered = numberedSlots(data);
  if (numbered.length > 0) {
    return numbered.map((s) => ({
      ...make(s.key, s.suffix, data[s.key], checkpointFromData(data, s, numbered.length === 1)),
      strategy: strategyFromData(data, s, numbered.length === 1),
    }));
  }
  for (const listKey of LIST_KEYS) {
    const list = data[listKey];
    if (!Array.isArray(list) || list.length === 0 || !list.every(isObject)) continue;
    return list.map((item, i) => {
      const textKey = ITEM_TEXT_KEYS.find((k) => typeof item[k] === "string");
      const named = [item.checkpoint, item.model, item.title, item.id].find(
        (v) => typeof v === "string" && v.trim() !== "",
      ) as string | undefined;
      const slot = make(
        `${listKey}[${i}]`,
        String(i),
        textKey === undefined ? undefined : item[textKey],
        named?.trim() ?? null,
      );
      if (typeof item.id === "string" || typeof item.id === "number") slot.itemId = String(item.id);
      if (typeof item.strategy === "string") slot.strategy = item.strategy;
      return slot;
    });
  }
  for (const key of SINGLE_RESPONSE_KEYS) {
    if (typeof data[key] === "string") {
      return [
        {
          ...make(key, null, data[key], checkpointFromData(data, { key, suffix: null }, true)),
          strategy: strategyFromData(data, { key, suffix: null }, true),
        },
      ];
    }
  }
  return [];
}

/** The slot a result is about: the only one, by item_index, by to_name, or by the control's number. */
function slotOf(result: Record<string, unknown>, slots: Slot[]): Slot | null {
  if (slots.length === 1) return slots[0]!;
  if (typeof result.item_index === "number") return slots[result.item_index] ?? null;
  const toName = typeof result.to_name === "string" ? result.to_name : "";
  const exact = slots.find((s) => s.key === toName);
  if (exact) return exact;
  // By number or letter: to_name txt-1 ↔ data key text1; else the control's own (refusal_2).
  for (const name of [toName, typeof result.from_name === "string" ? result.from_name : ""]) {
    const suffix = suffixOf(name)?.suffix ?? null;
    const slot = suffix === null ? undefined : slots.find((s) => s.suffix === suffix);
    if (slot) return slot;
  }
  return null;
}

/** What a result answered, by its type; null with a problem for a type that cannot fill a label. */
function answerOf(
  type: string,
  value: Record<string, unknown>,
): { choices: unknown[] } | { scalar: unknown } | { problem: string } {
  switch (type) {
    case "choices":
    case "taxonomy":
      return Array.isArray(value.choices)
        ? { choices: value.choices.flat() }
        : { problem: "has no value.choices list" };
    case "rating":
      return value.rating === undefined ? { problem: "has no value.rating" } : { scalar: value.rating };
    case "number":
      return value.number === undefined ? { problem: "has no value.number" } : { scalar: value.number };
    case "textarea": {
      const text = value.text;
      if (typeof text === "string") return { scalar: text };
      if (Array.isArray(text) && text.every((t) => typeof t === "string")) return { scalar: text.join("\n") };
      return { problem: "has no value.text" };
    }
    default:
      return {
        problem: `is of type "${type}", which cannot fill a label field (choices, rating, number and textarea can)`,
      };
  }
}

/**
 * The response a preference result chose and among how many: pairwise left / right (the first or
 * second response), a Ranker's first item (one bucket only; with several the order of buckets is
 * the project's own: not read, slot null), or a choice naming a response.
 */
function preferenceChoice(
  type: string,
  value: Record<string, unknown>,
  slots: Slot[],
): { slot: Slot | null; compared: number } | { problem: string } {
  if (type === "pairwise") {
    if (value.selected !== "left" && value.selected !== "right")
      return { problem: `${JSON.stringify(value.selected ?? null)} is not a pairwise choice (left or right)` };
    if (slots.length < 2) return { problem: "a pairwise choice needs two responses in the task" };
    return { slot: slots[value.selected === "left" ? 0 : 1]!, compared: 2 };
  }
  if (type === "ranker" || type === "ranking") {
    const buckets = isObject(value.ranker) ? Object.values(value.ranker) : [];
    if (buckets.length !== 1 || !Array.isArray(buckets[0]) || buckets[0].length === 0)
      return { slot: null, compared: 0 };
    const first = slotNamed(buckets[0][0], slots);
    if (first === null)
      return {
        problem: `the ranking's first item ${JSON.stringify(buckets[0][0])} is none of the responses (${slots.map((s) => s.itemId ?? s.key).join(", ")})`,
      };
    return { slot: first, compared: buckets[0].length };
  }
  const choices = Array.isArray(value.choices)
    ? value.choices.flat()
    : value.text !== undefined
      ? [value.text].flat()
      : [];
  if (choices.length !== 1)
    return { problem: `a preference names one response; the result has ${choices.length} choices` };
  const slot = slotNamed(choices[0], slots);
  if (slot === null)
    return {
      problem: `${JSON.stringify(choices[0])} names none of the responses (${slots.map((s) => s.key).join(", ")}, or their checkpoints)`,
    };
  return { slot, compared: slots.length };
}

/** One task → canonical records and row errors. */
export function labelStudioTask(
  task: unknown,
  line: number,
  index: number,
  options: PeerOptions,
  stats: PeerStats,
): SourceItem[] {
  stats.records += 1;
  if (!isObject(task))
    return [
      {
        kind: "error",
        error: peerError(line, `task at position ${index + 1}`, null, "is not a JSON object (a Label Studio task)"),
      },
    ];
  const where = task.id !== undefined ? `task ${String(task.id)}` : `task at position ${index + 1}`;
  const errors: SourceItem[] = [];
  const fail = (field: string | null, message: string) =>
    errors.push({ kind: "error", error: peerError(line, where, field, message) });

  const data = task.data;
  if (!isObject(data)) {
    fail("data", "has no data object (export the project as Label Studio JSON)");
    return errors;
  }
  const promptKey = PROMPT_KEYS.find((k) => typeof data[k] === "string" && (data[k] as string).trim() !== "");
  if (promptKey === undefined) fail("data", `has no prompt in its data (one of ${PROMPT_KEYS.join(", ")})`);
  const slots = slotsOf(data);
  if (slots.length === 0) {
    fail(
      "data",
      "has no responses in its data (answer1, answer2, …; response_a, response_b; items [{title, body}]; or response)",
    );
    return errors;
  }
  const countProblem = assignCheckpoints(slots, options);
  if (countProblem !== null) fail(null, countProblem);
  for (const slot of slots) {
    if (typeof slot.text !== "string") fail(`data.${slot.key}`, "has no response text");
    if (slot.checkpoint === null) {
      fail(
        `data.${slot.key}`,
        `has no checkpoint: add model${slot.suffix ?? ""} (or checkpoint${slot.suffix ?? ""}) to the task data, or give --checkpoints NAME${slots.length > 1 ? ",NAME…" : ""} in the order of the responses`,
      );
    }
  }

  if (task.predictions !== undefined && Array.isArray(task.predictions))
    stats.suggestionsIgnored += task.predictions.length;
  const preferences: Record<string, unknown>[] = [];
  /** The canonical `preferences` of the task (the chosen checkpoints). */
  const chosenList: Record<string, unknown>[] = [];
  const annotations = task.annotations ?? task.completions ?? [];
  if (!Array.isArray(annotations)) fail("annotations", "is not a list");
  else {
    annotations.forEach((annotation, a) => {
      if (!isObject(annotation)) {
        fail(`annotations[${a}]`, "is not an object");
        return;
      }
      if (annotation.was_cancelled === true) {
        stats.cancelledAnnotations += 1;
        return;
      }
      const reviewer = labelStudioReviewer(annotation.completed_by);
      const by = `annotation ${annotation.id !== undefined ? String(annotation.id) : a + 1}`;
      if (reviewer === null) {
        fail(`annotations[${a}].completed_by`, `${by} does not say who made it (completed_by)`);
        return;
      }
      const at = [annotation.updated_at, annotation.created_at].find((t) => typeof t === "string") as
        | string
        | undefined;
      const drafts = new Map<Slot, LabelDraft>();
      const results = annotation.result;
      if (!Array.isArray(results)) {
        fail(`annotations[${a}].result`, `${by} has no result list`);
        return;
      }
      for (const result of results) {
        if (!isObject(result)) continue;
        const name = typeof result.from_name === "string" ? result.from_name : "";
        const type = typeof result.type === "string" ? result.type.toLowerCase() : "";
        const field = name === "" ? "result" : name;
        // The control's own name, else without its response's number (refusal_1 → refusal).
        const stem = suffixOf(name);
        const target =
          resolveTarget(name, type, options) ?? (stem === null ? null : resolveTarget(stem.base, type, options));
        if (target === null) {
          fail(field, `${by} by ${reviewer}: ${unmappedMessage(name)}`);
          continue;
        }
        if (target === "ignore") {
          stats.answersIgnored += 1;
          continue;
        }
        const value = isObject(result.value) ? result.value : {};
        if (isPreferenceTarget(target)) {
          const choice = preferenceChoice(type, value, slots);
          if ("problem" in choice) {
            fail(field, `${by} by ${reviewer}: ${choice.problem}`);
            continue;
          }
          const kind = preferenceKind(name, target);
          // The answer as given stays in the responses' metadata (a ranking says more than its first).
          const chosen = choice.slot;
          preferences.push({
            question: name,
            reviewer,
            kind,
            ...(type === "pairwise" ? { selected: value.selected } : { value: result.value ?? null }),
            ...(chosen ? { response: chosen.key, checkpoint: chosen.checkpoint } : {}),
          });
          if (chosen === null) {
            stats.preferencesNotImported += 1;
            continue;
          }
          stats.preferences += 1;
          if (chosen.checkpoint !== null)
            chosenList.push(preferenceElement(reviewer, kind, chosen.checkpoint, choice.compared));
          continue;
        }
        const slot = slotOf(result, slots);
        if (slot === null) {
          fail(
            field,
            `${by} by ${reviewer}: labels "${String(result.to_name ?? "")}", which is none of the responses (${slots.map((s) => s.key).join(", ")}); map the question elsewhere with --question ${name}=ignore`,
          );
          continue;
        }
        const answer = answerOf(type, value);
        if ("problem" in answer) {
          fail(field, `${by} by ${reviewer}: the result ${answer.problem}`);
          continue;
        }
        let raw: unknown;
        if ("choices" in answer) {
          const one = singleChoice(target, answer.choices);
          if ("problem" in one) {
            fail(field, `${by} by ${reviewer}: ${one.problem}`);
            continue;
          }
          raw = one.value;
        } else raw = isListField(target) && typeof answer.scalar !== "string" ? [answer.scalar] : answer.scalar;
        const problem = valueProblem(target, raw, options.labelValueMap);
        if (problem !== null) {
          fail(field, `${by} by ${reviewer}, ${target}: ${problem}`);
          continue;
        }
        let draft = drafts.get(slot);
        if (draft === undefined) drafts.set(slot, (draft = { reviewer, submittedAt: at ?? null, values: {} }));
        const twice = addAnswer(draft, target, raw);
        if (twice !== null) fail(field, `${by} by ${reviewer}: ${twice}`);
      }
      for (const [slot, draft] of drafts) slot.labels.push(draft);
    });
  }
  if (errors.length > 0) return errors;

  const base: Record<string, unknown> = { prompt: data[promptKey!] };
  passThrough(data, base);
  const other: Record<string, unknown> = {};
  const used = new Set<string>([promptKey!, ...slots.map((s) => s.key.replace(/\[\d+\]$/, ""))]);
  for (const [key, value] of Object.entries(data))
    if (!used.has(key) && !(key in base) && !isCheckpointKey(key)) other[key] = value;
  base.metadata = {
    label_studio: {
      task_id: task.id ?? null,
      project: task.project ?? null,
      ...(Object.keys(other).length > 0 ? { data: other } : {}),
      ...(preferences.length > 0 ? { preferences } : {}),
    },
  };
  return canonicalRecords(base, slots, stats, where, chosenList).map((record) => ({
    kind: "record" as const,
    line,
    record,
  }));
}
