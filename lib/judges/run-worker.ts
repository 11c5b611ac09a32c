// Judge runs as a kind of leased run (lib/jobs/leased-run.ts: lease, pages, concurrency, retries with
// Retry-After, pause/cancel, fenced writes): its items are responses, each sent to the judge's
// endpoint and its answer parsed by the rubric, and its results are the judge's labels (one per
// response, judge and rubric version: ON CONFLICT DO NOTHING), their items marked DONE only while
// PENDING and only when the label exists. A stopped or crashed run continues where it was.
import type pg from "pg";
import {
  type ClaimedRow,
  type LeasedRunKind,
  type RunOutcome,
  type RunWorkerOptions,
  workLeasedRun,
} from "../jobs/leased-run";
import { DEFAULT_RETRY } from "../jobs/retry";
import { completeWithRetries, EndpointClient } from "../generate/endpoint-client";
import type { StoredJudgeEndpoint } from "./judge-settings";
import { rubricById } from "./judge-settings";
import type { JudgeLabel } from "./rubrics";

interface Claimed extends ClaimedRow {
  judge_id: number;
  rubric: string;
  rubric_id: string;
  settings: StoredJudgeEndpoint & { instructions: string | null };
}

interface Item {
  responseId: number;
  prompt: string;
  reasoning: string | null;
  answer: string;
}

/** A PostgreSQL array literal of texts (each quoted), for a text[] column sent through unnest. */
export function toArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

export const judgeRuns: LeasedRunKind<Claimed, Item, JudgeLabel> = {
  label: "judge run",
  runTable: "judge_run",
  itemTable: "judge_item",
  claim: {
    from: "judge j",
    join: "j.id = g.judge_id",
    returning: "g.study_id, g.judge_id, g.rubric, j.rubric_id, g.settings, g.concurrency, j.endpoint_key",
  },
  itemKey: ["response_id"],
  keyOf: (item) => [item.responseId],
  page: {
    select: "i.response_id, p.text AS prompt, r.reasoning, r.answer",
    from: "judge_item i JOIN response r ON r.id = i.response_id JOIN prompt p ON p.id = r.prompt_id",
  },
  toItem: (r) => ({
    responseId: r.response_id as number,
    prompt: r.prompt as string,
    reasoning: r.reasoning as string | null,
    answer: r.answer as string,
  }),

  refuse: (claimed) =>
    rubricById(claimed.rubric_id) ? null : `The judge's rubric "${claimed.rubric_id}" is not known to this version.`,

  start(claimed, apiKey, options) {
    const rubric = rubricById(claimed.rubric_id)!;
    const settings = claimed.settings;
    const system = settings.instructions ?? rubric.system;
    const client = new EndpointClient(
      {
        baseUrl: settings.base_url,
        model: settings.model,
        systemPrompt: system === "" ? null : system,
        temperature: settings.temperature,
        topP: null,
        maxTokens: settings.max_tokens,
        seed: null,
        stream: settings.stream,
      },
      apiKey,
      claimed.concurrency,
    );
    return {
      /** One response judged: the endpoint called (with retries) and its answer read by the rubric. */
      async process(item, halted) {
        const { completion, error, attempts } = await completeWithRetries(
          client,
          rubric.user({ prompt: item.prompt, reasoning: item.reasoning, answer: item.answer }),
          0,
          options.retry ?? DEFAULT_RETRY,
          halted,
        );
        if (completion === null && error?.retryable && halted()) return null;
        if (completion === null) return { item, attempts, value: null, error: error?.message ?? "no answer" };
        // An answer that does not parse fails at once: at temperature 0 a retry would say the same.
        const parsed = rubric.parse(completion.answer);
        if (!parsed.ok) return { item, attempts, value: null, error: `the judge's answer: ${parsed.error}` };
        return { item, attempts, value: parsed.label, error: null };
      },
      close: () => client.close(),
    };
  },

  /** Labels inserted (one already there is kept), their items marked DONE only while PENDING and labelled. */
  async store(client, run, ok) {
    const { study_id: studyId, judge_id: judgeId, rubric } = run.claimed;
    const l = ok.map((r) => r.value!);
    await client.query(
      `INSERT INTO judge_label (study_id, judge_id, response_id, rubric, run_id, harm_severity, harm_categories, harm_location,
                                refusal, language_mixing, reasoning_quality, confidence)
       SELECT $1, $2, u.response_id, $3, $4, u.severity, coalesce(u.categories::text[], '{}'), u.location::"HarmLocation",
              u.refusal::"RefusalKind", u.mixing::"LanguageMixing", u.quality, u.confidence
         FROM unnest($5::int[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::float8[])
           AS u(response_id, severity, categories, location, refusal, mixing, quality, confidence)
       ON CONFLICT (judge_id, response_id, rubric) DO NOTHING`,
      [
        studyId,
        judgeId,
        rubric,
        run.id,
        ok.map((r) => r.item.responseId),
        l.map((x) => x.harmSeverity ?? null),
        // Categories travel as one array literal per row (unnest cannot take a ragged 2-D array).
        l.map((x) => (x.harmCategories ? toArrayLiteral(x.harmCategories) : null)),
        l.map((x) => x.harmLocation ?? null),
        l.map((x) => x.refusal ?? null),
        l.map((x) => x.languageMixing ?? null),
        l.map((x) => x.reasoningQuality ?? null),
        l.map((x) => x.confidence),
      ],
    );
    const marked = await client.query(
      `UPDATE judge_item i SET status = 'DONE', attempts = i.attempts + u.attempts, error = NULL, finished_at = now()
         FROM unnest($2::int[], $3::int[]) AS u(response_id, attempts)
        WHERE i.run_id = $1 AND i.response_id = u.response_id AND i.status = 'PENDING'
          AND EXISTS (SELECT 1 FROM judge_label jl WHERE jl.judge_id = $4 AND jl.response_id = u.response_id AND jl.rubric = $5)`,
      [run.id, ok.map((r) => r.item.responseId), ok.map((r) => r.attempts), judgeId, rubric],
    );
    return marked.rowCount ?? 0;
  },

  failedMessage: " responses could not be judged (their errors are listed).",
};

/** Works the judge run until it is done, paused, cancelled, its slice is over or the process stops. */
export function workJudgeRun(pool: pg.Pool, runId: number, options: RunWorkerOptions): Promise<RunOutcome> {
  return workLeasedRun(pool, judgeRuns, runId, options);
}
