// Works one leased run (a generation run, a judge run) for one job of the queue: holds the run's
// lease (so no other worker sends the same items meanwhile), reads its pending items in pages, hands
// each to the kind's `process` with bounded concurrency, and writes the results in small
// transactions that first renew the lease as a fence, then let the kind store its results, then mark
// the failed items and move the run's counts by exactly the rows marked. A paused, cancelled,
// stopped or crashed run continues where it stopped, and no item is stored twice. What differs
// between kinds (which items, how to call the endpoint, how to store a result) is a `LeasedRunKind`.
// Design: lib/jobs/README.md.
import { hostname } from "node:os";
import type pg from "pg";
import type { GenerationStatus } from "../db/generated/enums";
import { decryptApiKey, KeyCipherError, serverSecret } from "../generate/key-cipher";
import type { RetryPolicy } from "./retry";

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

/** One item's end: a value to store, or the error it failed with for good. */
export interface ItemResult<Item, Value> {
  item: Item;
  attempts: number;
  value: Value | null;
  error: string | null;
}

/** What every run table's claim returns, beside the kind's own columns. */
export interface ClaimedRow {
  study_id: number;
  concurrency: number;
  endpoint_key: string | null;
}

/** The run as its writes see it. */
export interface RunContext<Claimed> {
  id: number;
  owner: string;
  leaseSeconds: number;
  claimed: Claimed;
}

/** A run being worked: its items' processing and what to close afterwards. */
export interface Work<Item, Value> {
  /**
   * Calls the endpoint for one item (retries included); null when stopped while retrying (the item
   * stays pending for whoever continues the run).
   */
  process(item: Item, halted: () => boolean): Promise<ItemResult<Item, Value> | null>;
  close(): Promise<void>;
}

export interface LeasedRunKind<Claimed extends ClaimedRow, Item, Value> {
  /** As it is named in log lines: "run", "judge run". */
  label: string;
  /** The run table (status, counts, lease columns) and its items' table (run_id, status, attempts, error). */
  runTable: "generation_run" | "judge_run";
  itemTable: "generation_item" | "judge_item";
  /** The run's claim: `FROM` tables besides the run (`g`), how they join it, and what it returns. */
  claim: { from: string; join: string; returning: string };
  /** The items' key columns (integers, in key order): pages are read and failures marked by them. */
  itemKey: readonly string[];
  keyOf(item: Item): number[];
  /** Selected from `from` (the item table as `i`) for a page of pending items; `toItem` reads a row. */
  page: { select: string; from: string };
  toItem(row: Record<string, unknown>): Item;
  /** A reason the run cannot be worked at all (it fails with it), checked before the key is read. */
  refuse?(claimed: Claimed): string | null;
  /** Opens the endpoint for the run (apiKey decrypted). */
  start(claimed: Claimed, apiKey: string | null, options: RunWorkerOptions): Work<Item, Value>;
  /**
   * Stores the results that have a value and marks their items DONE (only while PENDING) inside the
   * fenced transaction; returns how many items it marked.
   */
  store(client: pg.PoolClient, run: RunContext<Claimed>, ok: ItemResult<Item, Value>[]): Promise<number>;
  /** The run's message when it ends with failures: "N of M" followed by this. */
  failedMessage: string;
  /** After the run is marked SUCCEEDED; it logs its own failure (the run stays finished). */
  afterFinish?(pool: pg.Pool, run: RunContext<Claimed>, log: (line: string) => void): Promise<void>;
}

const PAGE = 256;
const FLUSH_ROWS = 64;
const FLUSH_MS = 250;
const LEASE_UNTIL = "(now() AT TIME ZONE 'UTC') + make_interval(secs => $3)";

