// One response's text: the reasoning (collapsible, with its length) and the answer (always shown),
// as safe markdown or plain text, language-mixing spans marked. Memoised on the response and the
// view: typing in a label form never renders the texts again.
import { memo } from "react";
import { ReviewText, type TextView } from "@/components/markdown/review-text";
import { formatCount, plural } from "@/components/ui/format";
import type { ReviewResponse } from "@/lib/review";
import type { HighlightSpan } from "@/lib/review-screen/render-spans";

export type ViewMode = TextView;

function Text({ text, spans, view }: { text: string; spans: readonly HighlightSpan[]; view: ViewMode }) {
  return <ReviewText text={text} spans={spans} view={view} />;
}

function ResponseBodyImpl({
  response,
  view,
  reasoningOpen,
  onToggleReasoning,
}: {
  response: ReviewResponse;
  view: ViewMode;
  reasoningOpen: boolean;
  onToggleReasoning: (id: number) => void;
}) {
  const reasoningSpans = response.signals?.reasoning?.spans ?? [];
  const answerSpans = response.signals?.answer.spans ?? [];
  const reasoningId = `reasoning-${response.id}`;
  return (
    <div className="space-y-3 text-sm leading-relaxed">
      {response.reasoning !== null ? (
        <section
          aria-label={`Reasoning of response ${response.letter}`}
          className="rounded-md border border-zinc-200 bg-zinc-50"
        >
          <button
            type="button"
            aria-expanded={reasoningOpen}
            aria-controls={reasoningId}
            onClick={() => onToggleReasoning(response.id)}
            className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-xs font-medium text-zinc-600 hover:text-zinc-950"
          >
            <span
              aria-hidden="true"
              className={`inline-block transition-transform ${reasoningOpen ? "rotate-90" : ""}`}
            >
              ▸
            </span>
            <span>
              Reasoning · {formatCount(response.reasoningChars)} chars
              {reasoningSpans.length > 0 ? (
                <span className="ml-1 rounded bg-amber-200/70 px-1 text-amber-950">
                  {plural(reasoningSpans.length, "language span")}
                </span>
              ) : null}
            </span>
            <kbd className="ml-auto rounded border border-zinc-300 bg-white px-1 text-[10px] text-zinc-500">e</kbd>
          </button>
          {reasoningOpen ? (
            <div id={reasoningId} className="border-t border-zinc-200 px-3 py-2 text-zinc-700">
              {response.reasoning === "" ? (
                <p className="italic text-zinc-500">Empty reasoning.</p>
              ) : (
                <Text text={response.reasoning} spans={reasoningSpans} view={view} />
              )}
            </div>
          ) : null}
        </section>
      ) : (
        <p className="text-xs text-zinc-500">No reasoning.</p>
      )}
      <section aria-label={`Answer of response ${response.letter}`}>
        <h4 className="mb-1 flex items-center gap-2 text-xs font-medium tracking-wide text-zinc-500 uppercase">
          Answer
          {answerSpans.length > 0 ? (
            <span className="rounded bg-amber-200/70 px-1 normal-case tracking-normal text-amber-950">
              {plural(answerSpans.length, "language span")}
            </span>
          ) : null}
        </h4>
        {response.answer.trim() === "" ? (
          <p className="italic text-zinc-500">Empty answer.</p>
        ) : (
          <Text text={response.answer} spans={answerSpans} view={view} />
        )}
      </section>
    </div>
  );
}

export const ResponseBody = memo(ResponseBodyImpl);
