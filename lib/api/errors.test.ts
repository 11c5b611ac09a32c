import { describe, expect, it } from "vitest";
import { answerThrown, apiError, describeError, withApiErrors } from "./errors";

const request = new Request("http://127.0.0.1/api/v1/studies/demo/responses?format=jsonl", { method: "POST" });

function collect() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}

describe("apiError", () => {
  it("answers JSON with error, message and extra fields, never cached", async () => {
    const response = apiError(404, "not_found", 'There is no study "x".', { slug: "x" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: "not_found", message: 'There is no study "x".', slug: "x" });
  });
});

describe("withApiErrors", () => {
  it("passes a handler's own answer through untouched", async () => {
    const { lines, log } = collect();
    const route = withApiErrors(async () => new Response("ok", { status: 201 }), log);
    const response = await route(request, {});
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("ok");
    expect(lines).toEqual([]);
  });

  it("answers 503 JSON with Retry-After and logs one line when the backend was terminated", async () => {
    const { lines, log } = collect();
    const terminated = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
    });
    const response = await withApiErrors(async () => {
      throw terminated;
    }, log)(request, {});
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const body = (await response.json()) as { error: string; message: string; reason: string };
    expect(body.error).toBe("database_unavailable");
    expect(body.message).toContain("terminating connection due to administrator command");
    expect(lines).toEqual([
      "[parallax] api POST /api/v1/studies/demo/responses 503 database unavailable: terminating connection due to administrator command",
    ]);
  });

  it("answers 503 when the pool has no free connection within its checkout timeout", async () => {
    const { lines, log } = collect();
    const response = answerThrown(request, new Error("timeout exceeded when trying to connect"), log);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { reason: string }).reason).toBe("timeout exceeded when trying to connect");
    expect(lines).toHaveLength(1);
  });

  it("answers 503 for a query cut off by the statement timeout", async () => {
    const { lines, log } = collect();
    const response = answerThrown(
      request,
      Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }),
      log,
    );
    expect(response.status).toBe(503);
    expect(lines[0]).toContain("503 statement timeout: canceling statement due to statement timeout");
  });

  it("answers 408 when PostgreSQL ended the request's transaction for sitting idle (a stalled upload)", async () => {
    const { lines, log } = collect();
    const cause = Object.assign(new Error("terminating connection due to idle-in-transaction timeout"), {
      code: "25P03",
    });
    const error = new Error("Client has encountered a connection error and is not queryable", { cause });
    const response = answerThrown(request, error, log);
    expect(response.status).toBe(408);
    expect(((await response.json()) as { error: string }).error).toBe("request_timeout");
    expect(lines).toEqual([
      "[parallax] api POST /api/v1/studies/demo/responses 408 idle-in-transaction timeout: Client has encountered a connection error and is not queryable: terminating connection due to idle-in-transaction timeout",
    ]);
  });

  it("answers 500 JSON for a bug, with its message and where it was thrown on one line", async () => {
    const { lines, log } = collect();
    const response = await withApiErrors(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    }, log)(request, {});
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toBe("internal_error");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[parallax\] api POST \/api\/v1\/studies\/demo\/responses 500 internal error: Cannot read properties of undefined \(reading 'id'\) \(at .*errors\.test\.ts/,
    );
    expect(lines[0]).not.toContain("\n");
  });

  it("answers nothing worth logging to a client that already left", async () => {
    const { lines, log } = collect();
    const gone = Object.assign(new Error("The export was cancelled: the client went away."), {
      name: "ExportAbortedError",
    });
    const response = answerThrown(request, gone, log);
    expect(response.status).toBe(499);
    expect(lines).toEqual([]);
  });

  it("lets Next's own control-flow errors (redirect, notFound) through", async () => {
    const redirect = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/signin;307;" });
    await expect(
      withApiErrors(
        async () => {
          throw redirect;
        },
        () => {},
      )(request, {}),
    ).rejects.toBe(redirect);
  });
});

describe("describeError", () => {
  it("joins an error's causes on one line", () => {
    const error = new Error("failed to import", { cause: new Error("Connection terminated\nunexpectedly") });
    expect(describeError(error)).toBe("failed to import: Connection terminated unexpectedly");
  });
});
