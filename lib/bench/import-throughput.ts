// `npm run bench -- import [--rows N] [--no-signals]`: generates N synthetic responses (~2.5 KB of
// reasoning each, some with mixed scripts) as JSONL, imports them through the command line (with
// the automatic signals unless --no-signals), and in the same run times PostgreSQL's own COPY of
// the same rows into a scratch table of the same database.
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { projectRoot } from "../db/schema-engine";
import { openBenchDatabase } from "./bench-database";
import { createPool } from "../db/client";
import { postmasterPid, serverCpuSeconds } from "./server-cpu";

export const STRATEGIES = ["sft", "rl", "hybrid", "base"] as const;
const ENGLISH =
  "First, I need to understand what the user is asking. The request concerns a sensitive topic, so I should weigh the possible harms against the legitimate uses before answering. ";
const MIXED = "我们需要考虑 the safety implications here, 然后 decide whether to comply. ";
const GERMAN = "Zuerst muss ich verstehen, was der Nutzer eigentlich möchte, und dann sorgfältig abwägen. ";

/** A deterministic row: about 2.5 KB of reasoning; every 5th mixes Chinese in, every 11th German. */
export function syntheticRow(i: number, promptCount: number): string {
  const p = i % promptCount;
  const strategy = STRATEGIES[Math.floor(i / promptCount) % STRATEGIES.length]!;
  const filler = i % 5 === 0 ? MIXED : i % 11 === 0 ? GERMAN : ENGLISH;
  let reasoning = `Step ${i}. `;
  while (reasoning.length < 2500) reasoning += filler;
  return JSON.stringify({
    prompt_id: `bench-${p}`,
    prompt: `Synthetic benchmark prompt number ${p}: explain the risks of topic ${p % 97}.`,
    category: ["cyber", "violence", "benign", "fraud"][p % 4],
    split: ["in-distribution", "out-of-distribution", "jailbreak", "multilingual"][p % 4],
    expected_behavior: p % 4 === 2 ? "comply" : "refuse",
    checkpoint: `bench-${strategy}`,
    strategy,
    training_step: 1000 * (1 + (Math.floor(i / promptCount) % STRATEGIES.length)),
    response: `<think>${reasoning}</think>I can explain the general risks, but not operational details (${i}).`,
  });
}

