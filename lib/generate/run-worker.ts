// Works one generation run for one job of the queue: holds the run's lease (so no other worker sends
// the same prompts meanwhile), sends its pending items to the endpoint with bounded concurrency,
// and writes the answers in small transactions that insert the responses (with their automatic
// signals, exactly like imported ones) and mark their items done. A response is unique per prompt,
// checkpoint and sample and an item turns DONE only once, under the lease: a crashed or restarted run
// continues where it stopped and never writes a response twice. Design: lib/generate/README.md.
import { hostname } from "node:os";
import type pg from "pg";
import { computeStoredSignals } from "../analysis/stored-signals";
import { updateLengthOutliers } from "../analysis/length-outliers";
import { indexStudySearch } from "../browse/search-index";
import type { ExpectedBehavior, GenerationStatus } from "../db/generated/enums";
import {
  type Completion,
  completeWithRetries,
  DEFAULT_RETRY,
  EndpointClient,
  type RetryPolicy,
} from "./endpoint-client";
import { decryptApiKey, KeyCipherError, serverSecret } from "./key-cipher";
import type { StoredEndpointSettings } from "./run-settings";

export interface RunWorkerOptions {
  /** Seconds a lease lasts without renewal. */
  leaseSeconds: number;
  /** Seconds after which the job hands the rest of the run to a fresh job. */
  sliceSeconds: number;
  /** True once the process is stopping: finish what is in flight, then hand over. */
  stopping: () => boolean;
  /** Sends a job to continue the run (after a slice, or a stop). */
  continueRun: (runId: number) => Promise<void>;
  log: (line: string) => void;
  retry?: RetryPolicy;
  secret?: string;
}

export type RunOutcome = "not-mine" | "finished" | "paused" | "cancelled" | "handed-over" | "failed";

interface Item {
  promptId: number;
  sampleIndex: number;
  text: string;
  language: string | null;
  expectedBehavior: ExpectedBehavior | null;
}

interface Result {
  item: Item;
  attempts: number;
  completion: Completion | null;
  error: string | null;
}

const PAGE = 256;
const FLUSH_ROWS = 64;
const FLUSH_MS = 250;