let ownerCounter = 0;
/** A name for one worker slot of this process, stored as the lease owner. */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${++ownerCounter}`;
}

/** How often a held lease is renewed: a third of the lease, and often enough that a pause is seen within half a second. */
export function renewalIntervalMs(leaseSeconds: number): number {
  return Math.min(500, (leaseSeconds * 1000) / 3);
}

/** The keyset condition and order of a page of pending items after `after` (a row comparison on the key). */
export function pageQuery(kind: { itemKey: readonly string[]; page: { select: string; from: string } }): string {
  const columns = kind.itemKey.map((c) => `i.${c}`).join(", ");
  const params = kind.itemKey.map((_, n) => `$${n + 2}`).join(", ");
  const limit = `$${kind.itemKey.length + 2}`;
  return `SELECT ${kind.page.select} FROM ${kind.page.from}
    WHERE i.run_id = $1 AND i.status = 'PENDING' AND (${columns}) > (${params})
    ORDER BY ${columns} LIMIT ${limit}`;
}

/** Marks failed items FAILED (only while PENDING) by their keys, with their attempts and last error. */
export function failQuery(kind: { itemTable: string; itemKey: readonly string[] }): string {
  const n = kind.itemKey.length;
  const arrays = kind.itemKey.map((_, k) => `$${k + 2}::int[]`).join(", ");
  const names = kind.itemKey.join(", ");
  const match = kind.itemKey.map((c) => `i.${c} = u.${c}`).join(" AND ");
  return `UPDATE ${kind.itemTable} i SET status = 'FAILED', attempts = i.attempts + u.attempts, error = u.error, finished_at = now()
    FROM unnest(${arrays}, $${n + 2}::int[], $${n + 3}::text[]) AS u(${names}, attempts, error)
    WHERE i.run_id = $1 AND ${match} AND i.status = 'PENDING'`;
}

/** Where a worked slice leaves the run, once its requests in flight are written. */
export type SliceEnd = "not-mine" | "paused" | "cancelled" | "finish" | "hand-over";

/**
 * The decision after a slice: the lease lost (`status` null) leaves the run to its new holder; a
 * pause or cancel releases it; every item read and written (and the process not stopping, the slice
 * not over) finishes it; anything else hands the rest to a fresh job.
 */
export function sliceEnd(
  status: GenerationStatus | null,
  drained: boolean,
  stopping: boolean,
  sliceOver: boolean,
): SliceEnd {
  if (status === null) return "not-mine";
  if (status === "PAUSED") return "paused";
  if (status === "CANCELLED") return "cancelled";
  if (drained && !stopping && !sliceOver) return "finish";
  return "hand-over";
}

class LeaseLost extends Error {}

/** Works the run until it is done, paused, cancelled, its slice is over or the process stops. */
export async function workLeasedRun<Claimed extends ClaimedRow, Item, Value>(
  pool: pg.Pool,
  kind: LeasedRunKind<Claimed, Item, Value>,
  runId: number,
  options: RunWorkerOptions,
): Promise<RunOutcome> {
  const owner = workerName();
  const table = kind.runTable;
  const claimedRows = await pool.query<Claimed>(
    `UPDATE ${table} g SET lease_owner = $2, lease_until = ${LEASE_UNTIL},
            status = 'RUNNING', started_at = coalesce(g.started_at, now() AT TIME ZONE 'UTC'), updated_at = now()
       FROM ${kind.claim.from}
      WHERE g.id = $1 AND ${kind.claim.join} AND g.status IN ('QUEUED', 'RUNNING')
        AND (g.lease_until IS NULL OR g.lease_until < now() AT TIME ZONE 'UTC' OR g.lease_owner = $2)
      RETURNING ${kind.claim.returning}`,
    [runId, owner, options.leaseSeconds],
  );
  const claimed = claimedRows.rows[0];
  if (!claimed) return "not-mine";

  const failRun = async (message: string): Promise<RunOutcome> => {
    await pool.query(
      `UPDATE ${table} SET status = 'FAILED', message = $3, finished_at = now(), lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2`,
      [runId, owner, message],
    );
    return "failed";
  };
  const refusal = kind.refuse?.(claimed) ?? null;
  if (refusal !== null) return failRun(refusal);
  let apiKey: string | null = null;
  try {
    if (claimed.endpoint_key) apiKey = decryptApiKey(claimed.endpoint_key, options.secret ?? serverSecret());
  } catch (error) {
    if (!(error instanceof KeyCipherError)) throw error;
    return failRun(error.message);
  }
  const renew = async (): Promise<GenerationStatus | null> => {
    const result = await pool.query<{ status: GenerationStatus }>(
      `UPDATE ${table} SET lease_until = ${LEASE_UNTIL} WHERE id = $1 AND lease_owner = $2 RETURNING status`,
      [runId, owner, options.leaseSeconds],
    );
    return result.rows[0]?.status ?? null;
  };
  const release = async () => {
    await pool.query(`UPDATE ${table} SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`, [
      runId,
      owner,
    ]);
  };
  const run: RunContext<Claimed> = { id: runId, owner, leaseSeconds: options.leaseSeconds, claimed };
  const work = kind.start(claimed, apiKey, options);

  const deadline = Date.now() + options.sliceSeconds * 1000;
  let status: GenerationStatus | null = "RUNNING";
  let writeError: unknown = null;
  const halted = () => status !== "RUNNING" || writeError !== null || options.stopping();
  const sliceOver = () => Date.now() >= deadline;

  // Renewal also tells this worker about a pause or cancel.
  const renewal = setInterval(() => {
    renew().then(
      (s) => {
        status = s;
      },
      (error: Error) => options.log(`${kind.label} ${runId}: could not renew its lease: ${error.message}`),
    );
  }, renewalIntervalMs(options.leaseSeconds));

  let pending: ItemResult<Item, Value>[] = [];
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
        : writeResults(pool, kind, run, batch).catch((error: unknown) => {
            writeError = error;
          }),
    );
    return flushing;
  };
  const record = (result: ItemResult<Item, Value>) => {
    pending.push(result);
    if (pending.length >= FLUSH_ROWS) void flush();
    else flushTimer ??= setTimeout(() => void flush(), FLUSH_MS);
  };

  const inFlight = new Set<Promise<void>>();
  let after: number[] = kind.itemKey.map(() => -1);
  let queue: Item[] = [];
  let exhausted = false;
  // The next page is read while the current one is still being sent, so no slot waits for it.
  let nextPage: Promise<Item[]> | null = null;
  const pageSql = pageQuery(kind);
  const readPage = async (): Promise<Item[]> => {
    const page = await pool.query<Record<string, unknown>>(pageSql, [runId, ...after, PAGE]);
    const items = page.rows.map((row) => kind.toItem(row));
    if (items.length < PAGE) exhausted = true;
    const last = items.at(-1);
    if (last !== undefined) after = kind.keyOf(last);
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
      const task = work.process(item, halted).then((result) => {
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
    await work.close().catch(() => {});
  }

  if (writeError instanceof LeaseLost) return "not-mine";
  if (writeError !== null) {
    await release().catch(() => {});
    throw writeError;
  }
  const drained = exhausted && nextPage === null && queue.length === 0 && inFlight.size === 0;
  const end = sliceEnd(await renew(), drained, options.stopping(), sliceOver());
  switch (end) {
    case "not-mine":
      return "not-mine";
    case "paused":
    case "cancelled":
      await release();
      return end;
    case "finish":
      return finishRun(pool, kind, run, options);
    case "hand-over":
      // The slice is over or the process stops: hand the rest to a fresh job.
      await release();
      await options.continueRun(runId);
      return "handed-over";
  }
}

/**
 * Writes finished items in one transaction: the kind stores its values (a row already there is
 * kept, not written again) and marks their items DONE; failed items are marked FAILED, both only
 * while PENDING; the run's counts move by exactly the items marked. Refused, and rolled back, when
 * this worker no longer holds the lease.
 */
async function writeResults<Claimed extends ClaimedRow, Item, Value>(
  pool: pg.Pool,
  kind: LeasedRunKind<Claimed, Item, Value>,
  run: RunContext<Claimed>,
  results: ItemResult<Item, Value>[],
): Promise<void> {
  const ok = results.filter((r) => r.value !== null);
  const failed = results.filter((r) => r.value === null);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // The fence, and a lock on the run row that orders this run's writes.
    const held = await client.query(
      `UPDATE ${kind.runTable} SET lease_until = ${LEASE_UNTIL} WHERE id = $1 AND lease_owner = $2 RETURNING id`,
      [run.id, run.owner, run.leaseSeconds],
    );
    if (held.rowCount !== 1) throw new LeaseLost(`${kind.label} ${run.id}: lease lost`);
    const done = ok.length > 0 ? await kind.store(client, run, ok) : 0;
    let failedCount = 0;
    if (failed.length > 0) {
      const keys = kind.itemKey.map((_, k) => failed.map((r) => kind.keyOf(r.item)[k]!));
      const marked = await client.query(failQuery(kind), [
        run.id,
        ...keys,
        failed.map((r) => r.attempts),
        failed.map((r) => (r.error ?? "").slice(0, 1000)),
      ]);
      failedCount = marked.rowCount ?? 0;
    }
    await client.query(
      `UPDATE ${kind.runTable} SET done = done + $2, failed = failed + $3, updated_at = now() WHERE id = $1`,
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

/** Marks the run finished (once: only while this worker holds it), then the kind's follow-up. */
async function finishRun<Claimed extends ClaimedRow, Item, Value>(
  pool: pg.Pool,
  kind: LeasedRunKind<Claimed, Item, Value>,
  run: RunContext<Claimed>,
  options: RunWorkerOptions,
): Promise<RunOutcome> {
  const finished = await pool.query(
    `UPDATE ${kind.runTable} SET status = 'SUCCEEDED', finished_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now(),
            message = CASE WHEN failed > 0 THEN failed || ' of ' || total || $3 END
      WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING'`,
    [run.id, run.owner, kind.failedMessage],
  );
  if (finished.rowCount !== 1) return "not-mine";
  await kind.afterFinish?.(pool, run, options.log);
  return "finished";
}
