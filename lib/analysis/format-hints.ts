// Hints that are format violations (compared with the reviewers' "format violation" flag). A module
// of its own so that the analytics page can compare them without loading the detectors (and eld).
import type { HintKind } from "./signals";

export const FORMAT_HINTS: readonly HintKind[] = [
  "unclosed_think",
  "stray_close_think",
  "empty_answer",
  "reasoning_without_answer",
];
