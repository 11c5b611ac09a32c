"use client";
// A prompt or response part in the chosen view. Long markdown is cut into blocks
// (lib/review-screen/render-chunks.ts): each block shows as plain text (cheap, searchable, about the right
// height) until it scrolls within reach of its scroll container, then as markdown — so a 100 KB
// reasoning opens at once and a page of seven of them stays responsive.
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { splitMarkdownBlocks } from "@/lib/review-screen/render-chunks";
import { spansInRange, type HighlightSpan } from "@/lib/review-screen/render-spans";
import { PlainText } from "./plain-text";
import { SafeMarkdown } from "./safe-markdown";

export type TextView = "markdown" | "plain";

/** How far ahead of the visible part of its scroll container a block is rendered as markdown. */
const AHEAD = "1200px 0px";

function LazyBlock({ text, spans, eager }: { text: string; spans: HighlightSpan[]; eager: boolean }) {
  const [near, setNear] = useState(eager);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return;
    const root = element.closest("[data-scroll-root]");
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { root, rootMargin: AHEAD },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);
  return (
    <div ref={ref}>
      {near ? <SafeMarkdown text={text} spans={spans} /> : <PlainText text={text} spans={spans} className="mb-2" />}
    </div>
  );
}

function ReviewTextImpl({
  text,
  spans,
  view,
}: {
  text: string;
  spans?: readonly HighlightSpan[] | null;
  view: TextView;
}) {
  const blocks = useMemo(() => (view === "markdown" ? splitMarkdownBlocks(text) : null), [text, view]);
  if (!blocks) return <PlainText text={text} spans={spans} />;
  if (blocks.length === 1) return <SafeMarkdown text={text} spans={spans} />;
  return (
    <div>
      {blocks.map((block, i) => (
        <LazyBlock
          key={block.start}
          text={block.text}
          spans={spansInRange(spans, block.start, block.start + block.text.length)}
          eager={i === 0}
        />
      ))}
    </div>
  );
}

export const ReviewText = memo(ReviewTextImpl);
