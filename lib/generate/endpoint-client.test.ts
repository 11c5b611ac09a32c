// The endpoint client against the local OpenAI-compatible server (lib/testing/openai-server.ts),
// over real HTTP: both wire formats, every place reasoning can come in, and the faults.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeAnswer, fakeReasoning, startFakeModelServer, type FakeModelServer } from "../testing/openai-server";
import {
  completeWithRetries,
  EndpointClient,
  EndpointError,
  parseRetryAfter,
  retryDelay,
  type EndpointSettings,
} from "./endpoint-client";

const base: Omit<EndpointSettings, "baseUrl"> = {
  model: "fake-model",
  systemPrompt: null,
  temperature: 0.6,
  topP: null,
  maxTokens: null,
  seed: null,
  stream: true,
};
const fast = { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 };

describe.each(["field", "reasoning", "think"] as const)("reasoning given as %s", (style) => {
  let server: FakeModelServer;
  beforeAll(async () => {
    server = await startFakeModelServer({ reasoning: style, apiKey: "sk-test" });
  });
  afterAll(() => server.close());

  it.each([true, false])("keeps reasoning apart from the answer (stream %s)", async (stream) => {
    const client = new EndpointClient({ ...base, baseUrl: server.url, stream }, "sk-test", 2);
    const result = await client.complete("What is 2+2?", 0);
    await client.close();
    expect(result.reasoning).toBe(fakeReasoning("What is 2+2?"));
    expect(result.answer).toBe(fakeAnswer("What is 2+2?"));
    expect(result.formatIssues).toEqual([]);
    expect(result.finishReason).toBe("stop");
    expect(result.truncated).toBe(false);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(server.received.at(-1)!.authorization).toBe("Bearer sk-test");
  });
});

describe("endpoint faults", () => {
  let server: FakeModelServer;
  beforeAll(async () => {
    server = await startFakeModelServer({ reasoning: "field" });
  });
  afterAll(() => server.close());

  it("marks an answer cut at max_tokens as truncated", async () => {
    const client = new EndpointClient({ ...base, baseUrl: server.url, maxTokens: 2 }, null, 1);
    const result = await client.complete("Tell me a long story", 0);
    await client.close();
    expect(result.finishReason).toBe("length");
    expect(result.truncated).toBe(true);
    expect(result.answer).toBe("Answer 0");
  });

  it("sends the system prompt, sampling settings and one seed per sample", async () => {
    const client = new EndpointClient(
      { ...base, baseUrl: server.url, systemPrompt: "Be terse.", topP: 0.9, seed: 7, maxTokens: 100 },
      null,
      1,
    );
    const result = await client.complete("Hello", 2);
    await client.close();
    const sent = server.received.at(-1)!;
    expect(sent.system).toBe("Be terse.");
    expect(sent.body).toMatchObject({ temperature: 0.6, top_p: 0.9, seed: 9, max_tokens: 100, model: "fake-model" });
    expect(result.answer).toBe(fakeAnswer("Hello", 9));
  });

  it("retries 429 (honouring Retry-After), 500 and cut connections, then answers", async () => {
    server.inject({ kind: "429", retryAfterSeconds: 0 }, { kind: "500" }, { kind: "cut" });
    const before = server.received.length;
    const client = new EndpointClient({ ...base, baseUrl: server.url }, null, 1);
    const result = await completeWithRetries(client, "Retry me", 0, fast);
    await client.close();
    expect(result.error).toBeNull();
    expect(result.attempts).toBe(4);
    expect(result.completion!.answer).toBe(fakeAnswer("Retry me"));
    expect(server.received.length - before).toBe(4);
  });

  it("gives up after the last attempt with the endpoint's message", async () => {
    server.inject({ kind: "500" }, { kind: "500" }, { kind: "500" }, { kind: "500" });
    const client = new EndpointClient({ ...base, baseUrl: server.url, stream: false }, null, 1);
    const result = await completeWithRetries(client, "Fail me", 0, fast);
    await client.close();
    expect(result.completion).toBeNull();
    expect(result.attempts).toBe(4);
    expect(result.error!.message).toBe("HTTP 500: internal error");
  });

  it("does not retry what no retry fixes (401, 404)", async () => {
    const keyed = await startFakeModelServer({ apiKey: "right" });
    const client = new EndpointClient({ ...base, baseUrl: keyed.url }, "wrong", 1);
    const result = await completeWithRetries(client, "x", 0, fast);
    await client.close();
    await keyed.close();
    expect(result.attempts).toBe(1);
    expect(result.error!.status).toBe(401);
    expect(result.error!.message).toContain("Incorrect API key");
  });

  it("reports an unreachable endpoint as retryable", async () => {
    const client = new EndpointClient({ ...base, baseUrl: "http://127.0.0.1:9/v1" }, null, 1);
    await expect(client.complete("x", 0)).rejects.toMatchObject({ retryable: true });
    await client.close();
  });
});

describe("retry timing", () => {
  it("reads Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });

  it("waits what Retry-After says, else backs off exponentially within bounds", () => {
    const policy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };
    expect(retryDelay(new EndpointError("x", true, 429, 2000), 1, policy)).toBe(2000);
    const plain = new EndpointError("x", true, 500);
    expect(retryDelay(plain, 1, policy, () => 0)).toBe(250);
    expect(retryDelay(plain, 3, policy, () => 1)).toBe(2000);
    expect(retryDelay(plain, 20, policy, () => 1)).toBe(30_000);
  });
});
