// lm-evaluation-harness `--log_samples` output: `samples_<task>_<date>.jsonl`, one line per document
// (and per filter), written by lm_eval/loggers/evaluation_tracker.py:
//   {"doc_id": 0, "doc": {…}, "target": "…", "arguments": {"gen_args_0": {"arg_0": PROMPT, "arg_1": {…}}},
//    "resps": [["GENERATION"]], "filtered_resps": ["…"], "filter": "none", "metrics": ["exact_match"],
//    "doc_hash": "…", "prompt_hash": "…", "target_hash": "…", "exact_match": 0.0}
// (older versions: "arguments": [[PROMPT, {…}]]). The model is not in the file (it names the folder):
// give it with --set checkpoint=… . Only generation tasks have text responses; a log-likelihood
// task's responses are numbers and are refused with a row error.
import { type Converted, headOf, isObject, record, rowError } from "./convert";

export function detectLmEvalHarness(head: Buffer): boolean {
  const { first } = headOf(head);
  return first !== null && "doc_id" in first && "arguments" in first && "resps" in first;
}

export function lmEvalHarnessRecords(value: unknown, line: number): Converted[] {
  if (!isObject(value)) return [rowError(line, null, "expected a sample object of lm-evaluation-harness")];
  const args = value.arguments;
  let prompt: unknown;
  if (isObject(args) && isObject(args.gen_args_0)) prompt = args.gen_args_0.arg_0;
  else if (Array.isArray(args) && Array.isArray(args[0])) prompt = args[0][0];
  if (typeof prompt !== "string")
    return [rowError(line, "arguments", "has no prompt text (arguments.gen_args_0.arg_0)")];
  const resps = value.resps;
  const first = Array.isArray(resps) ? (Array.isArray(resps[0]) ? resps[0][0] : resps[0]) : undefined;
  if (typeof first !== "string")
    return [
      rowError(
        line,
        "resps",
        "is not generated text (a log-likelihood or multiple-choice task): only generation tasks carry responses to review",
      ),
    ];
  const metrics: Record<string, unknown> = {};
  if (Array.isArray(value.metrics)) for (const m of value.metrics) if (typeof m === "string") metrics[m] = value[m];
  return [
    record(line, {
      prompt,
      response: first,
      metadata: {
        lm_eval: {
          doc_id: value.doc_id,
          doc: value.doc,
          target: value.target,
          filter: value.filter,
          filtered_resps: value.filtered_resps,
          metrics,
        },
      },
    }),
  ];
}
