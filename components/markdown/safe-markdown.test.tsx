// What the review workspace's markdown actually renders for hostile input: no element that runs,
// loads or navigates, and the hostile text still visible as text for the reviewer.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { XSS_DOCUMENT, XSS_PAYLOADS } from "@/lib/review-screen/render-xss-corpus";
import { PlainText } from "./plain-text";
import { SafeMarkdown } from "./safe-markdown";

const render = (text: string, spans?: { start: number; end: number; lang: string }[]) =>
  renderToStaticMarkup(<SafeMarkdown text={text} spans={spans} />);

const FORBIDDEN_TAGS =
  /<(script|img|iframe|object|embed|svg|a|link|meta|style|form|button|video|audio|source|input|details|body|math)\b/i;

describe("SafeMarkdown", () => {
  it.each(XSS_PAYLOADS.map((p) => [p]))("renders %j without any active element or attribute", (payload) => {
    const html = render(payload);
    expect(html).not.toMatch(FORBIDDEN_TAGS);
    // No event handler attribute, no URL attribute at all.
    expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<[^>]+\s(href|src|srcset|action|formaction|data|style)\s*=/i);
  });

  it("shows raw HTML as visible code", () => {
    const html = render(`<script>alert(1)</script>`);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("md-raw-html");
    expect(render("a <b onclick=x>bold</b> word")).toContain('<code class="md-raw-html">&lt;b onclick=x&gt;</code>');
  });

  it("shows links as their text and address, flagging script addresses", () => {
    const web = render("[the docs](https://example.org/docs)");
    expect(web).toContain("the docs");
    expect(web).toContain("⟨https://example.org/docs⟩");
    const script = render("[click](javascript:alert(1))");
    expect(script).toContain("click");
    expect(script).toContain("⟨blocked script or data address: javascript:alert(1)⟩");
    expect(script).toContain('data-kind="blocked"');
    // A bare address is shown once.
    expect(render("see https://example.org/x now").match(/example\.org\/x/g)).toHaveLength(1);
  });

  it("shows images as a placeholder with the alt text and address, loading nothing", () => {
    const html = render("![a cat](http://attacker.invalid/cat.png)");
    expect(html).toContain("Image (not loaded): “a cat”");
    expect(html).toContain("⟨http://attacker.invalid/cat.png⟩");
    const ref = render("![ref][p]\n\n[p]: /x.png");
    expect(ref).toContain("⟨relative address: /x.png⟩");
  });

  it("renders ordinary markdown: emphasis, lists, code, tables", () => {
    const html = render("**bold** and *it*\n\n- one\n- two\n\n```py\nprint(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("print(1)");
    expect(html).toContain("<table>");
  });

  it("marks language-mixing spans by their offsets in the source, inside markdown", () => {
    const text = "First **we compute** 然后我们 the sum.";
    const start = text.indexOf("然");
    const html = render(text, [{ start, end: start + 4, lang: "zh" }]);
    expect(html).toContain('<mark class="lang-span" title="Other language: Chinese" data-lang="zh">然后我们</mark>');
    expect(html).toContain("<strong>we compute</strong>");
    // A span inside emphasis is cut exactly too.
    const inBold = render(text, [{ start: text.indexOf("compute"), end: text.indexOf("compute") + 7, lang: "de" }]);
    expect(inBold).toContain(
      '<strong>we <mark class="lang-span" title="Other language: German" data-lang="de">compute</mark></strong>',
    );
  });

  it("survives the whole corpus in one document", () => {
    const html = render(XSS_DOCUMENT);
    expect(html).not.toMatch(FORBIDDEN_TAGS);
    expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
  });
});

describe("PlainText", () => {
  it("escapes everything and marks spans", () => {
    const html = renderToStaticMarkup(
      <PlainText text={"<img src=x onerror=alert(1)> 你好呀"} spans={[{ start: 29, end: 32, lang: "zh" }]} />,
    );
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; ");
    expect(html).toContain('data-lang="zh"');
    expect(html).toContain(">你好呀</mark>");
  });
});
