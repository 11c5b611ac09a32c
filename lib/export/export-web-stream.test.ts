// The download as the route hands it to the client (exportWebStream), driven by a stream we feed by
// hand: every byte arrives in order, a failure after the headers fails the download (never a file
// that looks complete) and is logged once, a client that leaves or stops reading ends the source.
// The same against PostgreSQL's COPY: export-cancel.int.test.ts.
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExportAbortedError } from "./export-stream";
import { ExportStalledError, exportStallTimeoutMs, exportWebStream } from "./export-web-stream";

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Reads a download to its end: the bytes, and the error it failed with if it did. */
async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<{ bytes: Buffer; error?: Error }> {
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks) };
      chunks.push(value);
    }
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error: error as Error };
  }
}

const readAll = (body: ReadableStream<Uint8Array>) => readRest(body.getReader());

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Three megabytes in 64 KB chunks, as COPY sends them: more than the web stream queues (1 MB). */
function fill(source: PassThrough, byte: number): number {
  const chunk = Buffer.alloc(64 << 10, byte);
  for (let i = 0; i < 48; i++) source.write(chunk);
  return 48 * chunk.length;
}

/** A source and the errors the route would log for it. */
function download(stallTimeoutMs = 60_000) {
  const source = new PassThrough();
  const logged: Error[] = [];
  const body = exportWebStream(source, { stallTimeoutMs, onError: (error) => logged.push(error) });
  return { source, body, logged };
}

describe("exportStallTimeoutMs", () => {
  it("is 60 s unless PARALLAX_EXPORT_STALL_TIMEOUT_MS says otherwise", () => {
    vi.stubEnv("PARALLAX_EXPORT_STALL_TIMEOUT_MS", undefined);
    expect(exportStallTimeoutMs()).toBe(60_000);
    vi.stubEnv("PARALLAX_EXPORT_STALL_TIMEOUT_MS", "");
    expect(exportStallTimeoutMs()).toBe(60_000);
    vi.stubEnv("PARALLAX_EXPORT_STALL_TIMEOUT_MS", "   ");
    expect(exportStallTimeoutMs()).toBe(60_000);
    vi.stubEnv("PARALLAX_EXPORT_STALL_TIMEOUT_MS", "2500");
    expect(exportStallTimeoutMs()).toBe(2500);
    vi.stubEnv("PARALLAX_EXPORT_STALL_TIMEOUT_MS", "0.5");
    expect(exportStallTimeoutMs()).toBe(0.5);
  });

  it("refuses a value that is not a positive number, quoting it", () => {
    for (const raw of ["0", "-1", "abc", "Infinity", "NaN"]) {
      vi.stubEnv("PARALLAX_EXPORT_STALL_TIMEOUT_MS", raw);
      expect(() => exportStallTimeoutMs()).toThrow(
        `PARALLAX_EXPORT_STALL_TIMEOUT_MS must be a positive number of milliseconds, not "${raw}".`,
      );
    }
  });
});

describe("ExportStalledError", () => {
  it("says how long the client read nothing, in whole seconds", () => {
    const error = new ExportStalledError(1500);
    expect(error.message).toBe(
      "the client read nothing for 2 s; the download was ended to free its database connection",
    );
    expect(error.name).toBe("ExportStalledError");
    expect(error.stallMs).toBe(1500);
    expect(new ExportStalledError(60_000).message).toContain("for 60 s;");
  });
});

describe("exportWebStream", () => {
  it("hands over every byte in order and then ends, logging nothing", async () => {
    const { source, body, logged } = download();
    const reading = readAll(body);
    const parts = ["study,prompt\n", "a,b\n", "é,中🤖\n"];
    for (const part of parts) source.write(Buffer.from(part));
    source.end();
    const { bytes, error } = await reading;
    expect(error).toBeUndefined();
    expect(bytes.toString("utf8")).toBe(parts.join(""));
    expect(logged).toEqual([]);
  });

  it("fails the download when the source fails after the headers, and logs it once", async () => {
    const { source, body, logged } = download();
    const reading = readAll(body);
    source.write(Buffer.from("study,prompt\n"));
    await wait(10);
    const failure = new Error("connection terminated unexpectedly");
    source.destroy(failure);
    const { bytes, error } = await reading;
    expect(bytes.toString("utf8")).toBe("study,prompt\n");
    // AbortError: Next ends the response as cut off without printing a stack of its own.
    expect(error?.name).toBe("AbortError");
    expect(error?.message).toBe("connection terminated unexpectedly");
    expect(error?.cause).toBe(failure);
    expect(logged).toEqual([failure]);
  });

  it("fails the download without a log line when the client went away (ExportAbortedError)", async () => {
    const { source, body, logged } = download();
    const reading = readAll(body);
    source.write(Buffer.from("study\n"));
    await wait(10);
    source.destroy(new ExportAbortedError());
    const { error } = await reading;
    expect(error?.name).toBe("AbortError");
    expect(error?.message).toBe("The export was cancelled: the client went away.");
    expect(logged).toEqual([]);
  });

  it("fails the download when the source is destroyed before its end without an error", async () => {
    const { source, body, logged } = download();
    const reading = readAll(body);
    source.write(Buffer.from("study\n"));
    await wait(10);
    source.destroy();
    const { bytes, error } = await reading;
    expect(bytes.toString("utf8")).toBe("study\n");
    expect(error?.message).toBe("The export was cancelled.");
    expect(logged).toEqual([]);
  });

  it("destroys the source when the client cancels, without logging", async () => {
    const { source, body, logged } = download(50);
    const reader = body.getReader();
    fill(source, 0x61);
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    expect(source.destroyed).toBe(true);
    await wait(150);
    expect(source.errored).toBeNull();
    expect(logged).toEqual([]);
  });

  it("ends a download whose client stops reading once a megabyte waits, and logs the stall once", async () => {
    const { source, body, logged } = download(100);
    const reader = body.getReader();
    fill(source, 0x61);
    expect((await reader.read()).done).toBe(false);
    // The client reads nothing more.
    const deadline = Date.now() + 10_000;
    while (logged.length === 0 && Date.now() < deadline) await wait(20);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toBeInstanceOf(ExportStalledError);
    expect(source.destroyed).toBe(true);
    // The download fails: it never looks complete.
    const { bytes, error } = await readRest(reader);
    expect(error?.name).toBe("AbortError");
    expect(error?.message).toMatch(/^the client read nothing for 0 s; /);
    expect(bytes.byteLength).toBeLessThan(3 << 20);
  });

  it("lets the source run on while less than a megabyte waits: a client that has not read it yet is no stall", async () => {
    const { source, body, logged } = download(50);
    const chunk = Buffer.alloc(64 << 10, 0x63);
    for (let i = 0; i < 4; i++) source.write(chunk);
    await wait(300);
    expect(source.isPaused()).toBe(false);
    expect(logged).toEqual([]);
    source.end();
    const { bytes, error } = await readAll(body);
    expect(error).toBeUndefined();
    expect(bytes.byteLength).toBe(4 * chunk.length);
  });

  it("does not count a pause of the source against a client that reads (a slow query is no stall)", async () => {
    const { source, body, logged } = download(100);
    const reading = readAll(body);
    // More than the queue takes at once, so the source is paused and the timer armed; the client
    // takes it all, then the source has nothing to send for longer than the stall timeout.
    const sent = fill(source, 0x62);
    await wait(400);
    source.end(Buffer.from("end\n"));
    const { bytes, error } = await reading;
    expect(error).toBeUndefined();
    expect(bytes.byteLength).toBe(sent + 4);
    expect(logged).toEqual([]);
  });
});