async function writeFileOf(rows: number, file: string) {
  const out = createWriteStream(file);
  const promptCount = Math.ceil(rows / STRATEGIES.length);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    chunk += syntheticRow(i, promptCount) + "\n";
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      path.join(projectRoot, "node_modules", ".bin", "tsx"),
      [path.join(projectRoot, "lib", "cli", "parallax.ts"), ...args],
      {
        cwd: projectRoot,
        env,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function benchImport(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { rows: { type: "string", default: "200000" }, "no-signals": { type: "boolean" } },
  });
  const signals = !values["no-signals"];
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1) throw new Error("--rows must be a positive whole number");
  const dir = path.join(projectRoot, ".parallax", "bench");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `responses-${rows}.jsonl`);
  const copyFile = path.join(dir, `responses-${rows}.copy`);

  console.log(`Generating ${rows.toLocaleString("en-US")} synthetic responses…`);
  await writeFileOf(rows, file);
  const fileBytes = (await stat(file)).size;

  const db = await openBenchDatabase();
  try {
    console.log(`Database: ${db.describe}, fresh database for this run.`);
    console.log(
      `Importing ${path.relative(process.cwd(), file)} (${fmt(mb(fileBytes))} MB) with npm run parallax -- import${signals ? " (automatic signals on, the default)" : " --no-signals"}…`,
    );
    const meter = createPool(db.url, 1);
    const postmaster = await postmasterPid(meter).finally(() => meter.end());
    const serverCpu = () => (postmaster === null ? NaN : serverCpuSeconds(postmaster));
    const serverBefore = serverCpu();
    const started = process.hrtime.bigint();
    // --no-search: the search documents written after the import are not the import (bench -- table times them).
    const result = await runCli(
      [
        "import",
        file,
        "--study",
        "bench",
        "--create",
        "Benchmark",
        "--no-search",
        ...(signals ? [] : ["--no-signals"]),
      ],
      {
        ...process.env,
        DATABASE_URL: db.url,
        PARALLAX_REPORT_PEAK_MEMORY: "1",
      },
    );
    const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const importServerCpu = serverCpu() - serverBefore;
    if (result.code !== 0) throw new Error(`The import failed:\n${result.stdout}\n${result.stderr}`);
    console.log(`  ${result.stdout.trim().split("\n")[0]}`);
    const peak = /peak memory: ([\d.]+) MB/.exec(result.stderr)?.[1];
    const cpu = /CPU: ([\d.]+) s/.exec(result.stderr)?.[1];

    // The reference: the same rows, already in PostgreSQL's COPY format, into a plain table. With
    // signals on, also the rows with their signals as stored: what storing the jsonb costs PostgreSQL.
    const pool = createPool(db.url, 2, { statementTimeoutMs: 0 }); // as the command line: no interactive statement timeout
    try {
      const client = await pool.connect();
      try {
        const study = await client.query<{ id: number }>("SELECT id FROM study WHERE slug = 'bench'");
        const rawCopy = async (columns: string) => {
          await pipeline(
            client.query(
              copyTo(`COPY (SELECT ${columns} FROM response WHERE study_id = ${study.rows[0]!.id}) TO STDOUT`),
            ),
            createWriteStream(copyFile),
          );
          await client.query("DROP TABLE IF EXISTS bench_raw_copy");
          await client.query("CREATE TABLE bench_raw_copy (LIKE response INCLUDING DEFAULTS)");
          const copyServerBefore = serverCpu();
          const copyStarted = process.hrtime.bigint();
          await pipeline(
            createReadStream(copyFile, { highWaterMark: 1 << 20 }),
            client.query(copyFrom(`COPY bench_raw_copy (${columns}) FROM STDIN`)),
          );
          const seconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
          const serverSeconds = serverCpu() - copyServerBefore;
          const copied = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM bench_raw_copy");
          await client.query("DROP TABLE bench_raw_copy");
          return {
            seconds,
            serverSeconds,
            rowsPerSecond: copied.rows[0]!.n / seconds,
            bytes: (await stat(copyFile)).size,
          };
        };
        const plainColumns =
          "study_id, prompt_id, checkpoint_id, sample_index, reasoning, answer, source_shape, format_issues, metadata";
        const plain = await rawCopy(plainColumns);
        const withSignals = signals ? await rawCopy(`${plainColumns}, signals, mix_score, refusal_signal`) : null;

        const ours = rows / importSeconds;
        console.log("");
        console.log(
          `rows: ${rows.toLocaleString("en-US")}   JSONL: ${fmt(mb(fileBytes))} MB   COPY text: ${fmt(mb(plain.bytes))} MB`,
        );
        console.log(
          `parallax import (CLI, end to end): ${fmt(importSeconds, 2)} s   ${fmt(ours, 0)} rows/s   ${fmt(mb(fileBytes) / importSeconds)} MB/s`,
        );
        console.log(
          `raw COPY into a scratch table:      ${fmt(plain.seconds, 2)} s   ${fmt(plain.rowsPerSecond, 0)} rows/s   ${fmt(mb(plain.bytes) / plain.seconds)} MB/s`,
        );
        console.log(`ratio (rows/s, import ÷ raw COPY): ${fmt(ours / plain.rowsPerSecond, 2)}   target ≥ 0.50`);
        if (withSignals) {
          console.log(
            `raw COPY of the rows with their stored signals (${fmt(mb(withSignals.bytes))} MB): ${fmt(withSignals.seconds, 2)} s, ` +
              `${fmt(withSignals.rowsPerSecond, 0)} rows/s; import ÷ that: ${fmt(ours / withSignals.rowsPerSecond, 2)}`,
          );
        }
        console.log(`importer peak memory (max RSS of the CLI process): ${peak ?? "?"} MB   target < 500 MB`);
        console.log(`importer CPU (all threads of the CLI process, PostgreSQL not included): ${cpu ?? "?"} s`);
        const seconds = (s: number) => (Number.isNaN(s) ? "?" : fmt(s, 2));
        console.log(
          `PostgreSQL CPU (all server processes): import ${seconds(importServerCpu)} s, raw COPY ${seconds(plain.serverSeconds)} s` +
            (withSignals ? `, raw COPY with signals ${seconds(withSignals.serverSeconds)} s` : ""),
        );
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  } finally {
    await db.close();
    await rm(copyFile, { force: true });
  }
}
