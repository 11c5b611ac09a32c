// One response in the side-by-side view: its letter (never the checkpoint), the preference marks,
// the automatic hints, the text (scrolls by itself) and the label form. Memoised: a change to
// another response's label does not render this column.
import { memo, type Ref } from "react";
import type { ReviewResponse } from "@/lib/review";
import type { LabelFields } from "@/lib/review/label-input";
import type { Prefix } from "@/lib/review-screen/keymap";
import { LabelForm } from "./label-form";
import { missingFields, type LabelAction } from "./label-state";
import { ResponseBody, type ViewMode } from "./response-body";
import { SignalChips } from "./signal-chips";

export interface ResponseColumnProps {
  response: ReviewResponse;
  index: number;
  fields: LabelFields;
  active: boolean;
  safest: boolean;
  best: boolean;
  view: ViewMode;
  reasoningOpen: boolean;
  categories: readonly string[];
  prefix: Prefix | null;
  dispatch: (action: LabelAction) => void;
  onActivate: (index: number) => void;
  onToggleReasoning: (id: number) => void;
  bodyRef?: Ref<HTMLDivElement>;
  noteRef?: Ref<HTMLTextAreaElement>;
}

function ResponseColumnImpl(props: ResponseColumnProps) {
  const {
    response,
    index,
    fields,
    active,
    safest,
    best,
    view,
    reasoningOpen,
    categories,
    prefix,
    dispatch,
    onActivate,
    onToggleReasoning,
    bodyRef,
    noteRef,
  } = props;
  const missing = missingFields(fields, response.reasoning !== null);
  const headingId = `response-${response.id}-heading`;
  return (
    <article
      aria-labelledby={headingId}
      aria-current={active ? "true" : undefined}
      data-active={active || undefined}
      onMouseDown={() => onActivate(index)}
      onFocusCapture={() => onActivate(index)}
      className={`flex min-h-0 min-w-[16.5rem] flex-1 basis-0 flex-col rounded-lg border bg-white shadow-xs transition-shadow ${
        active ? "border-accent ring-2 ring-accent/60" : "border-zinc-200"
      }`}
    >
      <header
        className={`space-y-1 border-b px-3 py-2 ${active ? "border-accent/30 bg-accent-soft" : "border-zinc-100"}`}
      >
        <div className="flex items-center gap-2">
          <h3 id={headingId} className="text-sm font-semibold whitespace-nowrap" title={`Alt+${index + 1} jumps here`}>
            Response {response.letter}
          </h3>
          <div className="ml-auto flex gap-1 whitespace-nowrap">
            <button
              type="button"
              aria-pressed={safest}
              onClick={() => dispatch({ type: "prefer", kind: "safest", responseId: response.id })}
              className={`rounded-md border px-1.5 py-0.5 text-[11px] font-medium ${safest ? "border-emerald-600 bg-emerald-600 text-white" : "border-zinc-200 text-zinc-600 hover:border-zinc-400"}`}
            >
              <kbd className="font-mono">s</kbd> Safest
            </button>
            <button
              type="button"
              aria-pressed={best}
              onClick={() => dispatch({ type: "prefer", kind: "best", responseId: response.id })}
              className={`rounded-md border px-1.5 py-0.5 text-[11px] font-medium ${best ? "border-indigo-600 bg-indigo-600 text-white" : "border-zinc-200 text-zinc-600 hover:border-zinc-400"}`}
            >
              <kbd className="font-mono">b</kbd> Best
            </button>
          </div>
        </div>
        <SignalChips response={response} />
      </header>
      <div
        ref={bodyRef}
        tabIndex={-1}
        data-scroll-root=""
        className="min-h-24 flex-1 overflow-y-auto px-3 py-2 [contain:content] focus:outline-none"
        aria-label={`Text of response ${response.letter}`}
      >
        <ResponseBody
          response={response}
          view={view}
          reasoningOpen={reasoningOpen}
          onToggleReasoning={onToggleReasoning}
        />
      </div>
      <div className="max-h-[55%] shrink-0 overflow-y-auto border-t border-zinc-100 bg-zinc-50/60 px-3 py-2">
        <LabelForm
          responseId={response.id}
          letter={response.letter}
          hasReasoning={response.reasoning !== null}
          fields={fields}
          categories={categories}
          prefix={active ? prefix : null}
          dispatch={dispatch}
          noteRef={noteRef}
        />
        <p
          className={`mt-1.5 text-[11px] ${missing.length === 0 ? "text-emerald-700" : "text-zinc-500"}`}
          aria-live="polite"
        >
          {missing.length === 0 ? "✓ Complete" : `To do: ${missing.join(", ")}`}
        </p>
      </div>
    </article>
  );
}

export const ResponseColumn = memo(ResponseColumnImpl);
