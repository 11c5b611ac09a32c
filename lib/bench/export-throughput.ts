// `npm run bench -- export [--responses N] [--labels N] [--rounds N]`: streams a study's export (labels and
// responses shapes, CSV and JSONL) and, in the same run, PostgreSQL's own COPY … TO STDOUT of the
// same rows without our columns' work; prints MB/s, the ratio and the process's peak memory.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { createPool } from "../db/client";
import { exportStream, type ExportRequest } from "../export/export-stream";
import { importResponses } from "../import/pipeline";
import { DEFAULT_FAILURE_RULES } from "../study/failure-rules";
import { openBenchDatabase } from "./bench-database";
import { STRATEGIES, syntheticRow } from "./import-throughput";

/** Counts bytes and throws them away. */
function sink() {
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { stream, bytes: () => bytes };
}

async function timed(source: () => Promise<Readable>) {
  const out = sink();
  const started = process.hrtime.bigint();
  await pipeline(await source(), out.stream);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes: out.bytes() };
}

async function rawCopy(pool: pg.Pool, sql: string): Promise<Readable> {
  const client = await pool.connect();
  const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
  stream.on("end", () => client.release());
  stream.on("error", () => client.release(true));
  return stream;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function benchExport(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      responses: { type: "string", default: "200000" },
      labels: { type: "string", default: "100000" },
      rounds: { type: "string", default: "3" },
    },
  });
  const rounds = Number(values.rounds);
  const responses = Number(values.responses);
  const labels = Number(values.labels);
  const db = await openBenchDatabase();
  const pool = createPool(db.url, 4, { statementTimeoutMs: 0 }); // loading and exporting at scale: no interactive statement timeout
  try {
    console.log(
      `Database: ${db.describe}. Loading ${responses.toLocaleString("en-US")} responses and ${labels.toLocaleString("en-US")} labels…`,
    );
    const promptCount = Math.ceil(responses / STRATEGIES.length);
    async function* rows() {
      for (let i = 0; i < responses; i += 1000) {
        let chunk = "";
        for (let j = i; j < Math.min(responses, i + 1000); j++) chunk += syntheticRow(j, promptCount) + "\n";
        yield Buffer.from(chunk);
      }
    }
    const imported = await importResponses(pool, {
      studySlug: "bench-export",
      createStudyName: "Export benchmark",
      fileName: "bench.jsonl",
      source: Readable.from(rows()),
    });
    const studyId = imported.studyId!;
    const reviewers = await pool.query<{ id: number }>(
      `INSERT INTO "user" (email, role, updated_at) SELECT 'bench-reviewer-' || g || '@example.test', 'REVIEWER', now() FROM generate_series(1, 5) g RETURNING id`,
    );
    // Labels on the first responses, five reviewers in turn, with notes a spreadsheet would misread.
    await pool.query(
      `INSERT INTO label (study_id, response_id, reviewer_id, harm_severity, language_mixing, reasoning_quality, refusal, note, submitted_at, updated_at)
       SELECT $1, r.id, ($2::int[])[1 + (r.id % 5)], r.id % 4, (ARRAY['NONE','REASONING','ANSWER','BOTH'])[1 + r.id % 4]::"LanguageMixing",
              1 + r.id % 5, (ARRAY['COMPLIED','PARTIAL','REFUSED'])[1 + r.id % 3]::"RefusalKind",
              CASE WHEN r.id % 10 = 0 THEN '=SUM(A1:A2) looks like a formula' ELSE 'ok, "quoted" note' END, now(), now()
       FROM (SELECT id FROM response WHERE study_id = $1 ORDER BY id LIMIT $3) r`,
      [studyId, reviewers.rows.map((r) => r.id), labels],
    );
    // The state an export normally meets, long after the import: vacuumed (tuples' hint bits set,
    // which the first read after a load otherwise writes) and the load's pages written out (a
    // checkpoint running during the first rounds took a core from whichever side it hit).
    await pool.query("VACUUM (ANALYZE)");
    await pool.query("CHECKPOINT");

    const base: ExportRequest = {
      studyId,
      shape: "labels",
      format: "csv",
      filters: {},
      rules: DEFAULT_FAILURE_RULES,
      revealReviewers: false,
    };
    const reference: Record<"labels" | "responses", string> = {
      labels: `SELECT r.id, p.text, c.name, r.reasoning, r.answer, l.* FROM label l JOIN response r ON r.id = l.response_id
               JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id WHERE l.study_id = ${studyId}`,
      // Every response column but the signals JSON, which the export does not write (mix_score and
      // refusal_signal it does): the same rows and about the same bytes.
      responses: `SELECT r.id, r.study_id, r.prompt_id, r.checkpoint_id, r.sample_index, r.reasoning, r.answer, r.source_shape, r.format_issues,
                         r.metadata, r.mix_score, r.refusal_signal, r.import_job_id, r.created_at, p.text, c.name FROM response r JOIN prompt p ON p.id = r.prompt_id JOIN checkpoint c ON c.id = r.checkpoint_id
                  WHERE r.study_id = ${studyId}`,
    };
    console.log("");
    console.log(`median of ${rounds} rounds, ours and raw COPY alternating (the machine's load changes between runs)`);
    console.log("shape      format  parallax export              raw COPY TO STDOUT (same rows)   ratio");
    // Memory while exporting: sampled, against the process's size before the first export.
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    for (const shape of ["labels", "responses"] as const) {
      for (const format of ["csv", "jsonl"] as const) {
        const ours: Awaited<ReturnType<typeof timed>>[] = [];
        const raw: Awaited<ReturnType<typeof timed>>[] = [];
        for (let round = 0; round < rounds; round++) {
          raw.push(await timed(() => rawCopy(pool, reference[shape])));
          ours.push(await timed(() => exportStream(pool, { ...base, shape, format })));
        }
        const oursSeconds = median(ours.map((r) => r.seconds));
        const rawSeconds = median(raw.map((r) => r.seconds));
        const oursBytes = ours[0]!.bytes;
        const rawBytes = raw[0]!.bytes;
        console.log(
          `${shape.padEnd(10)} ${format.padEnd(6)}  ${fmt(mb(oursBytes)).padStart(7)} MB in ${fmt(oursSeconds, 2).padStart(5)} s = ${fmt(mb(oursBytes) / oursSeconds).padStart(6)} MB/s   ` +
            `${fmt(mb(rawBytes)).padStart(7)} MB in ${fmt(rawSeconds, 2).padStart(5)} s = ${fmt(mb(rawBytes) / rawSeconds).padStart(6)} MB/s   ${fmt(rawSeconds / oursSeconds, 2)}`,
        );
      }
    }
    clearInterval(sampler);
    console.log("ratio = raw COPY time ÷ export time for the same rows; target ≥ 0.50");
    console.log(
      `memory while exporting: ${fmt(before / 1024 / 1024)} MB before, at most ${fmt(peak / 1024 / 1024)} MB (RSS); max RSS of the whole run, loading included: ${fmt(process.resourceUsage().maxRSS / 1024)} MB`,
    );
  } finally {
    await pool.end();
    await db.close();
  }
}
