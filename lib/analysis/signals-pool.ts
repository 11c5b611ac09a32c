// Computes the stored signals of batches of responses beside the caller: in worker threads when
// they can start, so the importer's main thread goes on parsing and writing while a batch is
// analysed, and inline (same results, same order) when they cannot. A batch is cut into one piece
// per thread and put back together in order; a failure rejects that batch's promise.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { SignalsInput } from "./signals";
import type { StoredSignals } from "./stored-signals";

const WORKER_FILE = ["signals-worker", "mjs"].join(".");

interface Job {
  resolve: (result: StoredSignals) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  /** Jobs sent and not answered yet, by id. */
  jobs: Map<number, Job>;
  /** Set when the thread stopped (it ran out of memory, say): its jobs are redone inline. */
  stopped: boolean;
}

/** A job's thread stopped before answering; the signals themselves did not fail. */
class ThreadStopped extends Error {}

/** Threads for signals: the cores left beside the main thread (and the database), at least one, at most four. */
export function defaultSignalsThreads(): number {
  const fromEnvironment = Number(process.env.PARALLAX_SIGNALS_THREADS);
  if (process.env.PARALLAX_SIGNALS_THREADS !== undefined && Number.isInteger(fromEnvironment) && fromEnvironment >= 0)
    return fromEnvironment;
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

async function computeInline(inputs: readonly SignalsInput[]): Promise<StoredSignals> {
  const { computeStoredSignals } = await import("./stored-signals");
  return computeStoredSignals(inputs);
}

export class SignalsPool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  /** Set when a thread could not start: from then on, batches are computed inline. */
  private broken = false;
  private closed = false;
  /** Batches computed by the threads, and inline (for the benchmark and the tests). */
  readonly batches = { threads: 0, inline: 0 };

  /** `threads` 0 computes every batch inline, in the caller's thread. */
  constructor(threads = defaultSignalsThreads()) {
    for (let i = 0; i < threads; i++) this.threads.push(this.startThread());
  }

  private startThread(): Thread {
    // A name bundlers do not follow: inside a bundled server the file is not there, the thread
    // fails to start, and the batches are computed inline (see compute).
    const worker = new Worker(new URL(WORKER_FILE, import.meta.url), {
      // The thread keeps ~60 MB (the identifier's tables, a batch); left alone, V8 lets its heap grow
      // to three times that before collecting, which the importer's flat-memory target cannot afford.
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 },
    });
    const jobs = new Map<number, Job>();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (message: { ready?: true; id?: number; result?: StoredSignals; error?: string }) => {
        if (message.ready) {
          // An idle thread does not keep the process alive; one with work does (see send).
          if (jobs.size === 0) worker.unref();
          return resolve();
        }
        const job = jobs.get(message.id!);
        if (!job) return;
        jobs.delete(message.id!);
        if (jobs.size === 0) worker.unref();
        if (message.error !== undefined)
          job.reject(new Error(`Computing the automatic signals failed: ${message.error}`));
        else job.resolve(message.result!);
      });
      const fail = (error: Error) => {
        thread.stopped = true;
        reject(error);
        for (const job of jobs.values()) job.reject(error);
        jobs.clear();
      };
      worker.on("error", (error) => fail(new ThreadStopped(`the signals thread failed: ${error.message}`)));
      worker.on("exit", (code) => fail(new ThreadStopped(`the signals thread stopped (exit code ${code})`)));
    });
    ready.catch(() => {});
    const thread: Thread = { worker, ready, jobs, stopped: false };
    return thread;
  }

  /** The signals of `inputs`, in their order. */
  async compute(inputs: readonly SignalsInput[]): Promise<StoredSignals> {
    if (this.threads.length === 0 || this.broken || inputs.length === 0) {
      this.batches.inline += 1;
      return computeInline(inputs);
    }
    try {
      await Promise.all(this.threads.map((t) => t.ready));
    } catch {
      // A thread that cannot start (a bundler that did not ship the worker file): inline instead.
      this.broken = true;
      this.batches.inline += 1;
      return computeInline(inputs);
    }
    this.batches.threads += 1;
    const pieces = Math.min(this.threads.length, inputs.length);
    const size = Math.ceil(inputs.length / pieces);
    const parts: Promise<StoredSignals>[] = [];
    for (let p = 0; p < pieces; p++) {
      // The least busy thread takes the piece.
      const thread = this.threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
      parts.push(this.send(thread, inputs.slice(p * size, (p + 1) * size)));
    }
    let results: StoredSignals[];
    try {
      results = await Promise.all(parts);
    } catch (error) {
      if (!(error instanceof ThreadStopped) || this.closed) throw error;
      // The batch is computed here instead, and every later one too: the import goes on, slower.
      this.broken = true;
      this.batches.threads -= 1;
      this.batches.inline += 1;
      return computeInline(inputs);
    }
    if (results.length === 1) return results[0]!;
    return {
      json: results.flatMap((r) => r.json),
      mixScores: results.flatMap((r) => r.mixScores),
      refusals: results.flatMap((r) => r.refusals),
    };
  }

  private send(thread: Thread, inputs: readonly SignalsInput[]): Promise<StoredSignals> {
    const id = this.nextId++;
    return new Promise<StoredSignals>((resolve, reject) => {
      thread.jobs.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, inputs });
    });
  }

  /** Stops the threads; batches still being computed are abandoned (their promises reject). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
    this.threads.length = 0;
  }
}
