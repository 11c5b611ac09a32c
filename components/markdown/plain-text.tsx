// Model output as plain text, exactly as written (whitespace kept), with language-mixing spans marked.
import { memo, type ReactNode } from "react";
import { languageName, segmentText, type HighlightSpan } from "@/lib/review-screen/render-spans";

export interface PlainTextProps {
  text: string;
  spans?: readonly HighlightSpan[] | null;
  className?: string;
}

function PlainTextImpl({ text, spans, className }: PlainTextProps): ReactNode {
  const segments = segmentText(text, spans);
  return (
    <div className={`whitespace-pre-wrap [overflow-wrap:anywhere] ${className ?? ""}`.trim()}>
      {segments.map((segment) =>
        segment.lang === null ? (
          segment.text
        ) : (
          <mark
            key={segment.start}
            className="lang-span rounded-sm bg-amber-200/70 text-inherit"
            data-lang={segment.lang}
            title={`Other language: ${languageName(segment.lang)}`}
          >
            {segment.text}
          </mark>
        ),
      )}
    </div>
  );
}

export const PlainText = memo(PlainTextImpl);
