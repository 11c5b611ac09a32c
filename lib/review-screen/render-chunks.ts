// Long markdown cut into blocks that can be rendered one at a time (the workspace renders a block
// as markdown only when it scrolls near, and as plain text until then). Cuts fall only on blank
// lines outside fenced code, so every block is markdown on its own; joining the blocks' text gives
// the text back, and each block knows its offset (for the language spans).

export interface TextChunk {
  start: number;
  text: string;
}

/** Texts below this many characters stay in one block. */
export const CHUNK_TARGET = 6000;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function splitMarkdownBlocks(text: string, target = CHUNK_TARGET): TextChunk[] {
  if (text.length <= target * 1.5) return [{ start: 0, text }];
  const chunks: TextChunk[] = [];
  let chunkStart = 0;
  let fence: string | null = null;
  let at = 0;
  let previousBlank = false;
  while (at < text.length) {
    const newline = text.indexOf("\n", at);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(at, newline === -1 ? text.length : newline).replace(/\r$/, "");
    const opener = FENCE.exec(line);
    const insideBefore = fence !== null;
    if (fence === null && opener) fence = opener[1]!;
    else if (
      fence !== null &&
      opener &&
      opener[1]![0] === fence[0] &&
      opener[1]!.length >= fence.length &&
      line.trim() === opener[1]
    )
      fence = null;
    const blank = line.trim() === "";
    // Cut before a non-blank line that follows a blank one, outside code (a fence opening here
    // starts the new block), once the block is big enough.
    if (!blank && previousBlank && !insideBefore && at - chunkStart >= target) {
      chunks.push({ start: chunkStart, text: text.slice(chunkStart, at) });
      chunkStart = at;
    }
    previousBlank = blank;
    at = lineEnd;
  }
  chunks.push({ start: chunkStart, text: text.slice(chunkStart) });
  return chunks;
}
