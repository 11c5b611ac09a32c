// `npm run bench -- <name> [options]`: performance measured against a physical reference in the
// same run, printed as figures (never asserted as timed tests).
import { benchAnalytics } from "./analytics-latency";
import { benchExport } from "./export-throughput";
import { benchImport } from "./import-throughput";
import { benchTable } from "./table-latency";
import { benchQueue } from "./queue";

const BENCHES: Record<string, (args: string[]) => Promise<void>> = {
  import: benchImport,
  export: benchExport,
  analytics: benchAnalytics,
  table: benchTable,
  queue: benchQueue,
  signals: (args) => import("./signals").then((m) => m.benchSignals(args)),
  generate: (args) => import("./generate-throughput").then((m) => m.benchGenerate(args)),
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench -- <${Object.keys(BENCHES).join("|")}> [options]`);
  process.exit(2);
}
bench(args).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
