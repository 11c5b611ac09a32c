// Remark plugins that make markdown from models and prompts safe to show and useful to review.
// `remarkReviewSafety`: raw HTML becomes visible code (the reviewer sees what the model wrote; the
// browser never parses it); links become their text followed by the address as text (nothing to
// click, nothing that fires on view); images become a placeholder with the alt text and address
// (nothing loads). `remarkLanguageSpans`: marks the stretches of another language, by the source
// offsets micromark keeps on every text node.
import type { Nodes, Parent, Root, RootContent, Text } from "mdast";
import { classifyUrl, displayUrl, isScriptUrl } from "./render-url";
import { normaliseSpans, segmentRange, languageName, type HighlightSpan } from "./render-spans";

/** An mdast node remark-rehype turns into an element of our choosing (hName), keeping its children. */
interface ElementNode {
  type: "reviewElement";
  data: { hName: string; hProperties: Record<string, unknown> };
  children: RootContent[];
}

const element = (
  hName: string,
  className: string,
  children: RootContent[],
  extra: Record<string, unknown> = {},
): RootContent => {
  const node: ElementNode = {
    type: "reviewElement",
    data: { hName, hProperties: { className: [className], ...extra } },
    children,
  };
  // Not an mdast type: remark-rehype's handler for unknown nodes builds the element from `data`.
  return node as unknown as RootContent;
};

const text = (value: string): Text => ({ type: "text", value });

function urlElement(url: string): RootContent {
  const kind = classifyUrl(url);
  const warning = isScriptUrl(url)
    ? "blocked script or data address: "
    : kind === "relative"
      ? "relative address: "
      : "";
  return element("span", "md-url", [text(`⟨${warning}${displayUrl(url)}⟩`)], { dataKind: kind });
}

function plainText(node: Nodes): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plainText).join("");
  return "";
}

function collectDefinitions(tree: Root): Map<string, string> {
  const definitions = new Map<string, string>();
  const walk = (node: Nodes) => {
    if (node.type === "definition") {
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
      return;
    }
    if ("children" in node) for (const child of node.children as Nodes[]) walk(child);
  };
  walk(tree);
  return definitions;
}

function blockedImage(alt: string, url: string | null): RootContent {
  const children: RootContent[] = [text(alt.trim() ? `Image (not loaded): “${alt}” ` : "Image (not loaded) ")];
  if (url !== null) children.push(urlElement(url));
  return element("span", "md-image", children);
}

function blockedLink(children: RootContent[], url: string | null): RootContent {
  const shown = url === null ? [] : [text(" "), urlElement(url)];
  // A bare address (GFM autolink literal, <https://…>) would otherwise be shown twice.
  const label = plainText({ type: "paragraph", children } as Nodes);
  if (url !== null && (label === url || `mailto:${label}` === url || `http://${label}` === url))
    return element("span", "md-link", [urlElement(url)]);
  return element("span", "md-link", [...children, ...shown]);
}

function replaceUnsafe(node: Nodes, definitions: Map<string, string>): RootContent | null {
  switch (node.type) {
    case "html":
      // Block or inline, shown as code: React escapes it, so it is text whatever it contains.
      return {
        type: "inlineCode",
        value: node.value,
        data: { hProperties: { className: ["md-raw-html"] } },
      } as RootContent;
    case "image":
      return blockedImage(node.alt ?? "", node.url);
    case "imageReference":
      return blockedImage(node.alt ?? "", definitions.get(node.identifier) ?? null);
    case "link":
      return blockedLink(sanitiseChildren(node.children as RootContent[], definitions, "link"), node.url);
    case "linkReference":
      return blockedLink(
        sanitiseChildren(node.children as RootContent[], definitions, "link"),
        definitions.get(node.identifier) ?? null,
      );
    default:
      return null;
  }
}

const FLOW_PARENTS = new Set(["root", "blockquote", "listItem", "footnoteDefinition"]);

function sanitiseChildren(
  children: RootContent[],
  definitions: Map<string, string>,
  parentType = "root",
): RootContent[] {
  return children.map((child) => {
    if (child.type === "html" && FLOW_PARENTS.has(parentType)) {
      // Block-level raw HTML: a code block of its own, not run into the next paragraph.
      return {
        type: "code",
        value: child.value,
        lang: null,
        meta: null,
        data: { hProperties: { className: ["md-raw-html"] } },
      } as RootContent;
    }
    const replaced = replaceUnsafe(child, definitions);
    if (replaced) return replaced;
    if ("children" in child)
      (child as Parent).children = sanitiseChildren((child as Parent).children, definitions, child.type);
    return child;
  });
}

/** Raw HTML shown as code, links as text plus address, images as a placeholder: nothing clickable, nothing loads. */
export function remarkReviewSafety() {
  return (tree: Root) => {
    const definitions = collectDefinitions(tree);
    tree.children = sanitiseChildren(tree.children, definitions);
  };
}

export interface LanguageSpansOptions {
  spans: readonly HighlightSpan[] | null | undefined;
}

/**
 * Marks the spans in another language. A text node whose value is its source verbatim is cut
 * exactly at the span boundaries; one that markdown changed (escapes, entities) is marked whole
 * when a span touches it.
 */
export function remarkLanguageSpans(options: LanguageSpansOptions) {
  return (tree: Root, file: { value?: unknown }) => {
    const source = typeof file.value === "string" ? file.value : String(file.value ?? "");
    const spans = normaliseSpans(options.spans, source.length);
    if (spans.length === 0) return;
    const walk = (parent: Parent) => {
      const out: RootContent[] = [];
      for (const child of parent.children as RootContent[]) {
        if (
          child.type === "text" &&
          child.position?.start.offset !== undefined &&
          child.position.end.offset !== undefined
        ) {
          out.push(...markText(child, child.position.start.offset, child.position.end.offset, source, spans));
          continue;
        }
        if ("children" in child) walk(child as Parent);
        out.push(child);
      }
      parent.children = out as Parent["children"];
    };
    walk(tree);
  };
}

function mark(value: string, lang: string): RootContent {
  return element("mark", "lang-span", [text(value)], {
    title: `Other language: ${languageName(lang)}`,
    dataLang: lang,
  });
}

function markText(
  node: Text,
  start: number,
  end: number,
  source: string,
  spans: readonly HighlightSpan[],
): RootContent[] {
  const touching = spans.find((s) => s.start < end && s.end > start);
  if (!touching) return [node];
  if (source.slice(start, end) !== node.value) return [mark(node.value, touching.lang)];
  return segmentRange(node.value, start, spans).map((segment) =>
    segment.lang === null ? text(segment.text) : mark(segment.text, segment.lang),
  );
}
