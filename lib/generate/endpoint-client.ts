// Calls an OpenAI-compatible chat completions endpoint (vLLM, SGLang, TGI, llama.cpp server,
// Ollama, hosted APIs) with undici's connection pool and parses its server-sent events with
// eventsource-parser. One call = one attempt; retrying is `completeWithRetries`' job.
import { createParser } from "eventsource-parser";
import { Pool } from "undici";
import { splitReasoningAndAnswer } from "../import/think-blocks";
import type { FormatIssue } from "../import/types";
import { DEFAULT_RETRY, type RetryPolicy, withRetries } from "../jobs/retry";

export interface EndpointSettings {
  baseUrl: string;
  model: string;
  systemPrompt: string | null;
  temperature: number | null;
  topP: number | null;
  maxTokens: number | null;
  seed: number | null;
  /** Stream the answer (server-sent events); false asks for one JSON body. */
  stream: boolean;
}

export interface Completion {
  reasoning: string | null;
  answer: string;
  formatIssues: FormatIssue[];
  finishReason: string | null;
  /** finish_reason "length": the endpoint stopped at max_tokens. */
  truncated: boolean;
  usage: { promptTokens: number | null; completionTokens: number | null; reasoningTokens: number | null };
  latencyMs: number;
}

/** An attempt that failed; `retryable` says whether another attempt may succeed. */
export class EndpointError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    /** From Retry-After, when the endpoint sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After as seconds or an HTTP date, in ms (capped at 10 minutes); null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === "") return null;
  const seconds = Number(text);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), 600_000);
}

interface UsageJson {
  prompt_tokens?: number;
  completion_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number };
}

function readUsage(usage: UsageJson | undefined): Completion["usage"] {
  return {
    promptTokens: usage?.prompt_tokens ?? null,
    completionTokens: usage?.completion_tokens ?? null,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? null,
  };
}

function finish(
  content: string,
  reasoning: string | undefined,
  finishReason: string | null,
  usage: UsageJson | undefined,
  started: number,
): Completion {
  const split = splitReasoningAndAnswer(content, reasoning === undefined || reasoning === "" ? undefined : reasoning);
  return {
    reasoning: split.reasoning,
    answer: split.answer,
    formatIssues: split.issues,
    finishReason,
    truncated: finishReason === "length",
    usage: readUsage(usage),
    latencyMs: Date.now() - started,
  };
}

/** The endpoint's error message, from an OpenAI-style error body or the text itself (shortened). */
function errorMessage(status: number, text: string): string {
  let detail = text.trim();
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    detail = (typeof parsed.error === "string" ? parsed.error : parsed.error?.message) ?? parsed.message ?? detail;
  } catch {}
  return `HTTP ${status}${detail ? `: ${detail.slice(0, 300)}` : ""}`;
}

