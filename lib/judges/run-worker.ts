// Works one judge run for one job of the queue, with the generation runs' machinery (lib/jobs/README.md):
// a lease on the run renewed while it works and checked as a fence by every write, pending items read
// in pages and sent to the judge's endpoint with bounded concurrency and retries (endpoint-client.ts:
// Retry-After honoured), answers parsed by the rubric and written in small transactions that insert
// the judge's labels (one per response, judge and rubric version: ON CONFLICT DO NOTHING) and mark
// their items DONE only while PENDING. A stopped or crashed run continues where it was.
import type pg from "pg";
import type { GenerationStatus } from "../db/generated/enums";
import { completeWithRetries, DEFAULT_RETRY, EndpointClient } from "../generate/endpoint-client";
import { decryptApiKey, KeyCipherError, serverSecret } from "../generate/key-cipher";
import { type RunOutcome, type RunWorkerOptions, workerName } from "../generate/run-worker";
import type { StoredJudgeEndpoint } from "./judge-settings";
import { rubricById } from "./judge-settings";
import type { JudgeLabel, Rubric } from "./rubrics";

interface Item {
  responseId: number;
  prompt: string;
  reasoning: string | null;
  answer: string;
}

interface Result {
  item: Item;
  attempts: number;
  label: JudgeLabel | null;
  error: string | null;
}

const PAGE = 256;
const FLUSH_ROWS = 64;
const FLUSH_MS = 250;

class LeaseLost extends Error {}

const LEASE_UNTIL = "(now() AT TIME ZONE 'UTC') + make_interval(secs => $3)";

async function claim(pool: pg.Pool, runId: number, owner: string, leaseSeconds: number) {
  const result = await pool.query<{
    study_id: number;
    judge_id: number;
    rubric: string;
    rubric_id: string;
    settings: StoredJudgeEndpoint & { instructions: string | null };
    concurrency: number;
    endpoint_key: string | null;
  }>(
    `UPDATE judge_run g SET lease_owner = $2, lease_until = ${LEASE_UNTIL},
            status = 'RUNNING', started_at = coalesce(g.started_at, now() AT TIME ZONE 'UTC'), updated_at = now()
       FROM judge j
      WHERE g.id = $1 AND j.id = g.judge_id AND g.status IN ('QUEUED', 'RUNNING')
        AND (g.lease_until IS NULL OR g.lease_until < now() AT TIME ZONE 'UTC' OR g.lease_owner = $2)
      RETURNING g.study_id, g.judge_id, g.rubric, j.rubric_id, g.settings, g.concurrency, j.endpoint_key`,
    [runId, owner, leaseSeconds],
  );
  return result.rows[0] ?? null;
}

async function renew(pool: pg.Pool, runId: number, owner: string, leaseSeconds: number) {
  const result = await pool.query<{ status: GenerationStatus }>(
    `UPDATE judge_run SET lease_until = ${LEASE_UNTIL} WHERE id = $1 AND lease_owner = $2 RETURNING status`,
    [runId, owner, leaseSeconds],
  );
  return result.rows[0]?.status ?? null;
}

async function release(pool: pg.Pool, runId: number, owner: string): Promise<void> {
  await pool.query("UPDATE judge_run SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2", [
    runId,
    owner,
  ]);
}

async function failRun(pool: pg.Pool, runId: number, owner: string, message: string) {
  await pool.query(
    `UPDATE judge_run SET status = 'FAILED', message = $3, finished_at = now(), lease_owner = NULL, lease_until = NULL
      WHERE id = $1 AND lease_owner = $2`,
    [runId, owner, message],
  );
}

/**
 * Writes finished items in one transaction: labels inserted (one already there is kept), items
 * marked DONE or FAILED only while PENDING, the run's counts moved by exactly the items marked.
 * Refused, and rolled back, when this worker no longer holds the lease.
 */
