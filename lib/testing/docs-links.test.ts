// The documentation stays navigable: every relative link in the README, docs/ and the folders'
// READMEs leads to a file that exists (and to a heading that exists, for #anchors), and every
// `npm run <script>` they tell a reader to type is a script of package.json.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

function markdownFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string, keep: (file: string) => boolean) => {
    if (!existsSync(path.join(root, dir))) return;
    for (const entry of readdirSync(path.join(root, dir))) {
      if (entry === "node_modules" || entry === "generated" || entry.startsWith(".")) continue;
      const rel = `${dir}/${entry}`;
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel, keep);
      else if (keep(entry)) files.push(rel);
    }
  };
  walk("docs", (name) => name.endsWith(".md"));
  walk("lib", (name) => name === "README.md");
  return files;
}

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(path.join(root, file), "utf8").replace(/^(```|~~~)[\s\S]*?^\1/gm, "");
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const files = markdownFiles();
const scripts = new Set(
  Object.keys(
    (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
  ),
);

describe("the documentation", () => {
  it("is found: the README, docs/ and the folders' READMEs", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/access.md",
        "docs/ARCHITECTURE.md",
        "docs/benchmarks.md",
        "lib/export/README.md",
      ]),
    );
  });

  it("has relative links that all resolve, anchors included", () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = prose(readFileSync(path.join(root, file), "utf8"));
      for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [pathPart, anchor] = target.split("#") as [string, string | undefined];
        const resolved =
          pathPart === ""
            ? file
            : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(pathPart)));
        if (resolved.startsWith("..") || !existsSync(path.join(root, resolved))) {
          broken.push(`${file}: ${target} (no ${resolved})`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor)) {
          broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("names only npm scripts that package.json has", () => {
    const unknown: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(root, file), "utf8");
      for (const match of text.matchAll(/\bnpm run ([A-Za-z0-9:_-]+)/g)) {
        if (!scripts.has(match[1]!)) unknown.push(`${file}: npm run ${match[1]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("computes anchors as GitHub does", () => {
    expect(slug("How access is enforced")).toBe("how-access-is-enforced");
    expect(slug("`GET /api/v1/studies/{slug}/export`")).toBe("get-apiv1studiesslugexport");
    expect(slug("Drafts, saving and conflicts")).toBe("drafts-saving-and-conflicts");
    expect(slug("From Label Studio and Argilla")).toBe("from-label-studio-and-argilla");
  });
});
