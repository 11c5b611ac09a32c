// One Argilla 2.x record → canonical records with one label group per annotator. Two shapes, as
// the Argilla SDK writes them (argilla/records/_io):
// - nested (`dataset.records.to_json(path)`, a JSON array, and `to_list(flatten=False)`):
//   {id, fields: {…}, metadata: {…}, suggestions: {question: {value, score, agent}},
//    responses: {question: [{value, user_id, status?}]}, vectors, status, _server_id}
// - flat (`to_list(flatten=True)`, `to_datasets()` / the Hugging Face export, saved as JSON Lines):
//   {id, <field>…, <metadata>…, "<question>.responses": [values], "<question>.responses.users":
//    [user ids], "<question>.responses.status": [statuses], "<question>.suggestion",
//    "<question>.suggestion.score", "<question>.suggestion.agent", status, _server_id}
// Submitted responses become labels; draft and discarded ones are skipped and counted; a response
// without a status (the nested export of some SDK versions leaves it out) counts as submitted.
// Suggestions are model output, never labels: counted and ignored. Rankings (and questions named
// as preferences) become the user's best or safest response of the prompt, on the record's last row.
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

interface Answer {
  question: string;
  value: unknown;
  userId: unknown;
  status: unknown;
  /** Where it was found, for messages. */
  field: string;
}

/** The record's answers, fields and metadata, whichever shape it came in. */
function readShape(record: Record<string, unknown>): {
  fields: Record<string, unknown>;
  metadata: Record<string, unknown>;
  answers: Answer[];
  suggestions: number;
  problems: [string, string][];
} {
  const answers: Answer[] = [];
  const problems: [string, string][] = [];
  if (isObject(record.fields)) {
    const responses = record.responses ?? {};
    if (!isObject(responses)) problems.push(["responses", "is not an object of questions"]);
    else {
      for (const [question, list] of Object.entries(responses)) {
        if (!Array.isArray(list)) {
          problems.push([`responses.${question}`, "is not a list of responses"]);
          continue;
        }
        list.forEach((r, i) => {
          if (!isObject(r)) problems.push([`responses.${question}[${i}]`, "is not an object {value, user_id}"]);
          else
            answers.push({
              question,
              value: r.value,
              userId: r.user_id,
              status: r.status,
              field: `responses.${question}[${i}]`,
            });
        });
      }
    }
    const suggestions = isObject(record.suggestions) ? Object.keys(record.suggestions).length : 0;
    return {
      fields: record.fields,
      metadata: isObject(record.metadata) ? record.metadata : {},
      answers,
      suggestions,
      problems,
    };
  }
  // Flat: every key that is not a response or suggestion column is a field or metadata.
  const fields: Record<string, unknown> = {};
  let suggestions = 0;
  for (const [key, value] of Object.entries(record)) {
    if (key.endsWith(".responses")) {
      const question = key.slice(0, -".responses".length);
      const users = record[`${key}.users`];
      const statuses = record[`${key}.status`];
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value) || !Array.isArray(users) || users.length !== value.length) {
        problems.push([key, `must be a list with a matching "${key}.users" list`]);
        continue;
      }
      if (
        statuses !== undefined &&
        statuses !== null &&
        (!Array.isArray(statuses) || statuses.length !== value.length)
      ) {
        problems.push([`${key}.status`, `must be a list as long as "${key}"`]);
        continue;
      }
      value.forEach((v, i) => {
        answers.push({
          question,
          value: v,
          userId: users[i],
          status: Array.isArray(statuses) ? statuses[i] : undefined,
          field: `${key}[${i}]`,
        });
      });
    } else if (key.endsWith(".responses.users") || key.endsWith(".responses.status")) continue;
    else if (key.endsWith(".suggestion")) {
      if (value !== null && value !== undefined) suggestions += 1;
    } else if (key.endsWith(".suggestion.score") || key.endsWith(".suggestion.agent")) continue;
    else if (key !== "id" && key !== "status" && key !== "_server_id" && key !== "vectors") fields[key] = value;
  }
  return { fields, metadata: fields, answers, suggestions, problems };
}

function slotsOf(fields: Record<string, unknown>, metadata: Record<string, unknown>): Slot[] {
  const pool = { ...metadata, ...fields };
  const numbered = numberedSlots(fields);
  if (numbered.length > 0) {
    return numbered.map((s) => ({
      key: s.key,
      suffix: s.suffix,
      text: fields[s.key],
      checkpoint: checkpointFromData(pool, s, numbered.length === 1),
      strategy: strategyFromData(pool, s, numbered.length === 1),
      labels: [],
    }));
  }
  for (const key of SINGLE_RESPONSE_KEYS) {
    if (typeof fields[key] === "string") {
      const slot = { key, suffix: null };
      return [
        {
          ...slot,
          text: fields[key],
          checkpoint: checkpointFromData(pool, slot, true),
          strategy: strategyFromData(pool, slot, true),
          labels: [],
        },
      ];
    }
  }
  return [];
}

