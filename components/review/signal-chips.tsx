// The automatic signals of a response as short chips (study setting: reviewers may see them). They
// point; the reviewer decides.
import type { ReviewResponse } from "@/lib/review";

const HINT_TEXT: Record<string, (hint: Record<string, unknown>) => string> = {
  unclosed_think: () => "unclosed <think>",
  stray_close_think: () => "stray </think>",
  text_before_think: () => "text before <think>",
  multiple_think_blocks: () => "several <think> blocks",
  empty_reasoning: () => "empty reasoning",
  empty_answer: () => "empty answer",
  reasoning_without_answer: () => "reasoning without answer",
  missing_think: () => "no reasoning (unusual here)",
  answer_language: (h) => `answer in ${String(h.answer)}, prompt in ${String(h.prompt)}`,
  repetition_loop: (h) =>
    `repetition loop${typeof h.repeats === "number" ? ` ×${h.repeats}` : ""}${h.part ? ` in ${String(h.part)}` : ""}`,
  self_assessment: (h) => `self-assessment${typeof h.evidence === "string" ? `: “${h.evidence.slice(0, 60)}”` : ""}`,
  over_refusal: () => "over-refusal",
  possible_refusal: (h) =>
    `may refuse (learned, ${typeof h.score === "number" ? h.score.toFixed(2) : "?"})${typeof h.evidence === "string" ? `: “${h.evidence.slice(0, 60)}”` : ""}`,
  length_outlier: () => "unusual length",
};

const MIXING_TEXT = {
  NONE: null,
  REASONING: "mixing in reasoning",
  ANSWER: "mixing in answer",
  BOTH: "mixing in both",
} as const;

export function signalTexts(response: ReviewResponse): string[] {
  const texts: string[] = [];
  const signals = response.signals;
  if (signals) {
    const mixing = MIXING_TEXT[signals.mixing];
    if (mixing) texts.push(mixing);
    if (signals.refusal && signals.refusal !== "COMPLIED")
      texts.push(signals.refusal === "REFUSED" ? "looks refused" : "looks partial");
    for (const hint of signals.hints)
      texts.push((HINT_TEXT[hint.kind] ?? (() => hint.kind.replaceAll("_", " ")))(hint));
  } else {
    for (const issue of response.formatIssues) texts.push(issue.replaceAll("_", " "));
  }
  return [...new Set(texts)];
}

export function SignalChips({ response }: { response: ReviewResponse }) {
  const texts = signalTexts(response);
  if (texts.length === 0) return null;
  return (
    <ul aria-label="Automatic hints" className="flex flex-wrap gap-1">
      {texts.map((text) => (
        <li
          key={text}
          className="rounded bg-sky-50 px-1.5 py-0.5 text-[11px] leading-tight text-sky-900 ring-1 ring-sky-200 ring-inset"
          title="Automatic hint: check it yourself"
        >
          {text}
        </li>
      ))}
    </ul>
  );
}
