// POST /api/v1/studies/{slug}/responses: the query string and headers of an upload, as the request
// lib/import/http-upload.ts takes (the column options are parsed there, by the command line's parser).
import type { UploadRequest } from "../import/http-upload";

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
  };
}
