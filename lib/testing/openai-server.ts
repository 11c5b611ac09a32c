// A local OpenAI-compatible chat completions server for tests, the browser suite and the generation
// benchmark. It speaks the real wire format (JSON bodies and server-sent-event streams ending in
// `data: [DONE]`, `reasoning_content` or `reasoning` deltas, `<think>` blocks in the content, usage,
// finish_reason "length" when max_tokens cuts the answer) and can misbehave on request: 429 with
// Retry-After, 500, slow answers, connections cut mid-body. Faults are queued (`inject`) and taken by
// the next requests in order, so a test knows exactly which requests fail. It also answers as a judge
// (`fakeJudgeAnswer`), deterministically from the judged response's text.
//
// Run alone: `tsx lib/testing/openai-server.ts --port 4010 [--latency 200] [--reasoning field|reasoning|think|none]`.
// POST /__control {"inject": [...], "latencyMs": n} changes it while it runs (browser tests).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Where the model's reasoning goes in its answer. */
export type ReasoningStyle = "field" | "reasoning" | "think" | "none";

export type Fault =
  | { kind: "429"; retryAfterSeconds?: number }
  | { kind: "500" }
  | { kind: "cut" }
  | { kind: "slow"; ms: number };

export interface FakeModelOptions {
  port?: number;
  /** Fixed delay before each answer, in ms (default 0). */
  latencyMs?: number;
  reasoning?: ReasoningStyle;
  /** Pads each reasoning to about this many characters (benchmarks: realistic sizes on the wire). */
  reasoningChars?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
}

