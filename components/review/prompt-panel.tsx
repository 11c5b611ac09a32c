// The prompt above the responses: its text (markdown or plain, as the workspace shows) and what
// the reviewer may need to know of it — category, language, how many responses.
import { ReviewText } from "@/components/markdown/review-text";
import type { ReviewItem } from "@/lib/review";
import type { ViewMode } from "./response-body";

export function PromptPanel({
  prompt,
  responses,
  view,
}: {
  prompt: ReviewItem["prompt"];
  responses: number;
  view: ViewMode;
}) {
  return (
    <section
      aria-label="Prompt"
      data-scroll-root=""
      className="max-h-[22vh] shrink-0 overflow-y-auto border-b border-zinc-200 bg-white px-4 py-3"
    >
      <div className="mx-auto max-w-5xl">
        <p className="mb-1 flex flex-wrap gap-x-3 text-xs text-zinc-500">
          <span className="font-medium tracking-wide text-zinc-700 uppercase">Prompt</span>
          {prompt.category ? <span>category: {prompt.category}</span> : null}
          {prompt.language ? <span>language: {prompt.language}</span> : null}
          <span>{responses} responses</span>
        </p>
        <div className="text-sm text-zinc-900">
          <ReviewText text={prompt.text} view={view} />
        </div>
      </div>
    </section>
  );
}
