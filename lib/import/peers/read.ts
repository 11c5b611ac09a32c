// The reader half of the peers' formats, kept apart from the pipeline (the formats table, formats.ts, imports it):
// the element stream of the file (json-stream.ts), each element converted to canonical records.
import type { Readable } from "node:stream";
import type { SourceItem } from "../read-records";
import { argillaRecord } from "./argilla";
import { jsonElements } from "./json-stream";
import { labelStudioTask } from "./label-studio";
import { emptyStats, type PeerFormat, type PeerOptions, type PeerStats } from "./mapping";

/** A byte source that carries the peer options to the reader and its counts back. */
export class PeerSource implements AsyncIterable<Buffer | string> {
  readonly stats: PeerStats = emptyStats();
  constructor(
    private readonly inner: Readable | AsyncIterable<Buffer | string>,
    readonly options: PeerOptions,
  ) {}
  [Symbol.asyncIterator](): AsyncIterator<Buffer | string> {
    return (this.inner as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  }
}

export const isPeerFormat = (format: string): format is PeerFormat => format === "label-studio" || format === "argilla";

/** Canonical records of a peer's export, in file order, each with the line where its task / record starts. */
export async function* peerRecords(
  source: Readable | AsyncIterable<Buffer | string>,
  format: PeerFormat,
  onBytes: (n: number) => void,
): AsyncGenerator<SourceItem> {
  const peer = source instanceof PeerSource ? source : null;
  const options = peer?.options ?? {};
  const stats = peer?.stats ?? emptyStats();
  const convert = format === "label-studio" ? labelStudioTask : argillaRecord;
  const noun = format === "label-studio" ? "task" : "record";
  for await (const item of jsonElements(source as AsyncIterable<Buffer | string>, onBytes)) {
    if (item.kind === "error") {
      const what = item.index === null ? "the file" : `the ${noun} at position ${item.index + 1}`;
      yield { kind: "error", error: { line: item.line, field: null, message: `${what} ${item.message}` } };
      if (item.index === null) return;
      continue;
    }
    yield* convert(item.value, item.line, item.index, options, stats);
  }
}