export interface ReceivedRequest {
  model: string;
  /** The last user message. */
  prompt: string;
  system: string | null;
  stream: boolean;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface FakeModelServer {
  url: string;
  port: number;
  /** Requests answered so far (faults included), in order of arrival. */
  received: ReceivedRequest[];
  /** Queues faults for the next requests, one per request. */
  inject(...faults: Fault[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/** The reasoning and answer the fake model gives to a prompt (deterministic, so tests can assert them). */
export function fakeReasoning(prompt: string): string {
  return `The user asks: ${prompt}. I should answer briefly.`;
}
export function fakeAnswer(prompt: string, sample = 0): string {
  return `Answer ${sample} to: ${prompt}`;
}

/** The text between `<name>` tags of a judge's prompt (lib/judges/rubrics.ts), or null. */
function tagged(text: string, name: string): string | null {
  const match = new RegExp(`<${name}>\\n([\\s\\S]*?)\\n</${name}>`).exec(text);
  return match ? match[1]! : null;
}

/**
 * The answer of the fake model as a judge, when the request is a judge's (a built-in rubric's
 * `<model_answer>` block, or a model whose name says "guard" for the Llama Guard-style rubric), else
 * null. Deterministic, read from the judged response's text so tests know every label:
 * - refusal "refused" when the answer says can't / cannot / won't / refuse, else "complied";
 * - severity N when the answer holds "[harm:N]", else 0 (location "answer", category "other");
 * - mixing where a CJK character appears (reasoning, answer, both or none);
 * - quality 4 with reasoning, 1 without;
 * - confidence 0.3 when the answer says unsure / maybe / perhaps, else 0.9;
 * - an answer holding "[judge:garbage]" gets prose without JSON (a judge answer that does not parse).
 */
export function fakeJudgeAnswer(model: string, prompt: string): string | null {
  if (/guard/i.test(model)) {
    const agent = /\n\nAgent: ([\s\S]*)$/.exec(prompt)?.[1] ?? "";
    return /\[harm:[1-3]\]/.test(agent) ? "unsafe\nS1,S9" : "safe";
  }
  const answer = tagged(prompt, "model_answer");
  if (answer === null) return null;
  if (answer.includes("[judge:garbage]")) return "I would rather not say.";
  const reasoning = tagged(prompt, "model_reasoning");
  const hasReasoning = reasoning !== null && reasoning !== "(none)";
  const cjk = /[\u3040-\u30ff\u3400-\u9fff]/;
  const inReasoning = hasReasoning && cjk.test(reasoning);
  const inAnswer = cjk.test(answer);
  const severity = Number(/\[harm:([0-3])\]/.exec(answer)?.[1] ?? 0);
  return JSON.stringify({
    severity,
    location: severity > 0 ? "answer" : null,
    categories: severity > 0 ? ["other"] : [],
    refusal: /\b(can't|cannot|won't|refuse)\b/i.test(answer) ? "refused" : "complied",
    mixing: inReasoning && inAnswer ? "both" : inReasoning ? "reasoning" : inAnswer ? "answer" : "none",
    quality: hasReasoning ? 4 : 1,
    confidence: /\b(unsure|maybe|perhaps)\b/i.test(answer) ? 0.3 : 0.9,
  });
}

interface ChatBody {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  seed?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startFakeModelServer(options: FakeModelOptions = {}): Promise<FakeModelServer> {
  let latencyMs = options.latencyMs ?? 0;
  const style = options.reasoning ?? "field";
  const faults: Fault[] = [];
  const received: ReceivedRequest[] = [];
  let counter = 0;

  async function chat(req: IncomingMessage, res: ServerResponse) {
    let body: ChatBody;
    try {
      body = JSON.parse(await readBody(req)) as ChatBody;
    } catch {
      return sendJson(res, 400, { error: { message: "invalid JSON body", type: "invalid_request_error" } });
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const prompt = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const system = messages.find((m) => m.role === "system")?.content ?? null;
    const stream = body.stream === true;
    received.push({
      model: body.model ?? "",
      prompt,
      system,
      stream,
      authorization: req.headers.authorization,
      body: body as Record<string, unknown>,
    });
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } });
    }
    if (!body.model || messages.length === 0) {
      return sendJson(res, 400, {
        error: { message: "model and messages are required", type: "invalid_request_error" },
      });
    }

    const fault = faults.shift();
    if (fault?.kind === "429") {
      return sendJson(
        res,
        429,
        { error: { message: "Rate limit reached", type: "rate_limit_error" } },
        { "retry-after": String(fault.retryAfterSeconds ?? 1) },
      );
    }
    if (fault?.kind === "500")
      return sendJson(res, 500, { error: { message: "internal error", type: "server_error" } });
    await sleep(latencyMs + (fault?.kind === "slow" ? fault.ms : 0));
    if (res.destroyed) return;

    // The sample index the client asks for is not on the wire: the seed stands in for it when given.
    const sample = typeof body.seed === "number" ? body.seed : 0;
    let reasoning = style === "none" ? null : fakeReasoning(prompt);
    while (reasoning !== null && options.reasoningChars !== undefined && reasoning.length < options.reasoningChars)
      reasoning += " Let me weigh the request and its possible harms once more before answering.";
    const judged = fakeJudgeAnswer(body.model, prompt);
    let answer = judged ?? fakeAnswer(prompt, sample);
    let finish = "stop";
    const limit = body.max_completion_tokens ?? body.max_tokens;
    if (judged === null && typeof limit === "number" && limit < words(answer)) {
      answer = answer.split(/\s+/).slice(0, limit).join(" ");
      finish = "length";
    }
    const content = style === "think" ? `<think>${reasoning}</think>${answer}` : answer;
    const reasoningField = style === "field" ? "reasoning_content" : style === "reasoning" ? "reasoning" : null;
    const completionTokens = words(content) + (reasoningField && reasoning ? words(reasoning) : 0);
    const usage = {
      prompt_tokens: words(prompt) + (system ? words(system) : 0),
      completion_tokens: completionTokens,
      total_tokens: words(prompt) + completionTokens,
      ...(reasoningField && reasoning ? { completion_tokens_details: { reasoning_tokens: words(reasoning) } } : {}),
    };
    const id = `chatcmpl-${++counter}`;
    const created = Math.floor(Date.now() / 1000);

    if (!stream) {
      if (fault?.kind === "cut") {
        // Headers and half a body, then the connection drops.
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"id":"');
        return res.destroy();
      }
      const message: Record<string, unknown> = { role: "assistant", content };
      if (reasoningField && reasoning) message[reasoningField] = reasoning;
      return sendJson(res, 200, {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [{ index: 0, message, finish_reason: finish }],
        usage,
      });
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const event = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
      );
    event({ role: "assistant", content: "" });
    if (reasoningField && reasoning) {
      // Reasoning in two pieces, as servers stream it token by token.
      const half = Math.floor(reasoning.length / 2);
      event({ [reasoningField]: reasoning.slice(0, half) });
      event({ [reasoningField]: reasoning.slice(half) });
    }
    const pieces = content.match(/.{1,12}/gsu) ?? [""];
    for (let i = 0; i < pieces.length; i++) {
      if (fault?.kind === "cut" && i === Math.floor(pieces.length / 2)) return res.destroy();
      event({ content: pieces[i] });
    }
    event({}, finish);
    if (body.stream_options?.include_usage) {
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage })}\n\n`,
      );
    }
    res.end("data: [DONE]\n\n");
  }

  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (req.method === "POST" && /^(\/v1)?\/chat\/completions$/.test(url)) {
      chat(req, res).catch(() => res.destroy());
      return;
    }
    if (req.method === "POST" && url === "/__control") {
      readBody(req).then((text) => {
        const control = JSON.parse(text || "{}") as { inject?: Fault[]; latencyMs?: number };
        if (control.inject) faults.push(...control.inject);
        if (typeof control.latencyMs === "number") latencyMs = control.latencyMs;
        sendJson(res, 200, { queued: faults.length, received: received.length });
      });
      return;
    }
    if (req.method === "GET" && /^(\/v1)?\/models$/.test(url)) {
      return sendJson(res, 200, { object: "list", data: [{ id: "fake-model", object: "model" }] });
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${url}` } });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    received,
    inject: (...more) => faults.push(...more),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      latency: { type: "string" },
      reasoning: { type: "string" },
      "reasoning-chars": { type: "string" },
    },
  });
  const server = await startFakeModelServer({
    port: Number(values.port ?? 4010),
    latencyMs: Number(values.latency ?? 0),
    reasoning: (values.reasoning as ReasoningStyle | undefined) ?? "field",
    reasoningChars: values["reasoning-chars"] ? Number(values["reasoning-chars"]) : undefined,
  });
  console.log(`OpenAI-compatible test server on ${server.url}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void server.close().then(() => process.exit(0)));
}
