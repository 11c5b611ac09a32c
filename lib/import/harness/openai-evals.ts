// OpenAI evals' JSON Lines log (`oaieval … --record_path run.jsonl`, evals/record.py): a `spec` line
// (`completion_fns`, `eval_name`), a `final_report` line, then one event per line:
//   {"run_id": "…", "event_id": 0, "sample_id": "test.0", "type": "sampling",
//    "data": {"prompt": [{"role": "user", "content": "…"}] or "…", "sampled": ["…"]}, "created_at": "…"}
// Each `sampling` event is a response (the first sampled text), its checkpoint the spec's first
// completion function (as `model`, so --set checkpoint=… takes precedence). `match` and other
// events are kept in metadata of nothing: they carry grades, not model output.
import { type Converted, headOf, isObject, record, rowError } from "./convert";

export function detectOpenAiEvals(head: Buffer): boolean {
  const { first } = headOf(head);
  if (first === null) return false;
  if (isObject(first.spec) && ("completion_fns" in first.spec || "eval_name" in first.spec)) return true;
  return "run_id" in first && "event_id" in first && "type" in first && "data" in first;
}

export class OpenAiEvalsReader {
  private model: string | undefined;
  private evalName: string | undefined;
  /** Events of other types than sampling (match, metrics…), counted. */
  skipped = 0;

  records(value: unknown, line: number): Converted[] {
    if (!isObject(value)) return [rowError(line, null, "expected an event object of an OpenAI evals log")];
    if (isObject(value.spec)) {
      const fns = value.spec.completion_fns;
      if (Array.isArray(fns) && typeof fns[0] === "string") this.model = fns[0];
      if (typeof value.spec.eval_name === "string") this.evalName = value.spec.eval_name;
      return [];
    }
    if ("final_report" in value) return [];
    if (value.type !== "sampling") {
      this.skipped += 1;
      return [];
    }
    const data = isObject(value.data) ? value.data : {};
    const sampled = Array.isArray(data.sampled) ? data.sampled[0] : data.sampled;
    if (typeof sampled !== "string") return [rowError(line, "data.sampled", "has no sampled text")];
    const out: Record<string, unknown> = {
      prompt_id: typeof value.sample_id === "string" ? value.sample_id : undefined,
      response: sampled,
      metadata: { openai_evals: { run_id: value.run_id, event_id: value.event_id, eval_name: this.evalName } },
    };
    if (typeof data.prompt === "string") out.prompt = data.prompt;
    else if (Array.isArray(data.prompt)) out.messages = data.prompt;
    else return [rowError(line, "data.prompt", "has no prompt (text or a list of messages)")];
    if (this.model !== undefined) out.model = this.model;
    return [record(line, out)];
  }
}
