// `npm run bench -- signals [--mb N]`: throughput of the automatic signals (computeSignals, as the
// importer and `analyze` call it) on a realistic mixed corpus of at least N MB (default 50), the
// F1 figures on the project's test set, and the language-identifier comparison behind the choice.
import { parseArgs } from "node:util";
import { identifierCalls } from "../analysis/language-identifier";
import { computeSignals, type SignalsInput } from "../analysis/signals";
import { benchResponse } from "../analysis/testset/bench-corpus";
import { compareIdentifiers } from "../analysis/testset/identifier-comparison";
import { scoreMixing, scoreRefusal } from "../analysis/testset/score";

const fmt = (n: number | null, digits = 3) => (n === null ? "–" : n.toFixed(digits));

function corpus(megabytes: number): { rows: SignalsInput[]; bytes: number } {
  const rows: SignalsInput[] = [];
  let bytes = 0;
  for (let i = 0; bytes < megabytes * 1e6; i++) {
    const row = benchResponse(i);
    // Flat strings, as JSON.parse and the CSV parser hand them to the importer.
    row.reasoning = row.reasoning === null ? null : JSON.parse(JSON.stringify(row.reasoning));
    row.answer = JSON.parse(JSON.stringify(row.answer));
    rows.push(row);
    bytes += Buffer.byteLength(row.answer) + (row.reasoning === null ? 0 : Buffer.byteLength(row.reasoning));
  }
  return { rows, bytes };
}

export async function benchSignals(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { mb: { type: "string", default: "50" }, "compare-mb": { type: "string", default: "2" } },
  });
  const megabytes = Number(values.mb);
  if (!(megabytes > 0)) throw new Error("--mb must be a positive number");

  // The identifier comparison first, on its own small sample, while the heap is small for all candidates.
  const sample = corpus(Number(values["compare-mb"])).rows.flatMap((row) => [row.reasoning ?? "", row.answer]);
  const sampleBytes = sample.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const table = await compareIdentifiers(sample);

  console.log(
    `Generating at least ${megabytes} MB of synthetic responses (English, Chinese, English with Chinese, other languages, code, loops)…`,
  );
  const { rows, bytes } = corpus(megabytes);
  for (const row of rows.slice(0, 2000)) computeSignals(row); // compile before timing
  identifierCalls.count = 0;
  identifierCalls.chars = 0;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  for (const row of rows) computeSignals(row);
  const cpu = process.cpuUsage(cpuStart);
  const wall = (performance.now() - wallStart) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const chars = rows.reduce((n, r) => n + r.answer.length + (r.reasoning?.length ?? 0), 0);

  console.log("");
  console.log(
    `responses: ${rows.length.toLocaleString("en-US")}   text: ${(bytes / 1e6).toFixed(1)} MB UTF-8 (${(chars / 1e6).toFixed(1)} M characters)`,
  );
  console.log(
    `computeSignals, one thread: ${wall.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU of the process (all its threads)`,
  );
  console.log(
    `throughput: ${fmt(bytes / 1e6 / cpuSeconds, 1)} MB per CPU-second   (${fmt(bytes / 1e6 / wall, 1)} MB/s wall)   target ≥ 20 MB/s per core`,
  );
  console.log(
    `language identifier consulted: ${identifierCalls.count.toLocaleString("en-US")} times on ${(identifierCalls.chars / 1e6).toFixed(2)} M characters (${((identifierCalls.chars / chars) * 100).toFixed(2)} % of the text)`,
  );

  const mixing = scoreMixing();
  const refusal = scoreRefusal();
  console.log("");
  console.log(
    `project test set, language mixing (${mixing.cases} texts): precision ${fmt(mixing.precision)}  recall ${fmt(mixing.recall)}  F1 ${fmt(mixing.f1)}   target ≥ 0.95`,
  );
  console.log(
    `  tp ${mixing.tp}  fp ${mixing.fp}  fn ${mixing.fn}  tn ${mixing.tn}   languages right: ${fmt(mixing.languageAccuracy)}`,
  );
  console.log(
    `project test set, refusal (${refusal.cases} answers): macro F1 ${fmt(refusal.macroF1)} (complied / partial / refused)   target ≥ 0.9`,
  );
  console.log(
    `  refused or partial vs complied: precision ${fmt(refusal.anyRefusal.precision)}  recall ${fmt(refusal.anyRefusal.recall)}  F1 ${fmt(refusal.anyRefusal.f1)}   accuracy ${fmt(refusal.accuracy)}`,
  );

  console.log("");
  console.log(
    `Language identifiers on mixed text (test set for accuracy; ${(sampleBytes / 1e6).toFixed(1)} MB of the same corpus for speed, per CPU-second):`,
  );
  const width = Math.max(...table.map((r) => r.name.length));
  console.log(`${"".padEnd(width)}  mixing F1  languages right   MB/s`);
  for (const row of table) {
    console.log(
      `${row.name.padEnd(width)}  ${fmt(row.mixingF1).padStart(9)}  ${fmt(row.languageAccuracy).padStart(15)}  ${fmt(row.megabytesPerSecond, 2).padStart(6)}`,
    );
  }
  console.log("");
  console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