/** The slot a question is about: the only one, or by the question name's number / letter (harm_1, refusal_b). */
function slotOf(question: string, slots: Slot[]): Slot | null {
  if (slots.length === 1) return slots[0]!;
  const suffix = suffixOf(question)?.suffix ?? null;
  return suffix === null ? null : (slots.find((s) => s.suffix === suffix) ?? null);
}

export function argillaReviewer(userId: unknown): string | null {
  if (typeof userId === "string" && userId.trim() !== "" && userId !== "None")
    return userId.includes("@") ? userId.trim() : `argilla-user-${userId.trim()}`;
  if (typeof userId === "number") return `argilla-user-${userId}`;
  return null;
}

/**
 * The response a preference answer chose and among how many: a ranking's first (a tie at the top:
 * slot null, not imported), or a value naming a response (response_2, 2, b, a checkpoint).
 */
function preferenceChoice(
  value: unknown,
  slots: Slot[],
): { slot: Slot | null; compared: number } | { problem: string } {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => isObject(v) && "rank" in v)) {
    const ranked = value as Record<string, unknown>[];
    const ranks = ranked.map((v) => Number(v.rank));
    if (ranks.some((r) => !Number.isFinite(r))) return { problem: "a ranking's ranks must be numbers" };
    const top = Math.min(...ranks);
    const first = ranked.filter((_, i) => ranks[i] === top);
    if (first.length > 1) return { slot: null, compared: ranked.length };
    const slot = slotNamed(first[0]!.value, slots);
    if (slot === null)
      return {
        problem: `the ranking's first ${JSON.stringify(first[0]!.value ?? null)} names none of the responses (${slots.map((s) => s.key).join(", ")})`,
      };
    return { slot, compared: ranked.length };
  }
  const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
  const slot = slotNamed(one, slots);
  if (slot === null)
    return {
      problem: `${JSON.stringify(value ?? null)} names none of the responses (${slots.map((s) => s.key).join(", ")}, or their checkpoints)`,
    };
  return { slot, compared: slots.length };
}

