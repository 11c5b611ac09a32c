// Inspect AI's JSON eval log (`inspect eval … --log-format json`, or `inspect log convert --to json`):
// one object {version, status, eval: {task, model, …}, plan, results, stats, samples: [...]}; each
// sample {id, epoch, input (text or messages), target, messages, output: {model, choices:
// [{message: {role, content}}]}, scores: {name: {value, answer, explanation}}, metadata}.
// A sample is a response: the prompt from `input` (the last user message of a list), the answer and
// any reasoning part from the first choice's message, the checkpoint from `eval.model` (as `model`,
// so --set checkpoint=… takes precedence), prompt_id the sample id, sample_index the epoch − 1.
// The log is read as one JSON value (at most 64 MB; a larger log: import its samples as JSON Lines).
import { type Converted, contentText, headOf, isObject, record, rowError } from "./convert";

export function detectInspectLog(head: Buffer): boolean {
  const { text, keys } = headOf(head);
  return text.startsWith("{") && keys.has("eval") && keys.has("status") && (keys.has("samples") || keys.has("plan"));
}

export function inspectLogRecords(value: unknown, line: number): Converted[] {
  if (!isObject(value) || !isObject(value.eval))
    return [rowError(line, null, "expected an Inspect eval log (an object with eval and samples)")];
  const samples = value.samples;
  if (!Array.isArray(samples))
    return [rowError(line, "samples", "missing: the log has no samples (was it written with --no-log-samples?)")];
  const model = typeof value.eval.model === "string" ? value.eval.model : undefined;
  const task = value.eval.task;
  const out: Converted[] = [];
  for (const [i, sample] of samples.entries()) {
    const where = `sample ${i + 1}`;
    if (!isObject(sample)) {
      out.push(rowError(line, "samples", `${where} is not an object`));
      continue;
    }
    const choice =
      isObject(sample.output) && Array.isArray(sample.output.choices) ? sample.output.choices[0] : undefined;
    const message = isObject(choice) && isObject(choice.message) ? choice.message : undefined;
    const { text, reasoning } = contentText(message?.content);
    if (text === undefined) {
      out.push(rowError(line, "output", `${where} (id ${String(sample.id)}) has no output text`));
      continue;
    }
    const scores: Record<string, unknown> = {};
    if (isObject(sample.scores))
      for (const [name, score] of Object.entries(sample.scores)) scores[name] = isObject(score) ? score.value : score;
    const row: Record<string, unknown> = {
      prompt_id: sample.id === undefined ? undefined : String(sample.id),
      sample_index: typeof sample.epoch === "number" ? sample.epoch - 1 : undefined,
      response: text,
      metadata: { inspect: { task, target: sample.target, scores, sample: sample.metadata } },
    };
    if (reasoning !== undefined) row.reasoning = reasoning;
    if (typeof sample.input === "string") row.prompt = sample.input;
    else if (Array.isArray(sample.input))
      row.messages = sample.input.map((m) =>
        isObject(m) ? { role: m.role, content: contentText(m.content).text ?? null } : m,
      );
    if (model !== undefined) row.model = model;
    out.push(record(line, row));
  }
  return out;
}