async function writeResults(
  pool: pg.Pool,
  run: { id: number; studyId: number; judgeId: number; rubric: string; owner: string; leaseSeconds: number },
  results: Result[],
): Promise<void> {
  const ok = results.filter((r) => r.label !== null);
  const failed = results.filter((r) => r.label === null);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const held = await client.query(
      `UPDATE judge_run SET lease_until = ${LEASE_UNTIL} WHERE id = $1 AND lease_owner = $2 RETURNING id`,
      [run.id, run.owner, run.leaseSeconds],
    );
    if (held.rowCount !== 1) throw new LeaseLost(`judge run ${run.id}: lease lost`);
    let done = 0;
    if (ok.length > 0) {
      const l = ok.map((r) => r.label!);
      await client.query(
        `INSERT INTO judge_label (study_id, judge_id, response_id, rubric, run_id, harm_severity, harm_categories, harm_location,
                                  refusal, language_mixing, reasoning_quality, confidence)
         SELECT $1, $2, u.response_id, $3, $4, u.severity, coalesce(u.categories::text[], '{}'), u.location::"HarmLocation",
                u.refusal::"RefusalKind", u.mixing::"LanguageMixing", u.quality, u.confidence
           FROM unnest($5::int[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::float8[])
             AS u(response_id, severity, categories, location, refusal, mixing, quality, confidence)
         ON CONFLICT (judge_id, response_id, rubric) DO NOTHING`,
        [
          run.studyId,
          run.judgeId,
          run.rubric,
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
        [run.id, ok.map((r) => r.item.responseId), ok.map((r) => r.attempts), run.judgeId, run.rubric],
      );
      done = marked.rowCount ?? 0;
    }
    let failedCount = 0;
    if (failed.length > 0) {
      const marked = await client.query(
        `UPDATE judge_item i SET status = 'FAILED', attempts = i.attempts + u.attempts, error = u.error, finished_at = now()
           FROM unnest($2::int[], $3::int[], $4::text[]) AS u(response_id, attempts, error)
          WHERE i.run_id = $1 AND i.response_id = u.response_id AND i.status = 'PENDING'`,
        [
          run.id,
          failed.map((r) => r.item.responseId),
          failed.map((r) => r.attempts),
          failed.map((r) => r.error!.slice(0, 1000)),
        ],
      );
      failedCount = marked.rowCount ?? 0;
    }
    await client.query(
      "UPDATE judge_run SET done = done + $2, failed = failed + $3, updated_at = now() WHERE id = $1",
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

/** A PostgreSQL array literal of texts (each quoted), for a text[] column sent through unnest. */
export function toArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/** One response judged: the endpoint called (with retries) and its answer read by the rubric. */
async function judgeOne(
  client: EndpointClient,
  rubric: Rubric,
  item: Item,
  options: RunWorkerOptions,
  halted: () => boolean,
): Promise<Result | null> {
  const { completion, error, attempts } = await completeWithRetries(
    client,
    rubric.user({ prompt: item.prompt, reasoning: item.reasoning, answer: item.answer }),
    0,
    options.retry ?? DEFAULT_RETRY,
    halted,
  );
  // Stopped while retrying: the item stays pending for whoever continues the run.
  if (completion === null && error?.retryable && halted()) return null;
  if (completion === null) return { item, attempts, label: null, error: error?.message ?? "no answer" };
  const parsed = rubric.parse(completion.answer);
  if (!parsed.ok) return { item, attempts, label: null, error: `the judge's answer: ${parsed.error}` };
  return { item, attempts, label: parsed.label, error: null };
}

/** Works the judge run until it is done, paused, cancelled, its slice is over or the process stops. */
export async function workJudgeRun(pool: pg.Pool, runId: number, options: RunWorkerOptions): Promise<RunOutcome> {
  const owner = workerName();
  const claimed = await claim(pool, runId, owner, options.leaseSeconds);
  if (!claimed) return "not-mine";
  const rubric = rubricById(claimed.rubric_id);
  if (!rubric) {
    await failRun(pool, runId, owner, `The judge's rubric "${claimed.rubric_id}" is not known to this version.`);
    return "failed";
  }
  let apiKey: string | null = null;
  try {
    if (claimed.endpoint_key) apiKey = decryptApiKey(claimed.endpoint_key, options.secret ?? serverSecret());
  } catch (error) {
    if (!(error instanceof KeyCipherError)) throw error;
    await failRun(pool, runId, owner, error.message);
    return "failed";
  }
  const settings = claimed.settings;
  const run = {
    id: runId,
    studyId: claimed.study_id,
    judgeId: claimed.judge_id,
    rubric: claimed.rubric,
    owner,
    leaseSeconds: options.leaseSeconds,
  };
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

  const deadline = Date.now() + options.sliceSeconds * 1000;
  let status: GenerationStatus | null = "RUNNING";
  let writeError: unknown = null;
  const halted = () => status !== "RUNNING" || writeError !== null || options.stopping();
  const sliceOver = () => Date.now() >= deadline;
  const renewal = setInterval(
    () => {
      renew(pool, runId, owner, options.leaseSeconds).then(
        (s) => {
          status = s;
        },
        (error: Error) => options.log(`judge run ${runId}: could not renew its lease: ${error.message}`),
      );
    },
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
  let after = -1;
  let queue: Item[] = [];
  let exhausted = false;
  const readPage = async (): Promise<Item[]> => {
    const page = await pool.query<{ response_id: number; prompt: string; reasoning: string | null; answer: string }>(
      `SELECT i.response_id, p.text AS prompt, r.reasoning, r.answer
         FROM judge_item i JOIN response r ON r.id = i.response_id JOIN prompt p ON p.id = r.prompt_id
        WHERE i.run_id = $1 AND i.status = 'PENDING' AND i.response_id > $2
        ORDER BY i.response_id LIMIT $3`,
      [runId, after, PAGE],
    );
    const items = page.rows.map((r) => ({
      responseId: r.response_id,
      prompt: r.prompt,
      reasoning: r.reasoning,
      answer: r.answer,
    }));
    if (items.length < PAGE) exhausted = true;
    const last = items.at(-1);
    if (last) after = last.responseId;
    return items;
  };
  try {
    while (!halted() && !sliceOver()) {
      if (queue.length === 0) {
        if (exhausted) break;
        queue = await readPage();
        if (queue.length === 0) break;
      }
      while (inFlight.size >= claimed.concurrency) await Promise.race(inFlight);
      if (halted() || sliceOver()) break;
      const item = queue.shift()!;
      const task = judgeOne(client, rubric, item, options, halted).then((result) => {
        if (result) record(result);
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
  if (exhausted && queue.length === 0 && inFlight.size === 0 && !options.stopping() && !sliceOver()) {
    const finished = await pool.query(
      `UPDATE judge_run SET status = 'SUCCEEDED', finished_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now(),
              message = CASE WHEN failed > 0 THEN failed || ' of ' || total || ' responses could not be judged (their errors are listed).' END
        WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING'`,
      [runId, owner],
    );
    return finished.rowCount === 1 ? "finished" : "not-mine";
  }
  await release(pool, runId, owner);
  await options.continueRun(runId);
  return "handed-over";
}