/** One record → canonical records and row errors. */
export function argillaRecord(
  record: unknown,
  line: number,
  index: number,
  options: PeerOptions,
  stats: PeerStats,
): SourceItem[] {
  stats.records += 1;
  if (!isObject(record))
    return [
      {
        kind: "error",
        error: peerError(line, `record at position ${index + 1}`, null, "is not a JSON object (an Argilla record)"),
      },
    ];
  const where =
    record.id !== undefined && record.id !== null ? `record ${String(record.id)}` : `record at position ${index + 1}`;
  const errors: SourceItem[] = [];
  const fail = (field: string | null, message: string) =>
    errors.push({ kind: "error", error: peerError(line, where, field, message) });

  const { fields, metadata, answers, suggestions, problems } = readShape(record);
  for (const [field, message] of problems) fail(field, message);
  stats.suggestionsIgnored += suggestions;

  const promptKey = PROMPT_KEYS.find((k) => typeof fields[k] === "string" && (fields[k] as string).trim() !== "");
  const chatKey =
    promptKey === undefined
      ? Object.keys(fields).find(
          (k) =>
            Array.isArray(fields[k]) &&
            (fields[k] as unknown[]).length > 0 &&
            (fields[k] as unknown[]).every((m) => isObject(m) && typeof m.role === "string"),
        )
      : undefined;
  const slots = chatKey === undefined ? slotsOf(fields, metadata) : [];
  if (promptKey === undefined && chatKey === undefined)
    fail("fields", `has no prompt field (one of ${PROMPT_KEYS.join(", ")}, or a chat field)`);
  else if (chatKey === undefined && slots.length === 0)
    fail(
      "fields",
      `has no response field (one of ${SINGLE_RESPONSE_KEYS.join(", ")}, or numbered: response_1, response_2)`,
    );
  if (chatKey !== undefined) {
    const pool = { ...metadata, ...fields };
    const slot = { key: chatKey, suffix: null };
    slots.push({
      ...slot,
      text: fields[chatKey],
      checkpoint: checkpointFromData(pool, slot, true),
      strategy: strategyFromData(pool, slot, true),
      labels: [],
    });
  }
  const countProblem = slots.length > 0 ? assignCheckpoints(slots, options) : null;
  if (countProblem !== null) fail(null, countProblem);
  for (const slot of slots) {
    if (slot.checkpoint === null)
      fail(
        `fields.${slot.key}`,
        "has no checkpoint: add a checkpoint (or model) metadata property to the records, or give --checkpoints NAME",
      );
  }

  const drafts = new Map<string, Map<Slot, LabelDraft>>();
  const preferences: Record<string, unknown>[] = [];
  /** The canonical `preferences` of the record (the chosen checkpoints). */
  const chosenList: Record<string, unknown>[] = [];
  const submittedAt = typeof record.updated_at === "string" ? record.updated_at : null;
  for (const answer of answers) {
    const missing = answer.status === undefined || answer.status === null;
    if (missing) stats.statusMissing += 1;
    const status = missing ? "submitted" : String(answer.status).toLowerCase();
    if (status === "draft") {
      stats.draftResponses += 1;
      continue;
    }
    if (status === "discarded") {
      stats.discardedResponses += 1;
      continue;
    }
    const reviewer = argillaReviewer(answer.userId);
    if (status !== "submitted") {
      fail(answer.field, `${JSON.stringify(answer.status)} is not a response status (submitted, draft, discarded)`);
      continue;
    }
    if (reviewer === null) {
      fail(answer.field, "does not say which user gave it (user_id)");
      continue;
    }
    const base = suffixOf(answer.question);
    let target = resolveTarget(answer.question, null, options);
    // A name ending in a response's number maps like its stem (refusal_1 → refusal).
    if (target === null && base !== null) target = resolveTarget(base.base, null, options);
    if (target === null && Array.isArray(answer.value) && answer.value.every((v) => isObject(v) && "rank" in v))
      target = "preference";
    if (target === null) {
      fail(answer.question, `${reviewer}: ${unmappedMessage(answer.question)}`);
      continue;
    }
    if (target === "ignore") {
      stats.answersIgnored += 1;
      continue;
    }
    if (isPreferenceTarget(target)) {
      const choice = preferenceChoice(answer.value, slots);
      if ("problem" in choice) {
        fail(answer.question, `${reviewer}: ${choice.problem}`);
        continue;
      }
      const kind = preferenceKind(answer.question, target);
      // The answer as given stays in the responses' metadata (a ranking says more than its first).
      preferences.push({ question: answer.question, reviewer, kind, value: answer.value ?? null });
      if (choice.slot === null) {
        stats.preferencesNotImported += 1;
        continue;
      }
      stats.preferences += 1;
      if (choice.slot.checkpoint !== null)
        chosenList.push(preferenceElement(reviewer, kind, choice.slot.checkpoint, choice.compared));
      continue;
    }
    const slot = slotOf(answer.question, slots);
    if (slot === null) {
      fail(
        answer.question,
        `${reviewer}: the question is about none of the responses (${slots.map((s) => s.key).join(", ")}); with several responses a question ends in the response's number or letter (harm_1, harm_2)`,
      );
      continue;
    }
    let raw = answer.value;
    if (Array.isArray(raw) && !isListField(target)) {
      const one = singleChoice(target, raw);
      if ("problem" in one) {
        fail(answer.question, `${reviewer}: ${one.problem}`);
        continue;
      }
      raw = one.value;
    } else if (isListField(target) && typeof raw !== "string" && !Array.isArray(raw)) raw = [raw];
    const problem = valueProblem(target, raw, options.labelValueMap);
    if (problem !== null) {
      fail(answer.question, `${reviewer}, ${target}: ${problem}`);
      continue;
    }
    let byUser = drafts.get(reviewer);
    if (byUser === undefined) drafts.set(reviewer, (byUser = new Map()));
    let draft = byUser.get(slot);
    if (draft === undefined) {
      byUser.set(slot, (draft = { reviewer, submittedAt, values: {} }));
      slot.labels.push(draft);
    }
    const twice = addAnswer(draft, target, raw);
    if (twice !== null) fail(answer.question, `${reviewer}: ${twice}`);
  }
  if (errors.length > 0) return errors;

  const base: Record<string, unknown> = chatKey !== undefined ? {} : { prompt: fields[promptKey!] };
  passThrough(metadata, base);
  passThrough(fields, base);
  const used = new Set<string>([...(promptKey ? [promptKey] : []), ...slots.map((s) => s.key)]);
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata))
    if (!used.has(key) && !(key in base) && !isCheckpointKey(key) && value !== null && value !== undefined)
      rest[key] = value;
  base.metadata = {
    argilla: {
      id: record.id ?? null,
      ...(Object.keys(rest).length > 0 ? { metadata: rest } : {}),
      ...(preferences.length > 0 ? { preferences } : {}),
    },
  };
  const records = canonicalRecords(base, slots, stats, where, chosenList);
  if (chatKey !== undefined) {
    for (const r of records) {
      r.messages = r.response;
      delete r.response;
    }
  }
  return records.map((r) => ({ kind: "record" as const, line, record: r }));
}
