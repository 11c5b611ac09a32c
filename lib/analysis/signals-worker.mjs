// A worker thread of the signals pool (signals-pool.ts): computes the stored signals of the
// batches it is sent, in order, and answers each with its id. Plain JavaScript so that it starts
// whatever runs the main thread (tsx, a test runner).
import { parentPort } from "node:worker_threads";

// Module hooks registered in the main thread (tsx's) do not reach worker threads on Node 20:
// this thread registers tsx itself before it loads TypeScript.
const { register } = await import("tsx/esm/api");
register();
const { computeStoredSignals } = await import("./stored-signals.ts");
parentPort.on("message", ({ id, inputs }) => {
  try {
    parentPort.postMessage({ id, result: computeStoredSignals(inputs) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
  }
});
parentPort.postMessage({ ready: true });
