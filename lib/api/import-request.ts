// POST /api/v1/studies/{slug}/responses: the query string and headers of an upload, as the request
// lib/import/http-upload.ts takes (the column options are parsed there, by the command line's parser).
import type { UploadRequest } from "../import/http-upload";
import type { PreviewRequest } from "../import/preview";

/** ?remember=FORMAT&column=NAME…: the import page's request to remember its mapping (names capped). */
export function rememberOf(
  params: URLSearchParams,
  formatParameter = "remember",
): { format: string; columns: string[] } | null {
  const format = params.get(formatParameter);
  const columns = params
    .getAll("column")
    .slice(0, 500)
    .map((c) => c.slice(0, 200));
  return format && /^[a-z-]{1,40}$/.test(format) && columns.length > 0 ? { format, columns } : null;
}

export function importRequestOf(request: Request, studySlug: string, userId: number): UploadRequest {
  const params = new URL(request.url).searchParams;
  return {
    studySlug,
    userId,
    body: request.body as AsyncIterable<Uint8Array> | null,
    contentType: request.headers.get("content-type"),
    contentLength: request.headers.get("content-length"),
    contentEncoding: request.headers.get("content-encoding"),
    format: params.get("format"),
    fileName: params.get("fileName"),
    createStudyName: params.get("create"),
    map: params.getAll("map"),
    checkpoints: params.get("checkpoints"),
    strategies: params.getAll("strategy"),
    questions: params.getAll("question"),
    set: params.getAll("set"),
    rename: params.getAll("rename"),
    derive: params.getAll("derive"),
    dryRun: ["1", "true"].includes(params.get("dryRun") ?? ""),
    remember: rememberOf(params),
  };
}

/** POST /api/v1/studies/{slug}/import-preview: the file's first bytes and the column options to show them under. */
export function previewRequestOf(request: Request): PreviewRequest {
  const params = new URL(request.url).searchParams;
  return {
    body: request.body as AsyncIterable<Uint8Array> | null,
    contentType: request.headers.get("content-type"),
    contentEncoding: request.headers.get("content-encoding"),
    format: params.get("format"),
    fileName: params.get("fileName"),
    truncated: ["1", "true"].includes(params.get("truncated") ?? ""),
    set: params.getAll("set"),
    rename: params.getAll("rename"),
    derive: params.getAll("derive"),
  };
}
