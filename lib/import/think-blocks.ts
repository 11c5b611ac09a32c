// Splits a model response that may contain <think>…</think> into reasoning and answer.
//
// Rules (pure, linear time — one forward scan of the text):
// - No think tag at all: reasoning null, answer = the text exactly as given (model output is kept
//   byte for byte: leading/trailing spaces and line breaks are part of it).
// - Tags are matched case-insensitively and may have whitespace before the ">" (`<THINK >`).
// - `<think>r</think>a`: reasoning "r", answer "a"; both trimmed — the line breaks around the tags
//   are the chat template's layout, not the model's text (the only whitespace the import drops;
//   docs/importing.md says so).
// - Empty block `<think></think>a` (or only whitespace inside): reasoning "" — NOT null — with
//   issue `empty_reasoning`. "" means "the model opened a reasoning block and wrote nothing";
//   null means "no reasoning block at all".
// - Missing closing tag `<think>r…`: everything after `<think>` is reasoning, issue
//   `unclosed_think` (and `no_answer` when nothing outside the block remains).
// - Text before the first `<think>` is part of the answer (issue `text_before_think`).
// - Several blocks: reasoning = the non-empty blocks joined with a blank line, answer = the
//   non-empty pieces of text outside the blocks joined with a blank line, issue
//   `multiple_think_blocks`.
// - A `</think>` with no opening tag *as the first tag of the text* (DeepSeek-R1: the chat template
//   puts `<think>` in the prompt, so the output starts inside the reasoning): the text before it is
//   the reasoning, issue `stray_close_think`. A later unmatched `</think>` is kept as literal text
//   of the answer, also flagged `stray_close_think`.
// - A `<think>` inside an open block (nesting) is literal text of the reasoning.
// - `no_answer` whenever the resulting answer is empty (only reasoning, unclosed block, or an empty
//   response).
// Issues are returned in a fixed order (the order of the FormatIssue union), each at most once.
import type { FormatIssue } from "./types";

export interface ThinkParse {
  /** The chain of thought; null when the text has no think block, "" when the block is empty. */
  reasoning: string | null;
  /** The final answer: the text as given without think tags, trimmed around split tags; "" when there is none. */
  answer: string;
  issues: FormatIssue[];
}

// Finds the next `<think>` or `</think>` (any case, optional whitespace before ">") at or after
// `from`. A hand-written scan rather than a /gi regex: indexOf("<") skips ordinary text at native
// speed, and each "<" costs at most a look at the few characters after it plus one run of
// whitespace, which the caller then skips — linear in the input overall.
interface Tag {
  start: number;
  end: number;
  close: boolean;
}

const SLASH = 47; // /
const GT = 62; // >
const THINK = "think";

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x3000 ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x1680 ||
    c === 0x202f ||
    c === 0x205f
  );
}

function nextTag(text: string, from: number): Tag | null {
  const n = text.length;
  let lt = text.indexOf("<", from);
  while (lt !== -1) {
    let i = lt + 1;
    const close = text.charCodeAt(i) === SLASH;
    if (close) i++;
    let k = 0;
    // charCodeAt | 0x20 lower-cases ASCII letters; "think" has no characters it would confuse.
    while (k < 5 && (text.charCodeAt(i + k) | 0x20) === THINK.charCodeAt(k)) k++;
    if (k === 5) {
      i += 5;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === GT) return { start: lt, end: i + 1, close };
      // Not a tag; the whitespace run holds no "<", so continue from where the scan stopped.
      lt = text.indexOf("<", i);
      continue;
    }
    lt = text.indexOf("<", lt + 1);
  }
  return null;
}

const BLANK_LINE = "\n\n";

function joinNonEmpty(parts: string[]): string {
  let out = "";
  for (const part of parts) {
    const trimmed = part.trim();
    if (trimmed === "") continue;
    out = out === "" ? trimmed : out + BLANK_LINE + trimmed;
  }
  return out;
}

