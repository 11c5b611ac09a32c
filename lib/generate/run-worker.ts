// Generation runs as a kind of leased run (lib/jobs/leased-run.ts, which holds the lease, pages,
// concurrency, pause/cancel and the fenced writes): its items are prompt × sample, each sent to the
// checkpoint's endpoint, and its results are responses inserted with their automatic signals exactly
// like imported ones. A response is unique per prompt, checkpoint and sample and an item turns DONE
// only once, in the transaction that inserts it. Design: lib/generate/README.md.
import type pg from "pg";
import { computeStoredSignals } from "../analysis/stored-signals";
import { updateLengthOutliers } from "../analysis/length-outliers";
import { indexStudySearch } from "../browse/search-index";
import type { ExpectedBehavior } from "../db/generated/enums";
import {
  type ClaimedRow,
  type ItemResult,
  type LeasedRunKind,
  type RunContext,
  type RunOutcome,
  type RunWorkerOptions,
  workLeasedRun,
} from "../jobs/leased-run";
import { DEFAULT_RETRY } from "../jobs/retry";
import { type Completion, completeWithRetries, EndpointClient } from "./endpoint-client";
import type { StoredEndpointSettings } from "./run-settings";

export { type RunOutcome, type RunWorkerOptions, workerName } from "../jobs/leased-run";

interface Claimed extends ClaimedRow {
  checkpoint_id: number;
  settings: StoredEndpointSettings;
}

interface Item {
  promptId: number;
  sampleIndex: number;
  text: string;
  language: string | null;
  expectedBehavior: ExpectedBehavior | null;
}

type Result = ItemResult<Item, Completion>;

function generationMetadata(run: RunContext<Claimed>, r: Result) {
  const c = r.value!;
  return {
    run_id: run.id,
    model: run.claimed.settings.model,
    finish_reason: c.finishReason,
    truncated: c.truncated,
    prompt_tokens: c.usage.promptTokens,
    completion_tokens: c.usage.completionTokens,
    reasoning_tokens: c.usage.reasoningTokens,
    latency_ms: c.latencyMs,
    attempts: r.attempts,
  };
}

export const generationRuns: LeasedRunKind<Claimed, Item, Completion> = {
  label: "run",
  runTable: "generation_run",
  itemTable: "generation_item",
  claim: {
    from: "checkpoint c",
    join: "c.id = g.checkpoint_id",
    returning: "g.study_id, g.checkpoint_id, g.settings, g.concurrency, c.endpoint_key",
  },
  itemKey: ["prompt_id", "sample_index"],
  keyOf: (item) => [item.promptId, item.sampleIndex],
  page: {
    select: "i.prompt_id, i.sample_index, p.text, p.language, p.expected_behavior",
    from: "generation_item i JOIN prompt p ON p.id = i.prompt_id",
  },
  toItem: (r) => ({
    promptId: r.prompt_id as number,
    sampleIndex: r.sample_index as number,
    text: r.text as string,
    language: r.language as string | null,
    expectedBehavior: r.expected_behavior as ExpectedBehavior | null,
  }),

  start(claimed, apiKey, options) {
    const settings = claimed.settings;
    const client = new EndpointClient(
      {
        baseUrl: settings.base_url,
        model: settings.model,
        systemPrompt: settings.system_prompt,
        temperature: settings.temperature,
        topP: settings.top_p,
        maxTokens: settings.max_tokens,
        seed: settings.seed,
        stream: settings.stream,
      },
      apiKey,
      claimed.concurrency,
    );
    return {
      async process(item, halted) {
        const { completion, error, attempts } = await completeWithRetries(
          client,
          item.text,
          item.sampleIndex,
          options.retry ?? DEFAULT_RETRY,
          halted,
        );
        if (completion === null && error?.retryable && halted()) return null;
        return { item, attempts, value: completion, error: error?.message ?? null };
      },
      close: () => client.close(),
    };
  },

  /** Responses inserted (one already there is kept), their items marked DONE only while PENDING. */
  async store(client, run, ok) {
    const signals = computeStoredSignals(
      ok.map((r) => ({
        reasoning: r.value!.reasoning,
        answer: r.value!.answer,
        promptText: r.item.text,
        promptLanguage: r.item.language,
        expectedBehavior: r.item.expectedBehavior,
        formatIssues: r.value!.formatIssues,
      })),
    );
    await client.query(
      `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, reasoning, answer, source_shape, format_issues,
                             metadata, signals, mix_score, refusal_signal)
       SELECT $1, u.prompt_id, $2, u.sample_index, u.reasoning, u.answer, 'generated', coalesce(string_to_array(u.issues, ','), '{}'),
              u.metadata::jsonb, u.signals::jsonb, u.mix_score, u.refusal::"RefusalKind"
         FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::float8[], $11::text[])
           AS u(prompt_id, sample_index, reasoning, answer, issues, metadata, signals, mix_score, refusal)
       ON CONFLICT (prompt_id, checkpoint_id, sample_index) DO NOTHING`,
      [
        run.claimed.study_id,
        run.claimed.checkpoint_id,
        ok.map((r) => r.item.promptId),
        ok.map((r) => r.item.sampleIndex),
        ok.map((r) => r.value!.reasoning),
        ok.map((r) => r.value!.answer),
        ok.map((r) => (r.value!.formatIssues.length ? r.value!.formatIssues.join(",") : null)),
        ok.map((r) => JSON.stringify({ generation: generationMetadata(run, r) })),
        signals.json,
        signals.mixScores,
        signals.refusals,
      ],
    );
    const marked = await client.query(
      `UPDATE generation_item i SET status = 'DONE', attempts = i.attempts + u.attempts, response_id = r.id, error = NULL,
              finished_at = now()
         FROM unnest($2::int[], $3::int[], $4::int[]) AS u(prompt_id, sample_index, attempts)
         JOIN response r ON r.prompt_id = u.prompt_id AND r.checkpoint_id = $5 AND r.sample_index = u.sample_index
        WHERE i.run_id = $1 AND i.prompt_id = u.prompt_id AND i.sample_index = u.sample_index AND i.status = 'PENDING'`,
      [
        run.id,
        ok.map((r) => r.item.promptId),
        ok.map((r) => r.item.sampleIndex),
        ok.map((r) => r.attempts),
        run.claimed.checkpoint_id,
      ],
    );
    return marked.rowCount ?? 0;
  },

  failedMessage: " prompt samples failed for good (their errors are listed).",

  // The checkpoint's norms moved (length hints) and the new responses need search documents; both
  // are recomputed whole when run again, so a crash here only leaves them for the next run.
  async afterFinish(pool, run, log) {
    try {
      await updateLengthOutliers(pool, run.claimed.study_id, [run.claimed.checkpoint_id]);
      await indexStudySearch(pool, run.claimed.study_id);
    } catch (error) {
      log(`run ${run.id}: finished, but updating its hints or search documents failed: ${(error as Error).message}`);
    }
  },
};

/** Works the generation run until it is done, paused, cancelled, its slice is over or the process stops. */
export function workRun(pool: pg.Pool, runId: number, options: RunWorkerOptions): Promise<RunOutcome> {
  return workLeasedRun(pool, generationRuns, runId, options);
}
