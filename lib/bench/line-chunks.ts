// Generated JSONL lines as the importer reads a file: in chunks of about 1 MB, never the whole set.
export async function* lineChunks(lines: Iterable<string>): AsyncGenerator<Buffer> {
  let chunk = "";
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 1 << 20) {
      yield Buffer.from(chunk);
      chunk = "";
    }
  }
  yield Buffer.from(chunk);
}
