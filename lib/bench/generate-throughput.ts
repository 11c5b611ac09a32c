// `npm run bench -- generate [--prompts 10000] [--concurrency 32] [--latency 200] [--reasoning-chars 2500]`:
// a generation run through the job queue against the local OpenAI-compatible server (its own
// process, a fixed latency per answer, streamed answers with ~2.5 KB of reasoning), writing to
// PostgreSQL with signals. The reference is physical: with `concurrency` requests in flight and
// `latency` ms each, no client can exceed concurrency / latency responses per second.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPool } from "../db/pool";
import { freePort } from "../db/embedded";
import { projectRoot } from "../db/schema-engine";
import { EndpointClient } from "../generate/endpoint-client";
import { generationRequestSchema } from "../generate/run-settings";
import { createRun, runProgress } from "../generate/runs";
import { sendRunJob, startWorkers } from "../jobs/workers";
import { openBenchDatabase } from "./bench-database";

export async function benchGenerate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      prompts: { type: "string", default: "10000" },
      concurrency: { type: "string", default: "32" },
      latency: { type: "string", default: "200" },
      "reasoning-chars": { type: "string", default: "2500" },
    },
  });
  const prompts = Number(values.prompts);
  const concurrency = Number(values.concurrency);
  const latency = Number(values.latency);
  const ideal = (concurrency * 1000) / latency;

  const db = await openBenchDatabase();
  const port = await freePort();
  const server = spawn(
    path.join(projectRoot, "node_modules/.bin/tsx"),
    [
      "lib/testing/openai-server.ts",
      "--port",
      String(port),
      "--latency",
      String(latency),
      "--reasoning-chars",
      values["reasoning-chars"]!,
    ],
    { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  await once(server.stdout!, "data");
  process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdefghijklmnop";
  process.env.PARALLAX_JOB_SLICE_SECONDS ??= "3600";
  const pool = createPool(db.url, 4, { statementTimeoutMs: 0 });
  const workers = await startWorkers(db.url, 1, { log: (line) => console.error(line) });
  try {
    const study = await pool.query<{ id: number }>(
      "INSERT INTO study (slug, name, updated_at) VALUES ('bench-generate', 'bench', now()) RETURNING id",
    );
    await pool.query(
      `INSERT INTO prompt (study_id, key, text, language)
       SELECT $1, 'p' || g, 'Synthetic benchmark prompt number ' || g || ': explain the risks of topic ' || (g % 97) || '.', 'en'
         FROM generate_series(1, $2) AS g`,
      [study.rows[0]!.id, prompts],
    );
    const request = generationRequestSchema.parse({
      checkpoint: "bench-rl",
      strategy: "rl",
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: "bench-model",
      concurrency,
      temperature: 0.6,
    });
    // The same endpoint without Parallax around it: bare requests at the same concurrency, to tell
    // what this machine allows right now from what the queue, the parsing and the writes cost.
    const bare = await bareClientRate(`http://127.0.0.1:${port}/v1`, concurrency, Math.min(prompts, 2000));
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    const run = await createRun(pool, "bench-generate", request, {
      createdById: null,
      enqueue: (id) => sendRunJob(workers.boss, id),
    });
    let progress = run;
    while (progress.status !== "SUCCEEDED" && progress.status !== "FAILED") {
      await new Promise((resolve) => setTimeout(resolve, 200));
      progress = (await runProgress(pool, run.id))!;
    }
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    clearInterval(sampler);
    const written = await pool.query<{ n: number; mb: number }>(
      "SELECT count(*)::int AS n, (sum(length(reasoning) + length(answer)) / 1e6)::float8 AS mb FROM response WHERE study_id = $1",
      [study.rows[0]!.id],
    );
    const rate = written.rows[0]!.n / seconds;
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    let commit = "unknown";
    try {
      commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: projectRoot }).toString().trim();
    } catch {}
    console.log(`generate: ${prompts} prompts, concurrency ${concurrency}, ${latency} ms per answer (${db.describe})`);
    console.log(
      `  date ${new Date().toISOString().slice(0, 10)}, commit ${commit}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`,
    );
    console.log(
      `  run ${progress.status}: ${progress.done} done, ${progress.failed} failed; ${written.rows[0]!.n} responses (${written.rows[0]!.mb.toFixed(1)} MB of text) in ${seconds.toFixed(1)} s`,
    );
    console.log(
      `  ${rate.toFixed(1)} responses/s against the ideal ${ideal.toFixed(0)}/s: ${((100 * rate) / ideal).toFixed(1)} %`,
    );
    console.log(
      `  bare requests (no queue, no database), ${Math.min(prompts, 2000)} of them: ${bare.toFixed(1)}/s (${((100 * bare) / ideal).toFixed(1)} % of ideal); the run reaches ${((100 * rate) / bare).toFixed(1)} % of that`,
    );
    console.log(
      `  CPU of the worker process: ${cpuSeconds.toFixed(1)} s (${((100 * cpuSeconds) / seconds).toFixed(0)} % of one core); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
    );
    const quarter = Math.max(1, Math.floor(rss.length / 4));
    console.log(
      `  RSS of the worker process: peak ${mb(process.resourceUsage().maxRSS * 1024)} MB; median of the first quarter ${mb(median(rss.slice(0, quarter)))} MB, of the last ${mb(median(rss.slice(-quarter)))} MB`,
    );
  } finally {
    await workers.stop();
    await pool.end();
    server.kill("SIGTERM");
    await db.close();
  }
}

async function bareClientRate(baseUrl: string, concurrency: number, requests: number): Promise<number> {
  const client = new EndpointClient(
    {
      baseUrl,
      model: "bench-model",
      systemPrompt: null,
      temperature: 0.6,
      topP: null,
      maxTokens: null,
      seed: null,
      stream: true,
    },
    null,
    concurrency,
  );
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        await client.complete(`Synthetic benchmark prompt number ${i}: explain the risks of topic ${i % 97}.`, 0);
      }
    }),
  );
  const rate = requests / ((Date.now() - started) / 1000);
  await client.close();
  return rate;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