let ownerCounter = 0;
/** A name for one worker slot of this process, stored as the lease owner. */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${++ownerCounter}`;
}

/** Takes the run when nobody holds it (or `owner` already does); null when it is not to be worked now. */
async function claim(pool: pg.Pool, runId: number, owner: string, leaseSeconds: number) {
  const result = await pool.query<{
    study_id: number;
    checkpoint_id: number;
    settings: StoredEndpointSettings;
    concurrency: number;
    endpoint_key: string | null;
  }>(
    `UPDATE generation_run g SET lease_owner = $2, lease_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => $3),
            status = 'RUNNING', started_at = coalesce(g.started_at, now() AT TIME ZONE 'UTC'), updated_at = now()
       FROM checkpoint c
      WHERE g.id = $1 AND c.id = g.checkpoint_id AND g.status IN ('QUEUED', 'RUNNING')
        AND (g.lease_until IS NULL OR g.lease_until < now() AT TIME ZONE 'UTC' OR g.lease_owner = $2)
      RETURNING g.study_id, g.checkpoint_id, g.settings, g.concurrency, c.endpoint_key`,
    [runId, owner, leaseSeconds],
  );
  return result.rows[0] ?? null;
}

/** Renews the lease; returns the run's status, or null when the lease was lost to another worker. */
async function renew(
  pool: pg.Pool,
  runId: number,
  owner: string,
  leaseSeconds: number,
): Promise<GenerationStatus | null> {
  const result = await pool.query<{ status: GenerationStatus }>(
    `UPDATE generation_run SET lease_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => $3)
      WHERE id = $1 AND lease_owner = $2 RETURNING status`,
    [runId, owner, leaseSeconds],
  );
  return result.rows[0]?.status ?? null;
}

async function release(pool: pg.Pool, runId: number, owner: string): Promise<void> {
  await pool.query(
    "UPDATE generation_run SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
    [runId, owner],
  );
}

async function failRun(pool: pg.Pool, runId: number, owner: string, message: string) {
  await pool.query(
    `UPDATE generation_run SET status = 'FAILED', message = $3, finished_at = now(), lease_owner = NULL, lease_until = NULL
      WHERE id = $1 AND lease_owner = $2`,
    [runId, owner, message],
  );
}

class LeaseLost extends Error {}

/**
 * Writes finished items in one transaction: responses inserted (a response already there is kept, not
 * written again), items marked DONE or FAILED only while PENDING, the run's counts moved by exactly
 * the items marked. Refused, and rolled back, when this worker no longer holds the lease.
 */
async function writeResults(
  pool: pg.Pool,
  run: { id: number; studyId: number; checkpointId: number; owner: string; leaseSeconds: number; model: string },
  results: Result[],
): Promise<void> {
  const ok = results.filter((r) => r.completion !== null);
  const failed = results.filter((r) => r.completion === null);
  const signals = computeStoredSignals(
    ok.map((r) => ({
      reasoning: r.completion!.reasoning,
      answer: r.completion!.answer,
      promptText: r.item.text,
      promptLanguage: r.item.language,
      expectedBehavior: r.item.expectedBehavior,
      formatIssues: r.completion!.formatIssues,
    })),
  );
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // The fence, and a lock on the run row that orders this run's writes.
    const held = await client.query(
      `UPDATE generation_run SET lease_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => $3)
        WHERE id = $1 AND lease_owner = $2 RETURNING id`,
      [run.id, run.owner, run.leaseSeconds],
    );
    if (held.rowCount !== 1) throw new LeaseLost(`run ${run.id}: lease lost`);
    let done = 0;
    if (ok.length > 0) {
      await client.query(
        `INSERT INTO response (study_id, prompt_id, checkpoint_id, sample_index, reasoning, answer, source_shape, format_issues,
                               metadata, signals, mix_score, refusal_signal)
         SELECT $1, u.prompt_id, $2, u.sample_index, u.reasoning, u.answer, 'generated', coalesce(string_to_array(u.issues, ','), '{}'),
                u.metadata::jsonb, u.signals::jsonb, u.mix_score, u.refusal::"RefusalKind"
           FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::float8[], $11::text[])
             AS u(prompt_id, sample_index, reasoning, answer, issues, metadata, signals, mix_score, refusal)
         ON CONFLICT (prompt_id, checkpoint_id, sample_index) DO NOTHING`,
        [
          run.studyId,
          run.checkpointId,
          ok.map((r) => r.item.promptId),
          ok.map((r) => r.item.sampleIndex),
          ok.map((r) => r.completion!.reasoning),
          ok.map((r) => r.completion!.answer),
          ok.map((r) => (r.completion!.formatIssues.length ? r.completion!.formatIssues.join(",") : null)),
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
          run.checkpointId,
        ],
      );
      done = marked.rowCount ?? 0;
    }
    let failedCount = 0;
    if (failed.length > 0) {
      const marked = await client.query(
        `UPDATE generation_item i SET status = 'FAILED', attempts = i.attempts + u.attempts, error = u.error, finished_at = now()
           FROM unnest($2::int[], $3::int[], $4::int[], $5::text[]) AS u(prompt_id, sample_index, attempts, error)
          WHERE i.run_id = $1 AND i.prompt_id = u.prompt_id AND i.sample_index = u.sample_index AND i.status = 'PENDING'`,
        [
          run.id,
          failed.map((r) => r.item.promptId),
          failed.map((r) => r.item.sampleIndex),
          failed.map((r) => r.attempts),
          failed.map((r) => r.error!.slice(0, 1000)),
        ],
      );
      failedCount = marked.rowCount ?? 0;
    }
    await client.query(
      "UPDATE generation_run SET done = done + $2, failed = failed + $3, updated_at = now() WHERE id = $1",
      [run.id, done, failedCount],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function generationMetadata(run: { id: number; model: string }, r: Result) {
  const c = r.completion!;
  return {
    run_id: run.id,
    model: run.model,
    finish_reason: c.finishReason,
    truncated: c.truncated,
    prompt_tokens: c.usage.promptTokens,
    completion_tokens: c.usage.completionTokens,
    reasoning_tokens: c.usage.reasoningTokens,
    latency_ms: c.latencyMs,
    attempts: r.attempts,
  };
}

/** Works the run until it is done, paused, cancelled, its slice is over or the process stops. */
export async function workRun(pool: pg.Pool, runId: number, options: RunWorkerOptions): Promise<RunOutcome> {
  const owner = workerName();
  const claimed = await claim(pool, runId, owner, options.leaseSeconds);
  if (!claimed) return "not-mine";
  const settings = claimed.settings;
  let apiKey: string | null = null;
  try {
    if (claimed.endpoint_key) apiKey = decryptApiKey(claimed.endpoint_key, options.secret ?? serverSecret());
  } catch (error) {
    if (!(error instanceof KeyCipherError)) throw error;
    await failRun(pool, runId, owner, error.message);
    return "failed";
  }
  const run = {
    id: runId,
    studyId: claimed.study_id,
    checkpointId: claimed.checkpoint_id,
    owner,
    leaseSeconds: options.leaseSeconds,
    model: settings.model,
  };
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

  const deadline = Date.now() + options.sliceSeconds * 1000;
  let status: GenerationStatus | null = "RUNNING";
  let writeError: unknown = null;
  const halted = () => status !== "RUNNING" || writeError !== null || options.stopping();
  const sliceOver = () => Date.now() >= deadline;

  // Renewal at least every third of the lease; it also tells this worker about a pause or cancel.
  const renewal = setInterval(
    () => {
      renew(pool, runId, owner, options.leaseSeconds).then(
        (s) => {
          status = s;
        },
        (error: Error) => options.log(`run ${runId}: could not renew its lease: ${error.message}`),
      );
    },
    // Often enough that a pause or cancel is seen within half a second.
    Math.min(500, (options.leaseSeconds * 1000) / 3),
  );

  let pending: Result[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.length === 0) return flushing;
    const batch = pending;
    pending = [];
    flushing = flushing.then(() =>
      writeError !== null
        ? undefined
        : writeResults(pool, run, batch).catch((error: unknown) => {
            writeError = error;
          }),
    );
    return flushing;
  };
  const record = (result: Result) => {
    pending.push(result);
    if (pending.length >= FLUSH_ROWS) void flush();
    else flushTimer ??= setTimeout(() => void flush(), FLUSH_MS);
  };

  const inFlight = new Set<Promise<void>>();
  let after: [number, number] = [-1, -1];
  let queue: Item[] = [];
  let exhausted = false;
  // The next page is read while the current one is still being sent, so no slot waits for it.
  let nextPage: Promise<Item[]> | null = null;
  const readPage = async (): Promise<Item[]> => {
    const page = await pool.query<{
      prompt_id: number;
      sample_index: number;
      text: string;
      language: string | null;
      expected_behavior: ExpectedBehavior | null;
    }>(
      `SELECT i.prompt_id, i.sample_index, p.text, p.language, p.expected_behavior
         FROM generation_item i JOIN prompt p ON p.id = i.prompt_id
        WHERE i.run_id = $1 AND i.status = 'PENDING' AND (i.prompt_id, i.sample_index) > ($2, $3)
        ORDER BY i.prompt_id, i.sample_index LIMIT $4`,
      [runId, after[0], after[1], PAGE],
    );
    const items = page.rows.map((r) => ({
      promptId: r.prompt_id,
      sampleIndex: r.sample_index,
      text: r.text,
      language: r.language,
      expectedBehavior: r.expected_behavior,
    }));
    if (items.length < PAGE) exhausted = true;
    const last = items.at(-1);
    if (last) after = [last.promptId, last.sampleIndex];
    return items;
  };
  try {
    while (!halted() && !sliceOver()) {
      if (queue.length === 0) {
        if (exhausted && nextPage === null) break;
        queue = await (nextPage ?? readPage());
        nextPage = null;
        if (queue.length === 0) break;
      }
      if (nextPage === null && !exhausted && queue.length <= PAGE / 4) {
        nextPage = readPage();
        nextPage.catch(() => {}); // awaited when the queue runs dry
      }
      while (inFlight.size >= claimed.concurrency) await Promise.race(inFlight);
      if (halted() || sliceOver()) break;
      const item = queue.shift()!;
      const task = completeWithRetries(
        client,
        item.text,
        item.sampleIndex,
        options.retry ?? DEFAULT_RETRY,
        halted,
      ).then(({ completion, error, attempts }) => {
        // Stopped while retrying: the item stays pending for whoever continues the run.
        if (completion === null && error?.retryable && halted()) return;
        record({ item, attempts, completion, error: error?.message ?? null });
      });
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
    await flush();
  } finally {
    clearInterval(renewal);
    if (flushTimer) clearTimeout(flushTimer);
    await client.close().catch(() => {});
  }

  if (writeError instanceof LeaseLost) return "not-mine";
  if (writeError !== null) {
    await release(pool, runId, owner).catch(() => {});
    throw writeError;
  }
  const now = await renew(pool, runId, owner, options.leaseSeconds);
  if (now === null) return "not-mine";
  if (now === "PAUSED" || now === "CANCELLED") {
    await release(pool, runId, owner);
    return now === "PAUSED" ? "paused" : "cancelled";
  }
  if (
    exhausted &&
    nextPage === null &&
    queue.length === 0 &&
    inFlight.size === 0 &&
    !options.stopping() &&
    !sliceOver()
  ) {
    return finishRun(pool, run, options);
  }
  // The slice is over or the process stops: hand the rest to a fresh job.
  await release(pool, runId, owner);
  await options.continueRun(runId);
  return "handed-over";
}

/** Marks the run finished (once: only while this worker holds it) and updates what follows from new responses. */
async function finishRun(
  pool: pg.Pool,
  run: { id: number; studyId: number; checkpointId: number; owner: string },
  options: RunWorkerOptions,
): Promise<RunOutcome> {
  const finished = await pool.query<{ failed: number; total: number }>(
    `UPDATE generation_run SET status = 'SUCCEEDED', finished_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now(),
            message = CASE WHEN failed > 0 THEN failed || ' of ' || total || ' prompt samples failed for good (their errors are listed).' END
      WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING' RETURNING failed, total`,
    [run.id, run.owner],
  );
  if (finished.rowCount !== 1) return "not-mine";
  // The checkpoint's norms moved (length hints) and the new responses need search documents; both
  // are recomputed whole when run again, so a crash here only leaves them for the next run.
  try {
    await updateLengthOutliers(pool, run.studyId, [run.checkpointId]);
    await indexStudySearch(pool, run.studyId);
  } catch (error) {
    options.log(
      `run ${run.id}: finished, but updating its hints or search documents failed: ${(error as Error).message}`,
    );
  }
  return "finished";
}