/** A response without think tags: the answer is the text exactly; blank text has no answer. */
function untagged(text: string): ThinkParse {
  return { reasoning: null, answer: text, issues: text.trim() === "" ? ["no_answer"] : [] };
}

export function parseThinkBlocks(text: string): ThinkParse {
  // Cheap exit for the common "no tag" case.
  if (text.indexOf("<") === -1) return untagged(text);

  const answerParts: string[] = [];
  const reasoningParts: string[] = [];
  let pos = 0; // start of the not yet consumed text outside blocks
  let open = false;
  let openEnd = 0; // where the content of the open block starts
  let sawTag = false;
  let blocks = 0;
  let unclosed = false;
  let textBefore = false;
  let strayClose = false;

  let tag: Tag | null;
  let from = 0;
  while ((tag = nextTag(text, from)) !== null) {
    const { start, end } = tag;
    from = end;
    if (!tag.close) {
      if (!open) {
        const before = text.slice(pos, start);
        if (blocks === 0 && before.trim() !== "") textBefore = true;
        answerParts.push(before);
        open = true;
        openEnd = end;
        blocks++;
      }
      // else: `<think>` inside an open block stays literal text of the reasoning.
    } else if (open) {
      reasoningParts.push(text.slice(openEnd, start));
      open = false;
      pos = end;
    } else if (!sawTag) {
      // DeepSeek-R1 style: the output starts inside the reasoning.
      reasoningParts.push(text.slice(0, start));
      blocks++;
      pos = end;
      strayClose = true;
    } else {
      // Unmatched `</think>` after other tags: literal text (stays in the next answer slice).
      strayClose = true;
    }
    sawTag = true;
  }

  if (blocks === 0) return untagged(text);
  if (open) {
    reasoningParts.push(text.slice(openEnd));
    unclosed = true;
  } else {
    answerParts.push(text.slice(pos));
  }

  const reasoning = joinNonEmpty(reasoningParts);
  const answer = joinNonEmpty(answerParts);

  const issues: FormatIssue[] = [];
  if (unclosed) issues.push("unclosed_think");
  if (reasoning === "") issues.push("empty_reasoning");
  if (textBefore) issues.push("text_before_think");
  if (blocks > 1) issues.push("multiple_think_blocks");
  if (answer === "") issues.push("no_answer");
  if (strayClose) issues.push("stray_close_think");
  return { reasoning, answer, issues };
}

const ISSUE_ORDER: readonly FormatIssue[] = [
  "unclosed_think",
  "empty_reasoning",
  "text_before_think",
  "multiple_think_blocks",
  "no_answer",
  "stray_close_think",
];

/**
 * A response given as an answer text (which may hold <think> blocks) and, optionally, a separate
 * reasoning field (`reasoning_content`, `reasoning`), split the way the importer and the generation
 * runs both store it: the answer goes through parseThinkBlocks; when a separate reasoning is given
 * too, both are kept, joined with a blank line (separate field first), with `multiple_think_blocks`.
 * A separate reasoning field is model output: kept exactly when it is the only reasoning, trimmed
 * when joined to a think block's.
 */
export function splitReasoningAndAnswer(answerText: string, separateReasoning: string | undefined): ThinkParse {
  const split = parseThinkBlocks(answerText);
  if (separateReasoning === undefined) return split;
  if (split.reasoning === null) return { ...split, reasoning: separateReasoning };
  const own = separateReasoning.trim();
  const set = new Set<FormatIssue>(split.issues);
  set.add("multiple_think_blocks");
  if (split.reasoning === "") set.delete("empty_reasoning");
  const issues: FormatIssue[] = [];
  for (const issue of ISSUE_ORDER) if (set.has(issue)) issues.push(issue);
  return { reasoning: split.reasoning === "" ? own : own + "\n\n" + split.reasoning, answer: split.answer, issues };
}
