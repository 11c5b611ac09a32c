// URLs found in model output and prompts, judged for display. Nothing in the review workspace follows
// a URL: links and images are shown as their text and address, never as clickable or loading
// elements. These helpers say what kind of address it is (so the UI can warn about script URLs)
// and give react-markdown a urlTransform that empties anything that is not a plain web address, as
// a second line of defence should an element with a URL ever be rendered.

export type UrlKind = "web" | "mail" | "relative" | "blocked";

/** Schemes that run code or smuggle content; shown as text with a warning, never used. */
const SCRIPT_SCHEMES = new Set([
  "javascript",
  "vbscript",
  "data",
  "livescript",
  "mocha",
  "jscript",
  "file",
  "blob",
  "filesystem",
]);

const MAX_SHOWN = 200;

/**
 * The scheme of a URL the way a browser reads it: leading control characters and spaces are
 * dropped and tabs and newlines anywhere are ignored ("java\tscript:" is javascript:). Null when
 * the URL has no scheme (relative or protocol-relative).
 */
export function urlScheme(url: string): string | null {
  // Browsers strip leading/trailing C0 controls and spaces, and remove ASCII tab and newline everywhere.
  const cleaned = url.replace(/^[\u0000-\u0020]+/, "").replace(/[\t\n\r]/g, "");
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned);
  return match ? match[1]!.toLowerCase() : null;
}

export function classifyUrl(url: string): UrlKind {
  const scheme = urlScheme(url);
  if (scheme === null) return "relative";
  if (scheme === "http" || scheme === "https") return "web";
  if (scheme === "mailto") return "mail";
  return "blocked";
}

/** True for the schemes the issue names as dangerous (and their relatives): shown with a warning. */
export function isScriptUrl(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme !== null && SCRIPT_SCHEMES.has(scheme);
}

/**
 * For react-markdown's `urlTransform`: http(s) and mailto addresses pass, everything else (script
 * and data URLs, unknown schemes, relative paths that would hit this site) becomes "". The
 * workspace never renders a link or image element anyway; this is the second lock.
 */
export function safeUrlTransform(url: string): string {
  const kind = classifyUrl(url);
  return kind === "web" || kind === "mail" ? url : "";
}

/** A URL as text for the reviewer: control characters made visible, long ones shortened with their length. */
export function displayUrl(url: string): string {
  const visible = url.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  if (visible.length <= MAX_SHOWN) return visible;
  return `${visible.slice(0, MAX_SHOWN)}… (${new Intl.NumberFormat("en-US").format(visible.length)} characters)`;
}
