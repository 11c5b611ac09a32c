// promptfoo's results file (`promptfoo eval -o results.json`): one object {evalId, results: {version,
// timestamp, prompts, results: [...], stats}, config, …}; each result {promptIdx, testIdx, prompt:
// {raw, label}, provider: {id, label}, vars, response: {output}, success, score, gradingResult,
// namedScores, failureReason}. A result is a response: the prompt the rendered `prompt.raw`, the
// answer `response.output`, the checkpoint the provider's label or id (as `model`, so --set
// checkpoint=… takes precedence). The file is read as one JSON value (at most 64 MB).
import { type Converted, headOf, isObject, record, rowError } from "./convert";

export function detectPromptfoo(head: Buffer): boolean {
  const { text, keys } = headOf(head);
  return text.startsWith("{") && keys.has("evalId") && keys.has("results");
}

export function promptfooRecords(value: unknown, line: number): Converted[] {
  const inner = isObject(value) && isObject(value.results) ? value.results.results : undefined;
  if (!Array.isArray(inner))
    return [rowError(line, "results", "expected promptfoo's results.json: results.results is not a list")];
  const out: Converted[] = [];
  for (const [i, result] of inner.entries()) {
    const where = `result ${i + 1}`;
    if (!isObject(result)) {
      out.push(rowError(line, "results", `${where} is not an object`));
      continue;
    }
    const prompt = isObject(result.prompt) ? result.prompt.raw : undefined;
    const response = isObject(result.response) ? result.response : undefined;
    const output = response?.output;
    if (typeof prompt !== "string") {
      out.push(rowError(line, "prompt", `${where} has no prompt.raw text`));
      continue;
    }
    if (typeof output !== "string") {
      const why = typeof response?.error === "string" ? `: the provider failed (${response.error.slice(0, 200)})` : "";
      out.push(rowError(line, "response", `${where} has no text output${why}`));
      continue;
    }
    const provider = isObject(result.provider) ? result.provider : {};
    const model = typeof provider.label === "string" && provider.label !== "" ? provider.label : provider.id;
    const row: Record<string, unknown> = {
      prompt,
      response: output,
      metadata: {
        promptfoo: {
          promptIdx: result.promptIdx,
          testIdx: result.testIdx,
          vars: result.vars,
          success: result.success,
          score: result.score,
          namedScores: result.namedScores,
        },
      },
    };
    if (typeof model === "string") row.model = model;
    out.push(record(line, row));
  }
  return out;
}
