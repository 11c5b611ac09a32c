// Model output and prompts as markdown that cannot run, load or navigate: no raw HTML (shown as
// code), links and images as text with their address (lib/review-screen/render-markdown.ts), every URL
// through safeUrlTransform, and no <a>/<img> element in the output even for footnotes.
import { memo, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { remarkLanguageSpans, remarkReviewSafety } from "@/lib/review-screen/render-markdown";
import { safeUrlTransform } from "@/lib/review-screen/render-url";
import type { HighlightSpan } from "@/lib/review-screen/render-spans";

// Elements react-markdown must never produce; their content is kept.
const DISALLOWED = [
  "a",
  "img",
  "iframe",
  "object",
  "embed",
  "script",
  "style",
  "link",
  "meta",
  "form",
  "button",
  "video",
  "audio",
  "source",
  "svg",
];

const components: Components = {
  // Belt and braces: remarkReviewSafety already turned links and images into text.
  a: ({ children }) => <span className="md-link">{children}</span>,
  img: ({ alt }) => <span className="md-image">Image (not loaded){alt ? `: “${alt}”` : ""}</span>,
};

/** Typography for markdown inside narrow columns: headings stay small, code scrolls, tables fit. */
export const markdownClass =
  "md min-w-0 space-y-2 break-words [overflow-wrap:anywhere] [&_blockquote]:border-l-2 [&_blockquote]:border-zinc-300 [&_blockquote]:pl-3 [&_blockquote]:text-zinc-600 [&_code]:rounded [&_code]:bg-zinc-100 [&_code]:px-1 [&_h1]:text-base [&_h1]:font-semibold [&_h2]:text-base [&_h2]:font-semibold [&_h3]:font-semibold [&_h4]:font-semibold [&_hr]:border-zinc-200 [&_li]:my-0.5 [&_ol]:list-decimal [&_ol]:pl-5 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-zinc-100 [&_pre]:p-2 [&_pre]:text-xs [&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_table]:block [&_table]:overflow-x-auto [&_table]:text-xs [&_td]:border [&_td]:border-zinc-200 [&_td]:px-1.5 [&_th]:border [&_th]:border-zinc-200 [&_th]:px-1.5 [&_ul]:list-disc [&_ul]:pl-5 [&_.md-link]:text-accent-strong [&_.md-link]:underline [&_.md-link]:decoration-dotted [&_.md-url]:font-mono [&_.md-url]:text-xs [&_.md-url]:text-zinc-500 [&_.md-url]:no-underline [&_.md-url[data-kind=blocked]]:text-red-700 [&_.md-image]:rounded [&_.md-image]:border [&_.md-image]:border-dashed [&_.md-image]:border-zinc-300 [&_.md-image]:px-1 [&_.md-image]:text-zinc-600 [&_.md-raw-html]:text-rose-800 [&_mark.lang-span]:rounded-sm [&_mark.lang-span]:bg-amber-200/70 [&_mark.lang-span]:text-inherit";

export interface SafeMarkdownProps {
  text: string;
  /** Language-mixing spans as offsets into `text`. */
  spans?: readonly HighlightSpan[] | null;
  className?: string;
}

function SafeMarkdownImpl({ text, spans, className }: SafeMarkdownProps): ReactNode {
  return (
    <div className={className ? `${markdownClass} ${className}` : markdownClass}>
      <Markdown
        remarkPlugins={[remarkGfm, remarkReviewSafety, [remarkLanguageSpans, { spans }]]}
        skipHtml
        disallowedElements={DISALLOWED}
        unwrapDisallowed
        urlTransform={safeUrlTransform}
        components={components}
      >
        {text}
      </Markdown>
    </div>
  );
}

/** Rendered once per text: parents re-rendering (a keystroke in a label form) do not parse it again. */
export const SafeMarkdown = memo(SafeMarkdownImpl);
