// The export's Node stream as the web ReadableStream a route handler answers with, bounded against a
// client that stops reading, and with one place that sees how a download ended.
import type { Readable } from "node:stream";

/** The client took nothing for the stall timeout while the export had data waiting for it. */
export class ExportStalledError extends Error {
  constructor(readonly stallMs: number) {
    super(
      `the client read nothing for ${Math.round(stallMs / 1000)} s; the download was ended to free its database connection`,
    );
    this.name = "ExportStalledError";
  }
}

/** How long a download may leave its data unread: PARALLAX_EXPORT_STALL_TIMEOUT_MS, default 60 s. */
export function exportStallTimeoutMs(): number {
  const raw = process.env.PARALLAX_EXPORT_STALL_TIMEOUT_MS;
  if (raw === undefined || raw.trim() === "") return 60_000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`PARALLAX_EXPORT_STALL_TIMEOUT_MS must be a positive number of milliseconds, not "${raw}".`);
  return value;
}

export interface ExportWebStreamOptions {
  stallTimeoutMs: number;
  /** Called once when the download fails after its headers were sent (the status cannot say so any more). */
  onError(error: Error): void;
}

/** Bytes queued in the web stream before the source is paused: as much as a fast client takes at once. */
const QUEUE_BYTES = 1 << 20;

/**
 * Written by hand rather than with Readable.toWeb for three reasons: a stall timer needs to know
 * when the consumer last asked for data (pull), which toWeb does not tell; a failure after the
 * headers must end the stream with an error (so the client's download fails instead of looking
 * complete) and be logged once by us; and cancel() must destroy the source, which ends the COPY and
 * releases its connection (exportStream's close handler).
 *
 * The stall timer only runs while the source is paused because the consumer has not taken what is
 * queued: a slow query that has nothing to send yet is not the client's stall.
 */
export function exportWebStream(source: Readable, options: ExportWebStreamOptions): ReadableStream<Uint8Array> {
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const finish = (error?: Error) => {
    if (done) return;
    done = true;
    stopTimer();
    if (error === undefined) {
      controller.close();
      return;
    }
    // The name AbortError makes Next end the response (the client sees a cut-off download) without
    // printing its own stack trace: the one line about it is ours (onError).
    const aborted = new Error(error.message, { cause: error });
    aborted.name = "AbortError";
    controller.error(aborted);
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        source.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) {
            source.pause();
            stopTimer();
            timer = setTimeout(
              () => source.destroy(new ExportStalledError(options.stallTimeoutMs)),
              options.stallTimeoutMs,
            );
          }
        });
        source.once("end", () => finish());
        source.on("error", (error: Error) => {
          // A client that left is not a failure worth a log line; anything else is.
          if (!done && error.name !== "ExportAbortedError") options.onError(error);
          finish(error);
        });
        // Destroyed without an error before its end (the request was aborted): not a complete file.
        source.once("close", () => {
          if (!source.readableEnded) finish(new Error("The export was cancelled."));
        });
      },
      pull() {
        stopTimer();
        if (!done) source.resume();
      },
      cancel() {
        // The consumer is gone (Next cancels the body when the client disconnects mid-download).
        done = true;
        stopTimer();
        source.destroy();
      },
    },
    { highWaterMark: QUEUE_BYTES, size: (chunk) => chunk.byteLength },
  );
  return stream;
}