/** One endpoint's connection pool: at most `connections` requests in flight. */
export class EndpointClient {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly settings: EndpointSettings,
    private readonly apiKey: string | null,
    connections: number,
    timeoutMs = 300_000,
  ) {
    const url = new URL(settings.baseUrl.endsWith("/") ? settings.baseUrl : `${settings.baseUrl}/`);
    this.path = `${url.pathname}chat/completions`;
    this.pool = new Pool(url.origin, {
      connections,
      pipelining: 1,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  async complete(prompt: string, sampleIndex: number, signal?: AbortSignal): Promise<Completion> {
    const s = this.settings;
    const messages = [
      ...(s.systemPrompt ? [{ role: "system", content: s.systemPrompt }] : []),
      { role: "user", content: prompt },
    ];
    const body: Record<string, unknown> = { model: s.model, messages, stream: s.stream };
    if (s.stream) body.stream_options = { include_usage: true };
    if (s.temperature !== null) body.temperature = s.temperature;
    if (s.topP !== null) body.top_p = s.topP;
    if (s.maxTokens !== null) body.max_tokens = s.maxTokens;
    // Each sample gets its own seed, or every sample of a seeded run would be the same text.
    if (s.seed !== null) body.seed = s.seed + sampleIndex;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: s.stream ? "text/event-stream" : "application/json",
    };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;

    const started = Date.now();
    let response: Awaited<ReturnType<Pool["request"]>>;
    try {
      response = await this.pool.request({
        method: "POST",
        path: this.path,
        headers,
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new EndpointError(`no answer from the endpoint: ${(error as Error).message}`, !signal?.aborted);
    }
    const { statusCode } = response;
    try {
      if (statusCode >= 400) {
        const text = await response.body.text();
        const retryable = statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
        throw new EndpointError(
          errorMessage(statusCode, text),
          retryable,
          statusCode,
          parseRetryAfter(response.headers["retry-after"]),
        );
      }
      const type = String(response.headers["content-type"] ?? "");
      if (type.includes("text/event-stream")) return await this.readStream(response.body, started);
      const json = (await response.body.json()) as {
        choices?: {
          message?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null };
          finish_reason?: string | null;
        }[];
        usage?: UsageJson;
      };
      const choice = json.choices?.[0];
      if (!choice?.message)
        throw new EndpointError("the endpoint's answer has no choices[0].message", false, statusCode);
      const reasoning = choice.message.reasoning_content ?? choice.message.reasoning ?? undefined;
      return finish(choice.message.content ?? "", reasoning, choice.finish_reason ?? null, json.usage, started);
    } catch (error) {
      response.body.destroy();
      if (error instanceof EndpointError) throw error;
      throw new EndpointError(`the answer broke off: ${(error as Error).message}`, !signal?.aborted, statusCode);
    }
  }

  private async readStream(body: AsyncIterable<Buffer>, started: number): Promise<Completion> {
    let content = "";
    let reasoning = "";
    let finishReason: string | null = null;
    let usage: UsageJson | undefined;
    let done = false;
    let bad: string | null = null;
    const parser = createParser({
      onEvent(event) {
        if (event.data === "[DONE]") {
          done = true;
          return;
        }
        try {
          const chunk = JSON.parse(event.data) as {
            choices?: {
              delta?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null };
              finish_reason?: string | null;
            }[];
            usage?: UsageJson | null;
            error?: { message?: string };
          };
          if (chunk.error) bad = chunk.error.message ?? "error event";
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content) content += choice.delta.content;
          const r = choice?.delta?.reasoning_content ?? choice?.delta?.reasoning;
          if (r) reasoning += r;
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (chunk.usage) usage = chunk.usage;
        } catch {
          bad = `an event that is not JSON: ${event.data.slice(0, 100)}`;
        }
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
    if (bad !== null) throw new EndpointError(`the stream reported ${bad}`, true);
    // A stream that ends without [DONE] or a finish reason was cut off: retry rather than keep half an answer.
    if (!done && finishReason === null)
      throw new EndpointError("the stream ended before the answer was complete", true);
    return finish(content, reasoning === "" ? undefined : reasoning, finishReason, usage, started);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export type { RetryPolicy } from "../jobs/retry";
export { DEFAULT_RETRY, retryDelay } from "../jobs/retry";

export interface AttemptResult {
  completion: Completion | null;
  error: EndpointError | null;
  attempts: number;
}

/** Calls until an answer, an error that no retry will fix, the last attempt, or `stop()` turns true (lib/jobs/retry.ts). */
export async function completeWithRetries(
  client: EndpointClient,
  prompt: string,
  sampleIndex: number,
  policy: RetryPolicy = DEFAULT_RETRY,
  stop: () => boolean = () => false,
): Promise<AttemptResult> {
  const result = await withRetries(
    () => client.complete(prompt, sampleIndex),
    (caught) => (caught instanceof EndpointError ? caught : new EndpointError(String(caught), false)),
    policy,
    stop,
  );
  return { completion: result.value, error: result.error, attempts: result.attempts };
}
