// How the import page sends a file: its format from the name (a .gz ending means the body is gzip,
// decompressed by the server as it arrives), the preview's first bytes by fetch, and the whole file
// (check or import) by XMLHttpRequest for its upload progress.

const CONTENT_TYPES: Record<string, string> = {
  jsonl: "application/x-ndjson",
  ndjson: "application/x-ndjson",
  json: "application/json",
  csv: "text/csv",
};

/** The bytes the preview is sent (the server reads at most this much anyway). */
export const PREVIEW_SLICE = 4 * 1024 * 1024;

export function fileKind(name: string): { contentType: string; gzip: boolean } | null {
  const lower = name.toLowerCase();
  const gzip = lower.endsWith(".gz");
  const extension = lower.replace(/\.gz$/, "").split(".").pop() ?? "";
  const contentType = CONTENT_TYPES[extension];
  return contentType ? { contentType, gzip } : null;
}

export interface ColumnOptions {
  set: string[];
  rename: string[];
  derive: string[];
}

export function optionQuery(fileName: string, options: ColumnOptions): URLSearchParams {
  const query = new URLSearchParams({ fileName });
  for (const value of options.set) query.append("set", value);
  for (const value of options.rename) query.append("rename", value);
  for (const value of options.derive) query.append("derive", value);
  return query;
}

/** POSTs the file's first bytes to the preview route; the parsed answer and its status. */
export async function sendPreview(
  slug: string,
  file: File,
  options: ColumnOptions,
): Promise<{ status: number; body: unknown }> {
  const kind = fileKind(file.name);
  const query = optionQuery(file.name, options);
  if (file.size > PREVIEW_SLICE) query.set("truncated", "true");
  const headers: Record<string, string> = { "Content-Type": kind?.contentType ?? "application/octet-stream" };
  if (kind?.gzip) headers["Content-Encoding"] = "gzip";
  const response = await fetch(`/api/v1/studies/${slug}/import-preview?${query.toString()}`, {
    method: "POST",
    headers,
    body: file.slice(0, PREVIEW_SLICE),
    cache: "no-store",
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** Sends the whole file to the upload route; resolves with the status and parsed answer (status 0: the connection was lost). */
export function sendUpload(
  slug: string,
  file: File,
  query: URLSearchParams,
  onProgress: (sent: number, total: number) => void,
): Promise<{ status: number; body: unknown }> {
  const kind = fileKind(file.name);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/studies/${slug}/responses?${query.toString()}`);
    xhr.setRequestHeader("Content-Type", kind?.contentType ?? "application/octet-stream");
    if (kind?.gzip) xhr.setRequestHeader("Content-Encoding", "gzip");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => resolve({ status: 0, body: null });
    xhr.send(file);
  });
}
